"""Staff accounts. Roles are auth groups (SPEC §1); a user's unit scopes technical staff."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of SPEC §1, stored as auth group names."""

    OFFICER = "officer", _("Petugas pengaduan")
    TEAM_LEAD = "team_lead", _("Ketua tim pengaduan")
    UNIT_STAFF = "unit_staff", _("Staf bidang teknis")
    HEAD = "head", _("Kepala dinas")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="users", verbose_name=_("office"))
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="members", verbose_name=_("unit"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_complaint_team(self) -> bool:
        """Officers and the team lead: the only staff who see confidential reporters."""
        return self.has_role(Role.OFFICER, Role.TEAM_LEAD)

    @property
    def sees_all_units(self) -> bool:
        return self.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD, Role.ADMINISTRATOR)

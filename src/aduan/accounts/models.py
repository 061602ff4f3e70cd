"""Staff accounts. Roles are auth groups (SPEC §1); a user's unit scopes technical staff."""

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel


class Role(models.TextChoices):
    """The roles of SPEC §1, stored as auth group names."""

    OFFICER = "officer", _("Petugas pengaduan")
    TEAM_LEAD = "team_lead", _("Ketua tim pengaduan")
    UNIT_STAFF = "unit_staff", _("Staf bidang teknis")
    HEAD = "head", _("Kepala dinas")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Regency-level oversight (inspectorate, the regent's staff): dashboards across offices,
    # never a case or a reporter's identity (issue 18).
    OVERSIGHT = "oversight", _("Pengawas kabupaten")


class User(AbstractUser):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="users", verbose_name=_("office"))
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="members", verbose_name=_("unit"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("The user must choose a new password before using the desk (set for "
                    "demo accounts outside demo mode, or by an administrator)."))
    password_changed_at = models.DateTimeField(_("password changed at"), null=True,
                                               blank=True, editable=False)

    # Whether the user proved who they are within the office's re-authentication window
    # (accounts.policy). The session middleware sets it per request for browser logins; other
    # callers (API tokens with their own IP range and expiry, background jobs) are not
    # interactive and keep this default.
    auth_is_fresh = True

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    # The home membership (office, unit) while another membership is applied for a request
    # (accounts.memberships.membership_apply); None when the user works in the home office.
    _home_membership: tuple[int | None, int | None] | None = None

    @property
    def home_office_id(self) -> int | None:
        home = self._home_membership
        return self.office_id if home is None else home[0]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An applied membership lives on this object for one request only: never write its
        # office or unit over the home membership.
        home = self._home_membership
        if home is None:
            super().save(*args, **kwargs)
            return
        applied = (self.office_id, self.unit_id)
        self.office_id, self.unit_id = home
        try:
            super().save(*args, **kwargs)
        finally:
            self.office_id, self.unit_id = applied

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_complaint_team(self) -> bool:
        """Officers and the team lead: the only staff who see confidential reporters."""
        return self.has_role(Role.OFFICER, Role.TEAM_LEAD)

    @property
    def sees_all_units(self) -> bool:
        return self.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD, Role.ADMINISTRATOR)


def validate_roles(value: object) -> None:
    if not isinstance(value, list) or not value or any(
            not isinstance(role, str) or role not in Role.values for role in value):
        raise ValidationError(_("Pilih satu atau lebih peran yang dikenal."))


class Membership(BaseModel):
    """A role of a staff user in an office other than their home office (issue 18).

    `User.office`, `User.unit` and the user's groups stay the HOME membership; a Membership
    row adds another office where the person works, with its own unit and roles. The active
    office is kept in the session (accounts.memberships) and applied to `request.user`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="memberships", verbose_name=_("office"))
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="memberships", verbose_name=_("unit"))
    roles = models.JSONField(_("roles"), default=list, validators=[validate_roles],
                             help_text=_("Role values, e.g. [\"officer\"] or [\"unit_staff\"]."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        ordering = ["office__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="membership_user_office"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.office}"

    def clean(self) -> None:
        super().clean()
        if self.unit_id is not None and self.office_id is not None \
                and self.unit.office_id != self.office_id:
            raise ValidationError({"unit": _("Bidang bukan milik kantor ini.")})
        if self.office_id is not None and self.user_id is not None \
                and self.user.office_id == self.office_id:
            raise ValidationError({"office": _("Kantor ini sudah kantor asal pengguna; ubah "
                                               "peran kantor asal di data pengguna.")})


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Masuk")
    LOGOUT = "logout", _("Keluar")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Aplikasi autentikator didaftarkan")
    BACKUP_CODES_GENERATED = "backup_codes_generated", _("Kode cadangan dibuat")
    BACKUP_CODE_USED = "backup_code_used", _("Kode cadangan dipakai")
    DEVICES_RESET = "devices_reset", _("Faktor kedua direset administrator")
    LOGIN_UNLOCKED = "login_unlocked", _("Kunci login dibuka administrator")
    PASSWORD_CHANGED = "password_changed", _("Kata sandi diganti")
    REAUTHENTICATED = "reauthenticated", _("Konfirmasi ulang identitas petugas")
    SESSION_REVOKED = "session_revoked", _("Sesi diakhiri")
    ROLES_CHANGED = "roles_changed", _("Peran diubah")
    OFFICE_SWITCHED = "office_switched", _("Pindah kantor kerja")


class SecurityEvent(BaseModel):
    """Append-only record of what happened to a staff account and who did it (audit)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="security_events", verbose_name=_("user"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("actor"))
    kind = models.CharField(_("kind"), max_length=40, choices=SecurityEventKind.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("account security event")
        verbose_name_plural = _("account security events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="secevent_user_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"


class UserSession(BaseModel):
    """A logged-in browser of a staff user, so sessions can be listed and ended (revoked).

    The session itself lives in Django's session store; this row names it. Revoking deletes
    the stored session, which logs that browser out at its next request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="login_sessions", verbose_name=_("user"))
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"], name="usersession_user_open")]

    def __str__(self) -> str:
        return f"{self.user} · {self.ip_address or '-'}"

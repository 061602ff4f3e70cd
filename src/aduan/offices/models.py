"""Office configuration as rows, not settings: every office differs only in these (SPEC intro)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel


class Classification(models.TextChoices):
    """SP4N-LAPOR! classification of a report (SPEC §8)."""

    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION_REQUEST = "information_request", _("Permintaan informasi")


# Retention of reporters' personal data, in years after their last complaint was settled: at
# least one year, so a reporter can still reopen or escalate a settled case (UU 25/2009).
MIN_RETENTION_YEARS = 1
MAX_RETENTION_YEARS = 30


def default_two_factor_roles() -> list[str]:
    """Every staff role (accounts.Role values; not imported: accounts depends on offices)."""
    return ["officer", "team_lead", "unit_staff", "head", "administrator", "oversight"]


class Office(BaseModel):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    government_name = models.CharField(_("government"), max_length=200,
                                       help_text=_("e.g. PEMERINTAH KABUPATEN BENGKALIS"))
    city = models.CharField(_("city"), max_length=100, help_text=_("Place name on letters."))
    address = models.TextField(_("address"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    phone = models.CharField(_("service phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    office_hours = models.TextField(_("office hours"), blank=True)
    logo = models.FileField(_("logo"), upload_to="office/", blank=True)
    head_title = models.CharField(_("head's title"), max_length=200, blank=True)
    head_name = models.CharField(_("head's name"), max_length=200, blank=True)
    head_rank = models.CharField(_("head's rank"), max_length=100, blank=True)
    head_nip = models.CharField(_("head's NIP"), max_length=30, blank=True)
    register_number_pattern = models.CharField(
        _("register number pattern"), max_length=100,
        default="500.16.7.2/{seq}/DPMPTSP/{year}",
        help_text=_("Placeholders: {seq}, {seq:04d}, {year}, {month}."),
    )
    # Default limits in working days; DeadlinePolicy overrides them per classification (SPEC §8).
    settle_days = models.PositiveSmallIntegerField(_("settle within (working days)"), default=20)
    verify_days = models.PositiveSmallIntegerField(_("verify and dispose within (working days)"),
                                                   default=3)
    first_follow_up_days = models.PositiveSmallIntegerField(
        _("first follow-up within (working days after disposition)"), default=5)
    auto_close_days = models.PositiveSmallIntegerField(
        _("auto-close after final response without reply (working days)"), default=10)
    completion_days = models.PositiveSmallIntegerField(
        _("reporter completes an incomplete complaint within (calendar days)"), default=30)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind officers when this many working days are left"), default=3)
    # The escalation ladder (notifications.services.escalations_queue): beyond the complaint
    # team, the unit holding the case and, once overdue, the head of office.
    escalate_to_unit = models.BooleanField(
        _("remind the unit holding the case too"), default=True,
        help_text=_("Before and after the deadline, as the complaint team is reminded."))
    escalate_to_head_after_days = models.PositiveSmallIntegerField(
        _("tell the head of office after this many working days overdue"), null=True,
        blank=True, default=0,
        help_text=_("0: from the first day overdue; empty: never."))
    # UU 27/2022: personal data is deleted or anonymised at the end of a set period; there is
    # no "keep forever". See docs/privacy.md and complaints/retention.py.
    retention_years = models.PositiveSmallIntegerField(
        _("keep reporters' personal data for (years after closure)"), default=5,
        validators=[MinValueValidator(MIN_RETENTION_YEARS),
                    MaxValueValidator(MAX_RETENTION_YEARS)],
        help_text=_("1 to 30 years. When every complaint of a reporter was settled this long "
                    "ago, the reporter's name, NIK, address, contacts and attachments are "
                    "removed; the complaints stay in the register and the statistics."))
    # Staff account security (issue 12). Two-factor login is required for these roles (values
    # of accounts.Role); the default is every role, because each of them can see a reporter's
    # identity (only confidential reporters are hidden from unit staff and the head) and the
    # administrator can grant any role.
    two_factor_roles = models.JSONField(
        _("roles that must log in with two factors"), default=default_two_factor_roles,
        blank=True)
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("log staff out after this many idle minutes"), default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)])
    session_max_hours = models.PositiveSmallIntegerField(
        _("log staff out this many hours after login, active or not"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24)])
    reauth_minutes = models.PositiveSmallIntegerField(
        _("ask for the password or a code again after this many minutes"), default=15,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Before a confidential reporter's identity is shown, roles are changed "
                    "or an API token is issued."))
    # Regency-wide deployments (issue 18, docs/decisions/0011-offices-as-tenants.md): one
    # instance serves many offices. Each office's public pages live under /instansi/<code>/ and,
    # when `host` is set, at that host name's root. The central intake receives the regency's
    # shared channels and routes each case to the office responsible; `authority` is the
    # office's label in the triage taxonomy (../shared/triage/taxonomy.json, "authority"), so
    # the triage suggestion ranks offices for routing and forwarding.
    host = models.CharField(
        _("host name"), max_length=253, blank=True,
        help_text=_("e.g. pengaduan.disdukcapil.bengkaliskab.go.id; empty: reachable under "
                    "/instansi/<code>/ only."))
    is_central_intake = models.BooleanField(
        _("central intake"), default=False,
        help_text=_("Receives the regency's shared channels and routes each case to the office "
                    "responsible within 3 working days."))
    authority = models.SlugField(
        _("triage authority label"), max_length=40, blank=True,
        help_text=_("The office's label in the triage taxonomy (e.g. disdukcapil, pupr, dlh)."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_years__gte=MIN_RETENTION_YEARS)
                & Q(retention_years__lte=MAX_RETENTION_YEARS),
                name="office_retention_years_in_range"),
            models.UniqueConstraint(fields=["host"], condition=~Q(host=""),
                                    name="unique_office_host"),
        ]

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(BaseModel):
    """Per-classification limits; fields left empty fall back to the office's defaults."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="deadline_policies")
    classification = models.CharField(_("classification"), max_length=30,
                                      choices=Classification.choices)
    settle_days = models.PositiveSmallIntegerField(_("settle within"), null=True, blank=True)
    verify_days = models.PositiveSmallIntegerField(_("verify within"), null=True, blank=True)
    first_follow_up_days = models.PositiveSmallIntegerField(_("first follow-up within"),
                                                            null=True, blank=True)
    auto_close_days = models.PositiveSmallIntegerField(_("auto-close after"), null=True,
                                                       blank=True)
    completion_days = models.PositiveSmallIntegerField(_("completion within"), null=True,
                                                       blank=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["office", "classification"],
                                    name="unique_deadline_policy_per_classification"),
        ]

    def __str__(self) -> str:
        return f"{self.office.short_name}: {self.get_classification_display()}"


class Unit(BaseModel):
    """A bidang: a technical unit, the secretariat, or the complaint team itself."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="units")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    is_complaint_team = models.BooleanField(_("complaint team"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_unit_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelKind(models.TextChoices):
    """How complaints arrive on a channel; decides which adapter and reply path apply."""

    MANUAL = "manual", _("Dicatat petugas")
    WEB = "web", _("Formulir web")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    SOCIAL = "social", _("Media sosial")
    API = "api", _("API")


class Channel(BaseModel):
    """A sarana pengaduan. Channels are data: an office adds or renames them (SPEC §2)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="channels")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices,
                            default=ChannelKind.MANUAL)
    contact = models.CharField(_("address or number"), max_length=200, blank=True)
    # The office's own outbound identity on this channel (issue 18): messages to reporters of
    # the office's cases go out as this, else as the central intake's channel of the kind, else
    # as the instance's settings (offices.selectors.channel_sends_as).
    sends_as = models.CharField(
        _("sends as"), max_length=200, blank=True,
        help_text=_("Pesan keluar kantor ini lewat saluran ini. WhatsApp: phone_number_id nomor "
                    "kantor (Meta); SMS: ID perangkat SMS Gateway for Android milik kantor; "
                    "e-mail: alamat pengirim (From). Kosong: memakai saluran layanan pengaduan "
                    "terpadu, atau pengaturan instalasi."))
    instructions = models.TextField(_("how to use"), blank=True)
    order = models.PositiveSmallIntegerField(_("order in reports"), default=0)
    in_report = models.BooleanField(_("listed in Tabel 1"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_channel_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceType(BaseModel):
    """A jenis perizinan / layanan (SIP bidan, apotek, OSS/NIB, PBG/IMB, izin penelitian)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="service_types")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Comma-separated words that suggest this type."))
    default_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="service_types",
                                     verbose_name=_("responsible unit"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_service_type_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ReferralAgency(BaseModel):
    """Another agency and the topics it handles, for "bukan kewenangan" referrals (SPEC §4.2)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="agencies")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    topics = models.TextField(_("topics handled"),
                              help_text=_("What this agency handles, e.g. BPHTB, PBB."))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    contact = models.TextField(_("address and contact"), blank=True)
    referral_text = models.TextField(
        _("reply to the reporter"), blank=True,
        help_text=_("Told to the reporter when a complaint is referred here."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("referral agency")
        verbose_name_plural = _("referral agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_agency_code"),
        ]

    def __str__(self) -> str:
        return self.name


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("Libur nasional")
    COLLECTIVE_LEAVE = "collective_leave", _("Cuti bersama")
    REGIONAL = "regional", _("Libur daerah")
    WORKING_DAY = "working_day", _("Hari kerja (membatalkan libur)")


class Holiday(BaseModel):
    """An administrator's correction to the calendar: an extra day off, or a day that the
    `holidays` package lists but a later decree made a working day again."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=HolidayKind.choices,
                            default=HolidayKind.COLLECTIVE_LEAVE)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["office", "date"], name="unique_holiday_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

"""Permit applications watched against their service standard (SOP), the actions taken on late
ones, their links to complaints, and the imports that bring them in (issue 16)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.core import crypto
from aduan.core.models import BaseModel

DEFAULT_LETTER_PATTERN = "500.16.7.2/{seq}/PWS-DPMPTSP/{year}"

DEFAULT_AGENCY_LETTER = (
    "Bersama ini kami sampaikan bahwa permohonan {{ permit_type }} nomor {{ number }} atas "
    "nama {{ applicant_name }}{% if nib %} (NIB {{ nib }}){% endif %}, yang berkasnya "
    "dinyatakan lengkap dan benar pada tanggal {{ complete_date }}, sampai dengan hari ini "
    "masih berada pada tahap {{ current_step }} di {{ holder_name }}.\n\n"
    "Sesuai standar pelayanan, permohonan tersebut diselesaikan dalam {{ sop_days }} hari "
    "kerja, paling lambat tanggal {{ due_date }}; saat ini telah berjalan {{ used_days }} hari "
    "kerja.\n\n"
    "Sehubungan dengan hal tersebut, kami mohon Saudara dapat menyelesaikan proses permohonan "
    "dimaksud atau menyampaikan kendala yang dihadapi kepada kami paling lambat 3 (tiga) hari "
    "kerja sejak surat ini diterima."
)
DEFAULT_HEAD_REPORT = (
    "Dengan hormat, kami laporkan bahwa permohonan {{ permit_type }} nomor {{ number }} atas "
    "nama {{ applicant_name }} belum diselesaikan oleh {{ holder_name }} (tahap "
    "{{ current_step }}). Batas waktu standar pelayanan {{ sop_days }} hari kerja berakhir "
    "{{ due_date }}; saat ini telah berjalan {{ used_days }} hari kerja.\n\n"
    "Tindakan yang telah dilakukan:\n{{ actions }}\n\nMohon arahan Bapak/Ibu."
)
DEFAULT_APPLICANT_MESSAGE = (
    "Yth. {{ applicant_name|default:'Bapak/Ibu' }}, permohonan {{ permit_type }} Anda nomor "
    "{{ number }} sedang di {{ holder_name }} (tahap {{ current_step }}), perkiraan selesai "
    "{{ expected_date }}. Kami memantau penyelesaiannya. {{ office_short_name }}"
)


class WatchSettings(BaseModel):
    """An office's settings of the watch; one row per office, made on first use."""

    office = models.OneToOneField("offices.Office", on_delete=models.PROTECT,
                                  related_name="watch_settings")
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk from (% of the SOP used)"), default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    default_sop_days = models.PositiveSmallIntegerField(
        _("SOP of a permit type without one (working days)"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)])
    letter_number_pattern = models.CharField(
        _("letter number pattern"), max_length=100, default=DEFAULT_LETTER_PATTERN,
        help_text=_("Placeholders: {seq}, {seq:04d}, {year}, {month}."))
    agency_letter_template = models.TextField(_("letter to the agency"),
                                              default=DEFAULT_AGENCY_LETTER)
    head_report_template = models.TextField(_("report to the head of office"),
                                            default=DEFAULT_HEAD_REPORT)
    applicant_message_template = models.TextField(_("message to the applicant"),
                                                  default=DEFAULT_APPLICANT_MESSAGE)

    class Meta:
        verbose_name = _("watch settings")
        verbose_name_plural = _("watch settings")
        constraints = [
            models.CheckConstraint(condition=Q(at_risk_percent__gte=1)
                                   & Q(at_risk_percent__lte=100),
                                   name="watch_at_risk_percent_range"),
        ]

    def __str__(self) -> str:
        return str(self.office)


class PermitType(BaseModel):
    """A permit type as the licensing exports name it, mapped to the office's service type,
    with its service standard (SOP) in working days from "berkas lengkap dan benar"."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="permit_types")
    key = models.CharField(_("key"), max_length=200,
                           help_text=_("The name in lower case, spaces collapsed."))
    name = models.CharField(_("name"), max_length=200)
    service_type = models.ForeignKey("offices.ServiceType", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="permit_types",
                                     verbose_name=_("service type"))
    sop_days = models.PositiveSmallIntegerField(
        _("SOP (working days)"), validators=[MinValueValidator(1), MaxValueValidator(365)])
    sop_source = models.CharField(_("SOP source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("permit type")
        verbose_name_plural = _("permit types")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "key"], name="watch_permit_type_key"),
        ]

    def __str__(self) -> str:
        return self.name


class AppStatus(models.TextChoices):
    IN_PROCESS = "in_process", _("Dalam proses")
    ISSUED = "issued", _("Selesai/terbit")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dicabut")


FINISHED_STATUSES = (AppStatus.ISSUED, AppStatus.REJECTED, AppStatus.WITHDRAWN)


class WatchState(models.TextChoices):
    WAITING = "waiting", _("Berkas belum lengkap")
    ON_TRACK = "on_track", _("Sesuai jadwal")
    AT_RISK = "at_risk", _("Hampir lewat batas")
    LATE = "late", _("Terlambat")
    DONE = "done", _("Selesai tepat waktu")
    DONE_LATE = "done_late", _("Selesai terlambat")


class PermitApplication(BaseModel):
    """One permit application (permohonan izin) as the licensing system knows it."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="permit_applications")
    number = models.CharField(_("application number"), max_length=100)
    # The number in upper case without spaces: what a complaint's text is matched against.
    number_key = models.CharField(max_length=100, editable=False)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    # The applicant's contacts are personal data: encrypted at rest (core/crypto.py), the phone
    # also as a keyed hash to find the applications of a reporter's number.
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    email_encrypted = models.TextField(_("e-mail (encrypted)"), blank=True, editable=False)
    prefers_whatsapp = models.BooleanField(_("reachable on WhatsApp"), default=True)
    nib = models.CharField(_("NIB"), max_length=20, blank=True)
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT,
                                    related_name="applications",
                                    verbose_name=_("permit type"))
    submitted_on = models.DateField(_("submitted on"))
    complete_on = models.DateField(_("complete on (berkas lengkap dan benar)"), null=True,
                                   blank=True)
    current_step = models.CharField(_("current step"), max_length=200, blank=True)
    holder_name = models.CharField(_("held by"), max_length=200, blank=True)
    holder_unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("unit"))
    holder_agency = models.ForeignKey("offices.ReferralAgency", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("agency"))
    status = models.CharField(_("status"), max_length=20, choices=AppStatus.choices,
                              default=AppStatus.IN_PROCESS)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    # Computed by services.application_refresh from the SOP and the office calendar.
    sop_days = models.PositiveSmallIntegerField(_("SOP (working days)"), default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    used_days = models.IntegerField(_("working days used"), null=True, blank=True)
    state = models.CharField(_("watch state"), max_length=20, choices=WatchState.choices,
                             default=WatchState.WAITING)
    state_since = models.DateField(_("state since"), null=True, blank=True)
    # sha256 of the imported values: a re-import of the same row changes nothing.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    source = models.CharField(_("source"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("permit application")
        verbose_name_plural = _("permit applications")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="watch_app_number"),
        ]
        indexes = [
            models.Index(fields=["office", "state", "due_on"], name="watch_app_state"),
            models.Index(fields=["office", "number_key"], name="watch_app_number_key"),
            models.Index(fields=["office", "nib"], name="watch_app_nib"),
            models.Index(fields=["office", "phone_index"], name="watch_app_phone"),
            models.Index(fields=["office", "submitted_on"], name="watch_app_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def email(self) -> str:
        return crypto.decrypt(self.email_encrypted)

    def set_contacts(self, *, phone: str, email: str) -> None:
        self.phone_encrypted = crypto.encrypt(phone)
        self.phone_index = crypto.blind_index(phone)
        self.email_encrypted = crypto.encrypt(email)

    @property
    def holder_label(self) -> str:
        if self.holder_agency_id:
            return str(self.holder_agency)
        if self.holder_unit_id:
            return str(self.holder_unit)
        return self.holder_name

    @property
    def is_open(self) -> bool:
        return self.status == AppStatus.IN_PROCESS


class ActionKind(models.TextChoices):
    PHONE = "phone", _("Menelepon instansi")
    VISIT = "visit", _("Mendatangi instansi")
    LETTER = "letter", _("Menyurati instansi")
    HEAD_REPORT = "head_report", _("Melaporkan kepada Kepala Dinas")
    APPLICANT_MESSAGE = "applicant_message", _("Kabar kepada pemohon")
    FLAGGED_AT_RISK = "at_risk", _("Ditandai hampir lewat batas")
    FLAGGED_LATE = "late", _("Ditandai terlambat")
    COMPLAINT_LINKED = "complaint_linked", _("Pengaduan terkait")


# What a person does; the others are written by the system.
STAFF_ACTIONS = (ActionKind.PHONE, ActionKind.VISIT, ActionKind.LETTER, ActionKind.HEAD_REPORT,
                 ActionKind.APPLICANT_MESSAGE)


class WatchAction(models.Model):
    """One entry of an application's log: date, person, what was done and its result.
    Append-only, like a case's timeline."""

    application = models.ForeignKey(PermitApplication, on_delete=models.PROTECT,
                                    related_name="actions")
    kind = models.CharField(_("action"), max_length=30, choices=ActionKind.choices)
    done_on = models.DateField(_("date"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    contact = models.CharField(_("contacted"), max_length=200, blank=True)
    result = models.TextField(_("result"), blank=True)
    letter_number = models.CharField(_("letter number"), max_length=100, blank=True)
    body = models.TextField(_("text sent"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch action")
        verbose_name_plural = _("watch actions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="watch_action_app")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.done_on}"


class LetterCounter(models.Model):
    """The last letter number issued by the watch per office and year (gapless, like the
    complaint register: the counter row is incremented in the letter's transaction)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="watch_letter_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last_sequence}"


class MatchKind(models.TextChoices):
    NUMBER = "number", _("Nomor permohonan")
    NIB = "nib", _("NIB")
    PHONE = "phone", _("Nomor telepon pemohon")


class ComplaintLink(models.Model):
    application = models.ForeignKey(PermitApplication, on_delete=models.CASCADE,
                                    related_name="complaint_links")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE,
                                  related_name="permit_links")
    matched_on = models.CharField(_("matched on"), max_length=20, choices=MatchKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complaint link")
        verbose_name_plural = _("complaint links")
        constraints = [
            models.UniqueConstraint(fields=["application", "complaint"],
                                    name="watch_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} <-> {self.complaint_id}"


class ColumnMapping(BaseModel):
    """Which column of an office's export holds which field, kept for the next import."""

    office = models.OneToOneField("offices.Office", on_delete=models.PROTECT,
                                  related_name="watch_column_mapping")
    mapping = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.office)


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Menunggu pemetaan kolom")
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ImportJob(BaseModel):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    file = models.FileField(upload_to="watch/imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file_kind = models.CharField(max_length=10)  # csv | xlsx | push
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.MAPPING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


class RejectedRow(models.Model):
    """A row that could not be imported, kept with its values and the reasons, never dropped."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField(_("row"))
    values = models.JSONField(default=dict)
    errors = models.JSONField(default=list)

    class Meta:
        ordering = ["job", "row_number"]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"


class PushToken(BaseModel):
    """A token the licensing system uses to push applications (only its hash is stored)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push token")
        verbose_name_plural = _("push tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

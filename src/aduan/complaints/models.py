"""The case file: reporter, complaint, attachments, the append-only timeline, identity log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, NoReturn, Self

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from aduan.complaints import tracking
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.core import crypto
from aduan.core.models import BaseModel
from aduan.offices.models import Classification

# The statuses of cases still in process, in the order Django writes an IN list (sorted).
OPEN_STATUS_VALUES = sorted(str(s.value) for s in Status if s not in SETTLED_STATUSES)
# The partial indexes' condition as literal SQL (constants only), for queries that must use them.
OPEN_CONDITION_SQL = '"complaints_complaint"."status" IN ({})'.format(
    ", ".join(f"'{v}'" for v in OPEN_STATUS_VALUES))


def new_tracking_code() -> str:
    """The reporter's secret tracking code, `XXXX-XXXX-XXXX-XXXX` (80 bits; tracking.py)."""
    return tracking.new_tracking_code()


def new_public_id() -> str:
    """The case's name in public output; grants nothing (tracking.py)."""
    return tracking.new_public_id()


class Reporter(BaseModel):
    """The pelapor. All personal data lives here: one place to mask, log and purge (SPEC §6)."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    nik_encrypted = models.TextField(_("NIK (encrypted)"), blank=True, editable=False)
    nik_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.TextField(_("address"), blank=True)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True,
                             help_text=_("E.164, e.g. +6281268610005"))
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False,
                                       help_text=_("No identity is kept."))
    is_confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Identity hidden from everyone but the complaint officers."))
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_basis = models.CharField(_("lawful basis"), max_length=100, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self) -> str:
        if self.anonymised_at is not None:
            return str(_("(dianonimkan)"))
        return self.name or str(_("(tanpa nama)"))

    @property
    def nik(self) -> str:
        return crypto.decrypt(self.nik_encrypted)

    def set_nik(self, nik: str) -> None:
        self.nik_encrypted = crypto.encrypt(nik)
        self.nik_index = crypto.blind_index(nik)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:  # a value no longer among the choices shows as stored, as in Django
        return str(value)


class Complaint(BaseModel):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="complaints")
    # Register number (nomor dokumen): gapless per office and year, see numbering.py.
    register_year = models.PositiveSmallIntegerField(_("register year"))
    register_sequence = models.PositiveIntegerField(_("register sequence"))
    register_number = models.CharField(_("register number"), max_length=100)
    issued_on = models.DateField(_("date issued"))
    tracking_code = models.CharField(_("tracking code"), max_length=32, unique=True,
                                     default=new_tracking_code, editable=False)
    public_id = models.CharField(
        _("public id"), max_length=16, unique=True, default=new_public_id, editable=False,
        help_text=_("Names the case in public output (Open311); not a tracking code."))
    channel = models.ForeignKey("offices.Channel", on_delete=models.PROTECT,
                                related_name="complaints", verbose_name=_("channel"))
    classification = models.CharField(_("classification"), max_length=30,
                                      choices=Classification.choices,
                                      default=Classification.COMPLAINT)
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("date received"))
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"))
    location = models.CharField(_("case location"), max_length=300, blank=True)
    service_type = models.ForeignKey("offices.ServiceType", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="complaints",
                                     verbose_name=_("service type"))
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    reporter = models.ForeignKey(Reporter, on_delete=models.PROTECT, related_name="complaints",
                                 verbose_name=_("reporter"))
    is_by_proxy = models.BooleanField(_("by proxy (power of attorney)"), default=False)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices,
                              default=Status.RECEIVED)
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="complaints", verbose_name=_("unit"))
    proposed_unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+",
                                      verbose_name=_("proposed unit"))
    referred_agency = models.ForeignKey("offices.ReferralAgency", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="complaints",
                                        verbose_name=_("referred to"))
    # Deadlines (working days, SPEC §4 and §8), computed by services from the office calendar.
    due_on = models.DateField(_("due date"))
    verify_due_on = models.DateField(_("verify by"), null=True, blank=True)
    follow_up_due_on = models.DateField(_("first follow-up by"), null=True, blank=True)
    completion_due_on = models.DateField(_("completion by"), null=True, blank=True)
    auto_close_on = models.DateField(_("auto-close on"), null=True, blank=True)
    # Milestones.
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    disposed_on = models.DateField(_("dispositioned on"), null=True, blank=True)
    first_follow_up_on = models.DateField(_("first follow-up on"), null=True, blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    working_days_taken = models.PositiveSmallIntegerField(_("working days taken"), null=True,
                                                          blank=True)
    # The outcome as the register and the reports show it.
    finding = models.CharField(_("finding"), max_length=20, blank=True, choices=[
        ("proven", _("Terbukti")), ("not_proven", _("Tidak terbukti"))])
    findings_note = models.TextField(_("findings (hasil pemeriksaan)"), blank=True)
    response_text = models.TextField(_("latest public response"), blank=True)
    is_satisfied = models.BooleanField(_("reporter satisfied"), null=True, blank=True)
    # SP4N-LAPOR! (SPEC §2, §8).
    lapor_tracking_id = models.CharField(_("LAPOR! tracking id"), max_length=50, blank=True)
    is_secret = models.BooleanField(_("secret (rahasia)"), default=False,
                                    help_text=_("The whole case is hidden from the public."))
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "register_year", "register_sequence"],
                                    name="unique_register_sequence"),
            models.UniqueConstraint(fields=["office", "register_number"],
                                    name="unique_register_number"),
            # SPEC §7, case 26: a settlement before the complaint date is refused.
            models.CheckConstraint(
                condition=Q(settled_on__isnull=True) | Q(settled_on__gte=F("received_on")),
                name="settled_not_before_received"),
            models.CheckConstraint(condition=Q(due_on__gte=F("received_on")),
                                   name="due_not_before_received"),
        ]
        indexes = [
            # Keyset pagination of the inbox, newest first, and its common filters.
            models.Index(fields=["office", "-received_at", "-id"], name="cmp_inbox"),
            models.Index(fields=["office", "status", "-received_at", "-id"],
                         name="cmp_inbox_status"),
            models.Index(fields=["office", "unit", "-received_at", "-id"], name="cmp_inbox_unit"),
            models.Index(fields=["office", "channel", "-received_at", "-id"],
                         name="cmp_inbox_channel"),
            models.Index(fields=["office", "due_on"], name="cmp_due"),
            models.Index(fields=["office", "received_on"], name="cmp_received_on"),
            models.Index(fields=["lapor_tracking_id"], name="cmp_lapor_id"),
            models.Index(fields=["office", "service_type", "-received_at", "-id"],
                         name="cmp_inbox_service"),
            # Partial indexes of the cases still in process (a small share of a million):
            # the inbox's open view, overdue and due-soon filters and the overdue counts.
            # Queries must repeat the condition literally (`OPEN_CONDITION_SQL`): SQLite uses a
            # partial index only for a literal term, not a bound parameter.
            models.Index(fields=["office", "-received_at", "-id"], name="cmp_open_inbox",
                         condition=Q(status__in=OPEN_STATUS_VALUES)),
            models.Index(fields=["office", "due_on"], name="cmp_open_due",
                         condition=Q(status__in=OPEN_STATUS_VALUES)),
            # Open work of one channel, unit or service type (also overdue or due soon): the
            # open cases of one channel can be few and far back in its full index, which the
            # planner would otherwise walk (SQLite) or read whole as a bitmap (PostgreSQL):
            # 23 / 13 ms at 1,050,000 cases, bench/caselist_plans.py (docs/benchmarks.md).
            models.Index(fields=["office", "channel", "-received_at", "-id"],
                         name="cmp_open_channel", condition=Q(status__in=OPEN_STATUS_VALUES)),
            models.Index(fields=["office", "unit", "-received_at", "-id"],
                         name="cmp_open_unit", condition=Q(status__in=OPEN_STATUS_VALUES)),
            models.Index(fields=["office", "service_type", "-received_at", "-id"],
                         name="cmp_open_service", condition=Q(status__in=OPEN_STATUS_VALUES)),
        ]

    def __str__(self) -> str:
        return f"{self.register_number}: {self.subject}"

    # The django-stubs plugin declares Django's generated get_FOO_display; overriding it is fine.
    def get_status_display(self) -> str:  # type: ignore[no-redef]
        """As Django's, without rebuilding a dict of the lazy labels on every call (hashing
        each label translates it: a tenth of a tracking page's render)."""
        return _choice_label(Status, self.status)

    # The day (and office) whose figures count this case as loaded or last saved
    # (complaints/figures.py).
    _figures_day: dt.date | None = None
    _figures_office: int | None = None

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str],
                values: Collection[Any], **kwargs: Any) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._figures_day = instance.__dict__.get("received_on")
        instance._figures_office = instance.__dict__.get("office_id")
        return instance

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Save, then recompute the daily figures of the case's day (and of its former day
        if the date of receipt changed, in its former office if the case moved to another
        office: a forward, transfers.py) in the same transaction (complaints/figures.py)."""
        from aduan.complaints.figures import FIELDS, figures_refresh

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not FIELDS.intersection(update_fields):
            super().save(*args, **kwargs)  # no counted field changes
            return
        former_office = getattr(self, "_figures_office", None)
        former_day = getattr(self, "_figures_day", None)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if former_office is not None and former_office != self.office_id:
                figures_refresh(former_office, {former_day})
                figures_refresh(self.office_id, {self.received_on})
            else:
                figures_refresh(self.office_id, {self.received_on, former_day})
        self._figures_day = self.received_on
        self._figures_office = self.office_id

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


class Attachment(BaseModel):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT,
                                  related_name="attachments")
    event = models.ForeignKey("CaseEvent", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="attachments")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(_("visible to the reporter"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Pengaduan diterima")
    VERIFIED = "verified", _("Diverifikasi")
    COMPLETION_REQUESTED = "completion_requested", _("Diminta melengkapi")
    COMPLETED = "completed", _("Kelengkapan diterima")
    WITHDRAWN = "withdrawn", _("Dianggap dicabut")
    REFERRED = "referred", _("Dirujuk ke instansi lain")
    ANSWERED = "answered", _("Dijawab langsung")
    DISPOSITION_PROPOSED = "disposition_proposed", _("Disposisi diusulkan")
    DISPOSITIONED = "dispositioned", _("Didisposisikan")
    DISPOSITION_RETURNED = "disposition_returned", _("Usulan disposisi dikembalikan")
    CLARIFIED = "clarified", _("Klarifikasi bidang teknis")
    FOLLOWED_UP = "followed_up", _("Tindak lanjut")
    RESPONDED = "responded", _("Tanggapan kepada pelapor")
    CONCLUDED = "concluded", _("Kesimpulan")
    CLOSED = "closed", _("Ditutup")
    SATISFACTION_CONFIRMED = "satisfaction_confirmed", _("Pelapor menyatakan puas")
    AUTO_CLOSED = "auto_closed", _("Ditutup otomatis")
    REOPENED = "reopened", _("Dibuka kembali")
    NOTE = "note", _("Catatan internal")
    MESSAGE_IN = "message_in", _("Pesan dari pelapor")
    MESSAGE_OUT = "message_out", _("Pesan kepada pelapor")
    CORRECTED = "corrected", _("Koreksi data")
    RATED = "rated", _("Penilaian layanan")
    ATTACHMENTS_ADDED = "attachments_added", _("Lampiran ditambahkan")
    NOTIFICATION = "notification", _("Notifikasi")
    ANONYMISED = "anonymised", _("Data pribadi pelapor dianonimkan")
    DOCUMENTS_REQUESTED = "documents_requested", _("Diminta dokumen tambahan")
    DOCUMENTS_RECEIVED = "documents_received", _("Dokumen tambahan diterima")
    DOCUMENTS_LAPSED = "documents_lapsed", _("Batas dokumen tambahan lewat")
    # Between offices of the instance (issue 18, complaints/transfers.py).
    FORWARDED = "forwarded", _("Diteruskan ke instansi lain")
    FORWARD_REFUSED = "forward_refused", _("Penerusan ditolak")
    ROUTED = "routed", _("Diteruskan oleh layanan pengaduan terpadu")


class CaseEvent(models.Model):
    """One step on the case's timeline. Append-only: corrections are new events (SPEC §4.7)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("actor"))
    actor_label = models.CharField(_("actor"), max_length=100, blank=True,
                                   help_text=_("For non-staff actors: reporter, system."))
    is_public = models.BooleanField(_("public"), default=False)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    status_before = models.CharField(max_length=30, blank=True)
    status_after = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(_("at"), db_index=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at", "id"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("CaseEvent is append-only; write a correction event instead.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> NoReturn:
        raise ValueError("CaseEvent is append-only and is never deleted.")

    # The django-stubs plugin declares Django's generated get_FOO_display; overriding it is fine.
    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        """As Django's (see Complaint.get_status_display)."""
        return _choice_label(EventKind, self.kind)


class RegisterCounter(models.Model):
    """The last register sequence issued per office and year (see numbering.py)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="unique_counter_year"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last_sequence}"


class IdentityAccess(models.Model):
    """Every view of a reporter's identity by staff (SPEC §6, UU 27/2022 processing log)."""

    reporter = models.ForeignKey(Reporter, on_delete=models.PROTECT, related_name="accesses")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, null=True,
                                  related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    purpose = models.CharField(max_length=100)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        indexes = [models.Index(fields=["reporter", "accessed_at"], name="identity_access")]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.reporter_id} at {self.accessed_at}"


class SubmissionKey(BaseModel):
    """A single-use key of one submission (web form token, desk form token, API
    `Idempotency-Key`), written in the transaction that registers the complaint: a replay or
    a double click finds it and gets the first receipt instead of a second complaint.

    A web submission without attachments is ACCEPTED as this one row before it is registered
    (decision 0015): `complaint` is empty, `payload` holds the form's cleaned fields encrypted
    (core/crypto.py), `tracking_code` is the case's code issued now and `received_at` the time
    of receipt (the register date and the deadlines count from it). The worker registers it
    (complaints/submissions.py `submission_register`), links the case and clears the payload in
    the case's transaction; a failure counts in `attempts` and keeps its `error`."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=128)
    # The API's request fingerprint: the same key with another body is refused.
    body_sha256 = models.CharField(max_length=64, blank=True)
    # Empty while an accepted web submission waits for the worker.
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+",
                                  null=True, blank=True)
    # The first answer, returned again on replay (API).
    response = models.JSONField(default=dict, blank=True)
    # An accepted submission (empty on keys written with their case).
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    tracking_code = models.CharField(max_length=32, null=True, blank=True, unique=True)
    received_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    payload = models.TextField(blank=True)  # encrypted JSON; cleared once registered
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")
        constraints = [models.UniqueConstraint(fields=["scope", "key"],
                                               name="submission_key_unique")]
        indexes = [models.Index(fields=["received_at"], name="submission_pending",
                                condition=Q(complaint__isnull=True))]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class TransferKind(models.TextChoices):
    FORWARD = "forward", _("Diteruskan")
    ROUTE = "route", _("Dirutekan")


class TransferState(models.TextChoices):
    MOVED = "moved", _("Dipindahkan")
    REFUSED = "refused", _("Ditolak")


class CaseTransfer(BaseModel):
    """One hop of a case between two offices of the instance (issue 18, decision 0013): a
    forward by an office that finds the case outside its authority, or a route by the central
    intake. The case moves with its events and attachments and keeps its tracking code; it
    gets the receiving office's register number. A refused hop moves it back with the numbers,
    dates and status kept in `restore` (complaints/transfers.py)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="transfers",
                                  verbose_name=_("complaint"))
    kind = models.CharField(_("kind"), max_length=10, choices=TransferKind.choices,
                            default=TransferKind.FORWARD)
    state = models.CharField(_("state"), max_length=10, choices=TransferState.choices,
                             default=TransferState.MOVED)
    from_office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                                    related_name="transfers_out", verbose_name=_("from office"))
    to_office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                                  related_name="transfers_in", verbose_name=_("to office"))
    from_register_number = models.CharField(_("register number at the sender"),
                                            max_length=100)
    from_register_year = models.PositiveSmallIntegerField()
    from_register_sequence = models.PositiveIntegerField()
    to_register_number = models.CharField(_("register number at the receiver"),
                                          max_length=100)
    to_register_year = models.PositiveSmallIntegerField()
    to_register_sequence = models.PositiveIntegerField()
    # When the sending office had received the case (its clock's start), for the record and
    # for the forwarding delay (oversight): the case's own dates restart at the receiver.
    from_received_at = models.DateTimeField(_("received by the sender at"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("forwarded by"))
    requested_at = models.DateTimeField(_("forwarded at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("refused by"))
    decided_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # The sender's view of the case before the move (status, numbers, dates, unit, channel,
    # service type), put back when the receiver refuses (transfers.py, `_SNAPSHOT`).
    restore = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_office=F("to_office")),
                                   name="transfer_between_offices"),
        ]
        indexes = [
            models.Index(fields=["complaint", "requested_at", "id"], name="transfer_case"),
            models.Index(fields=["from_office", "-requested_at", "-id"], name="transfer_out"),
            models.Index(fields=["to_office", "-requested_at", "-id"], name="transfer_in"),
        ]

    def __str__(self) -> str:
        return f"{self.from_register_number} -> {self.to_register_number} ({self.state})"


class DailyFigure(models.Model):
    """Counts of an office's cases per day of receipt and dimension (complaints/figures.py),
    kept by `Complaint.save`; `manage.py rebuild_daily_figures` recomputes them all."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=40, blank=True)
    # Only in the status and unit deadline dimensions: the unit holding the cases (unit staff
    # count their own; the oversight's drill-down per unit).
    unit = models.ForeignKey("offices.Unit", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", db_constraint=False)
    count = models.PositiveIntegerField(default=0)
    settled = models.PositiveIntegerField(default=0)

    class Meta:
        # Every column the readers sum or group by is in the index, so PostgreSQL and SQLite
        # answer from the index alone (an index-only scan), never visiting the table: five
        # years of 50 offices' figures (the regency dashboard) read 2,570 index pages instead
        # of 11,900 table and index pages (docs/benchmarks.md).
        indexes = [models.Index(fields=["office", "dimension", "day", "key", "unit", "count",
                                        "settled"], name="figure_day_all")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.key}: {self.count}"


class MonthlyFigure(models.Model):
    """The status, deadline, channel, service type and working-days daily figures of an office
    summed per month of receipt, and its status figures per unit (dimension UNIT, key: the
    unit's id, "" for none) (complaints/figures.py, the roll-up): the regency table and the
    desk dashboard read a period's whole months here and only its partial edge months from
    the daily figures. Kept by the same services as the daily figures, in the same
    transaction (an increment by the difference of each day recomputed), and rebuilt with
    them; `month` is the first day of the month."""

    # No index of its own: the unique constraint's index leads with the office.
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    month = models.DateField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=40, blank=True)
    # Not positive-checked: an increment never makes a count negative when the roll-up equals
    # its daily figures, and a check must not make a case's save fail if it ever did not
    # (`manage.py rebuild_daily_figures --check` reports it).
    count = models.IntegerField(default=0)
    settled = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "dimension", "month", "key"],
                                               name="figure_month_key")]
        # As `figure_day_all`: the regency table's sums read the index alone.
        indexes = [models.Index(fields=["office", "dimension", "month", "key", "count",
                                        "settled"], name="figure_month_all")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension}={self.key}: {self.count}"


@receiver(post_delete, sender=Complaint)
def _complaint_deleted(sender: type[Complaint], instance: Complaint, **kwargs: object) -> None:
    from aduan.complaints.figures import figures_refresh

    figures_refresh(instance.office_id, {instance.received_on,
                                         getattr(instance, "_figures_day", None)})

"""Case intelligence on the desk: saved replies, the office's switch per channel, the stored
suggestions of the triage engine, what officers did with them, related-case hints and the
automatic answers sent to reporters (issue 19, issue 20 "canned answers")."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel
from aduan.offices.models import ChannelKind


class SavedReply(BaseModel):
    """A reply an office writes again and again ("berkas sudah kami terima..."), kept by the
    team lead or the administrator and picked on the case page's reply forms."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="saved_replies")
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("teks balasan"))
    keywords = models.CharField(_("kata kunci"), max_length=300, blank=True)
    # Stemmed words of title, keywords and body (PySastrawi), for the picker's search.
    search_text = models.TextField(editable=False, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("balasan tersimpan")
        verbose_name_plural = _("balasan tersimpan")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        from aduan.portal.search import stem_text

        self.search_text = stem_text(f"{self.title} {self.keywords} {self.body}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class AssistMode(models.TextChoices):
    OFF = "off", _("Mati")
    SUGGEST = "suggest", _("Saran saja")
    AUTOMATIC = "automatic", _("Otomatis")


# On the answer engine's scale (BM25 coverage of question and FAQ entry, triage/engine.py): on
# the development set's information requests, every FAQ answer at 0.30 or above was the right
# one (7 of 7) and a third of those between 0.20 and 0.30 were wrong (docs/benchmarks.md).
DEFAULT_THRESHOLD = 0.3


class ChannelAssist(BaseModel):
    """The office's switch for one channel kind: no suggestions, suggestions for the officer
    (the default when no row exists), or automatic answers to information requests whose best
    answer is at least `threshold` sure."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE,
                               related_name="assist_channels")
    channel_kind = models.CharField(_("jenis saluran"), max_length=20,
                                    choices=ChannelKind.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=AssistMode.choices,
                            default=AssistMode.SUGGEST)
    threshold = models.FloatField(
        _("ambang keyakinan jawaban otomatis"), default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(0.1), MaxValueValidator(1.0)],
        help_text=_("0,10 sampai 1,00: jawaban dikirim otomatis hanya bila keyakinannya "
                    "setidaknya sebesar ini."))

    class Meta:
        verbose_name = _("pengaturan saran per saluran")
        verbose_name_plural = _("pengaturan saran per saluran")
        constraints = [
            models.UniqueConstraint(fields=["office", "channel_kind"],
                                    name="assist_channel_unique"),
            models.CheckConstraint(condition=models.Q(threshold__gte=0.1)
                                   & models.Q(threshold__lte=1.0),
                                   name="assist_threshold_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_kind_display()}: {self.get_mode_display()}"


class Suggestion(BaseModel):
    """The triage engine's suggestions for one case, computed in the background once."""

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE,
                                     related_name="assist_suggestion")
    model_version = models.CharField(max_length=100, blank=True)
    # aduan.triage.api.Suggestions as plain data (see assist/engine.py).
    data = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("saran")
        verbose_name_plural = _("saran")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.model_version}"


class FeedbackField(models.TextChoices):
    INTENT = "intent", _("Maksud")
    SERVICE_TYPE = "service_type", _("Jenis perizinan")
    UNIT = "unit", _("Bidang")
    AGENCY = "agency", _("Instansi rujukan")
    ANSWER = "answer", _("Jawaban")
    # The office a case was routed or forwarded to, as its triage authority label.
    AUTHORITY = "authority", _("Kewenangan")


class SuggestionFeedback(models.Model):
    """What an officer did with a suggestion: applied it as suggested, or chose otherwise.
    The triage training reads these (`selectors.feedback_for_training`)."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE,
                                  related_name="assist_feedback")
    field = models.CharField(max_length=20, choices=FeedbackField.choices)
    suggested = models.CharField(max_length=100, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    chosen = models.CharField(max_length=100, blank=True)
    accepted = models.BooleanField()
    model_version = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("umpan balik saran")
        verbose_name_plural = _("umpan balik saran")
        indexes = [models.Index(fields=["office", "created_at"], name="assist_feedback_office")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.field}: {self.suggested} -> {self.chosen}"


class HintKind(models.TextChoices):
    SAME_REPORTER = "same_reporter", _("Kemungkinan pelapor yang sama")
    SAME_ISSUE = "same_issue", _("Kemungkinan masalah yang sama")


class HintStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    LINKED = "linked", _("Ditautkan sebagai duplikat")
    DISMISSED = "dismissed", _("Diabaikan")


class RelatedHint(BaseModel):
    """A possible relation of a new case to an earlier one. `reasons` are codes (phone, email,
    nik, name, text, service_type), never the matched values."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE,
                                  related_name="assist_hints")
    related = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE,
                                related_name="+")
    kind = models.CharField(max_length=20, choices=HintKind.choices)
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=HintStatus.choices,
                              default=HintStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("petunjuk pengaduan terkait")
        verbose_name_plural = _("petunjuk pengaduan terkait")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "related", "kind"],
                                    name="assist_hint_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} ~ {self.related_id} ({self.kind})"


class InstantState(models.TextChoices):
    SENT = "sent", _("Menunggu jawaban pelapor")
    HELPFUL = "helpful", _("Membantu")
    NOT_HELPFUL = "not_helpful", _("Tidak membantu")
    FURTHER = "further", _("Pelapor mengirim pesan lain")
    EXPIRED = "expired", _("Tidak dijawab")


class InstantAnswer(BaseModel):
    """An automatic answer sent to the reporter of an information request."""

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE,
                                     related_name="assist_instant")
    kind = models.CharField(max_length=10)  # "faq" | "case"
    ref = models.CharField(max_length=100)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    confidence = models.FloatField()
    model_version = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=20, choices=InstantState.choices,
                             default=InstantState.SENT)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jawaban otomatis")
        verbose_name_plural = _("jawaban otomatis")
        indexes = [models.Index(fields=["state", "expires_at"], name="assist_instant_due")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.state}"

"""The community satisfaction survey (SKM/IKM, PermenPANRB 14/2017): reporters' ratings of their
case, answers of any service user on the public survey page, and the population per period
that sets the minimum sample."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel


def _elements_complete() -> Q:
    from aduan.ikm.scoring import ELEMENT_CODES, SCALE

    # `has_keys` first: a missing key makes `IN` NULL, and a CHECK that is NULL passes.
    return Q(elements__has_keys=list(ELEMENT_CODES)) & Q(
        **{f"elements__{code}__in": list(SCALE) for code in ELEMENT_CODES})


class ServiceRating(BaseModel):
    """The reporter's rating of how the complaint was handled: one per case.

    `elements` holds the nine element scores of the national survey (IKM, PermenPANRB 14/2017),
    `{"u1": 1..4, ..., "u9": 1..4}`, and `score` the overall 1-4 score derived from them
    (`scoring.overall_score`). Ratings given before the nine-element form have `elements == {}`
    and their own overall score; they count in no index (`ikm.selectors.service_rating_ikm`).
    The table keeps its name from when the model lived in the portal app.
    """

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.PROTECT,
                                     related_name="rating", verbose_name=_("complaint"))
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    elements = models.JSONField(_("element scores"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        db_table = "portal_servicerating"
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=4),
                                   name="rating_score_1_to_4"),
            models.CheckConstraint(condition=Q(elements={}) | _elements_complete(),
                                   name="rating_elements_none_or_all_nine_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.score}"


class AgeBand(models.TextChoices):
    UNDER_20 = "lt20", _("Di bawah 20 tahun")
    A20_29 = "20-29", _("20–29 tahun")
    A30_39 = "30-39", _("30–39 tahun")
    A40_49 = "40-49", _("40–49 tahun")
    A50_PLUS = "50+", _("50 tahun ke atas")


class Sex(models.TextChoices):
    MALE = "m", _("Laki-laki")
    FEMALE = "f", _("Perempuan")


class Education(models.TextChoices):
    SD = "sd", _("SD ke bawah")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    D3 = "d1-d3", _("D1–D3")
    S1 = "d4-s1", _("D4/S1")
    S2 = "s2+", _("S2 ke atas")


class Occupation(models.TextChoices):
    PNS = "pns", _("PNS")
    TNI_POLRI = "tni_polri", _("TNI/Polri")
    PRIVATE = "private", _("Pegawai swasta")
    ENTREPRENEUR = "entrepreneur", _("Wirausaha")
    STUDENT = "student", _("Pelajar/Mahasiswa")
    OTHER = "other", _("Lainnya")


class SurveyResponse(BaseModel):
    """One service user's answers on the public survey page: the nine elements and the
    respondent profile the regulation's questionnaire asks (age band, sex, education,
    occupation). Anonymous: no name, no contact, no address; `nonce` is the form's single-use
    key, so a double click or a replay counts once."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey("offices.ServiceType", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("jenis layanan"))
    elements = models.JSONField(_("element scores"))
    score = models.PositiveSmallIntegerField(_("score"))
    age_band = models.CharField(_("usia"), max_length=10, choices=AgeBand.choices)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices)
    occupation = models.CharField(_("pekerjaan"), max_length=20, choices=Occupation.choices)
    comment = models.TextField(_("comment"), blank=True)
    nonce = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")
        indexes = [models.Index(fields=["office", "created_at"], name="survey_office_time")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=4),
                                   name="survey_score_1_to_4"),
            models.CheckConstraint(condition=_elements_complete(),
                                   name="survey_elements_all_nine_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.score}"


class SurveyPopulation(BaseModel):
    """How many people the office served in a semester (the survey's population): sets the
    minimum sample the published index is checked against."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    half = models.PositiveSmallIntegerField(_("semester"), choices=[(1, "I"), (2, "II")])
    population = models.PositiveIntegerField(_("jumlah penerima layanan"))

    class Meta:
        verbose_name = _("populasi survei")
        verbose_name_plural = _("populasi survei")
        constraints = [models.UniqueConstraint(fields=["office", "year", "half"],
                                               name="unique_survey_population")]

    def __str__(self) -> str:
        return f"{self.year}/{self.half}: {self.population}"

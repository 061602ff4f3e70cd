"""Portal data: the public knowledge base (FAQ) and the reporters' service ratings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel


class FaqEntry(BaseModel):
    """A frequent question with its answer (SPEC §7: most cases are answered from standard
    knowledge). Edited by the administrator in the Django admin."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="faqs")
    code = models.SlugField(_("code"))
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Extra words people use for this question."))
    service_type = models.ForeignKey("offices.ServiceType", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("service type"))
    # Stemmed words of question, answer and keywords (PySastrawi), kept for search.
    search_text = models.TextField(editable=False, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("frequent question")
        verbose_name_plural = _("frequent questions")
        ordering = ["order", "question"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_faq_code"),
        ]

    def __str__(self) -> str:
        return self.question

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived index, recomputed on every save so admin edits are searchable at once.
        from aduan.portal.search import stem_text

        self.search_text = stem_text(f"{self.question} {self.keywords} {self.answer}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def _elements_complete() -> Q:
    from aduan.portal.ikm import ELEMENT_CODES, SCALE

    # `has_keys` first: a missing key makes `IN` NULL, and a CHECK that is NULL passes.
    return Q(elements__has_keys=list(ELEMENT_CODES)) & Q(
        **{f"elements__{code}__in": list(SCALE) for code in ELEMENT_CODES})


class ServiceRating(BaseModel):
    """The reporter's rating of how the complaint was handled: one per case.

    `elements` holds the nine element scores of the national survey (IKM, PermenPANRB 14/2017),
    `{"u1": 1..4, ..., "u9": 1..4}`, and `score` the overall 1-4 score derived from them
    (`ikm.overall_score`). Ratings given before the nine-element form have `elements == {}` and
    their own overall score; they count in no index (`portal.selectors.service_rating_ikm`).
    """

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.PROTECT,
                                     related_name="rating", verbose_name=_("complaint"))
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    elements = models.JSONField(_("element scores"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
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

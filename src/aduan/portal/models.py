"""Portal data: the public knowledge base (FAQ). Service ratings and the IKM survey live in
`aduan.ikm`."""

from __future__ import annotations

from django.db import models
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

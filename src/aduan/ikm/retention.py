"""Retention (UU 27/2022): a service rating keeps its scores (IKM) and loses personal data
from its comment when the reporter is anonymised."""

from __future__ import annotations

from aduan.core.redaction import Redactor
from aduan.ikm.models import ServiceRating


def rating_purge_for_complaints(*, complaint_ids: list[int], redact: Redactor) -> int:
    """Redact the comments of these cases' ratings; returns the ratings changed."""
    changed = 0
    for rating in ServiceRating.objects.filter(complaint_id__in=complaint_ids).exclude(
            comment=""):
        comment = redact(rating.comment)
        if comment != rating.comment:
            rating.comment = comment
            rating.save(update_fields=["comment", "updated_at"])
            changed += 1
    return changed

"""Retention and erasure (UU 27/2022): an anonymised reporter's data-subject requests keep
their number, kind, dates and outcome (the PDP report counts them) and lose the words that may
name them; their one-time codes are deleted."""

from __future__ import annotations

from django.utils import timezone

from aduan.core.redaction import Redactor
from aduan.rights.models import DataRequest, RequestChallenge


def requests_purge_for_complaints(*, complaint_ids: list[int], redact: Redactor) -> int:
    RequestChallenge.objects.filter(complaint_id__in=complaint_ids).delete()
    changed = 0
    now = timezone.now()
    for pk, detail, answer in DataRequest.objects.filter(
            complaint_id__in=complaint_ids).values_list("pk", "detail", "answer"):
        new_detail, new_answer = redact(detail), redact(answer)
        if (new_detail, new_answer) != (detail, answer):
            DataRequest.objects.filter(pk=pk).update(detail=new_detail, answer=new_answer,
                                                     updated_at=now)
            changed += 1
    return changed

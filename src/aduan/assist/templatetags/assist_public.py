"""Template tags of the public pages: the automatic answer on the confirmation page (polled
until the background work is done) and on the tracking page."""

from __future__ import annotations

from typing import Any

from django import template
from django.core import signing

from aduan.assist.models import InstantAnswer
from aduan.complaints.models import Complaint, EventKind

register = template.Library()

POLL_SALT = "aduan.assist.instant-poll"


def poll_token(complaint: Complaint) -> str:
    return signing.dumps(complaint.pk, salt=POLL_SALT)


@register.inclusion_tag("assist/_instant_poll.html")
def instant_answer_poll(complaint: Complaint) -> dict[str, Any]:
    """A placeholder the page fills with the automatic answer once it exists (htmx); nothing
    when the case's channel does not answer automatically."""
    from django.conf import settings

    from aduan.assist.compute import channel_kind_of
    from aduan.assist.models import AssistMode
    from aduan.assist.selectors import channel_setting

    if not settings.ADUAN_ASSIST_ON_NEW_CASES or channel_setting(
            complaint.office_id, channel_kind_of(complaint)).mode != AssistMode.AUTOMATIC:
        return {"token": ""}
    return {"token": poll_token(complaint), "attempt": 0}


@register.simple_tag
def instant_answer_of(case: Any) -> InstantAnswer | None:
    """The automatic answer of a tracked case (portal PublicCase); asked from the database
    only when the public timeline shows one was sent (the page is the portal's hot path)."""
    if not any(e.kind == EventKind.MESSAGE_OUT and (e.data or {}).get("automatic")
               for e in case.timeline):
        return None
    return InstantAnswer.objects.filter(complaint_id=case.complaint.pk).first()

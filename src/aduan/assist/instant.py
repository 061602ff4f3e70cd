"""Automatic answers (issue 19): an information request whose best answer is sure enough, on
a channel the office set to "automatic", gets that answer at once on the reporter's channel,
marked as automatic, with the question "was this helpful? reply 1 (yes) / 2 (no)".

Yes settles the case as answered through the procedure (the system's "answer" step, counted
in the reports as settled with its time); no, silence past the wait, or any other message
leaves it with the officers (the case is still open in their inbox) and says why on the case
page.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.assist.models import InstantAnswer, InstantState, Suggestion
from aduan.complaints import notify
from aduan.complaints.events import complaint_message_out_event
from aduan.complaints.models import CaseEvent, Complaint
from aduan.complaints.workflow import Status
from aduan.core.exceptions import ApplicationError

INFORMATION_REQUEST = "permintaan_informasi"
_YES = frozenset({"1", "ya", "y", "iya", "yes", "ok", "oke", "membantu", "sudah", "terima kasih"})
_NO = frozenset({"2", "tidak", "tdk", "gak", "ga", "nggak", "enggak", "no", "belum",
                 "tidak membantu", "kurang"})
_WORDS = re.compile(r"[^0-9a-z ]+")


def wait_hours() -> int:
    return int(getattr(settings, "ADUAN_INSTANT_ANSWER_WAIT_HOURS", 24))


def instant_text(answer: str, question: str = "") -> str:
    """What the reporter receives: marked automatic, the FAQ question it answers (when it is
    one), the answer, and the question whether it helped."""
    text = f"{question.strip()}\n\n{answer.strip()}" if question.strip() else answer.strip()
    return _("[Jawaban otomatis]\n\n%(answer)s\n\nApakah jawaban ini membantu? "
             "Balas 1 (ya) / 2 (tidak).") % {"answer": text}


def instant_answer_consider(complaint: Complaint, suggestion: Suggestion, *,
                            threshold: float) -> InstantAnswer | None:
    """Send the best FAQ answer at once when the case is an information request and the
    answer is at least `threshold` sure; None otherwise."""
    intents = suggestion.data.get("intent") or []
    # Only the office's published FAQ answers go out unread: an answer taken from another
    # case was written for that case (and a settled duplicate's "same as case X" is no answer).
    answers = [a for a in suggestion.data.get("answers") or [] if a.get("kind") == "faq"]
    if not intents or not answers or intents[0].get("code") != INFORMATION_REQUEST:
        return None
    best = answers[0]
    if float(best.get("confidence") or 0) < threshold or not str(best.get("text", "")).strip():
        return None
    return instant_answer_send(complaint_id=complaint.pk, answer=best,
                               model_version=suggestion.model_version)


@transaction.atomic
def instant_answer_send(*, complaint_id: int, answer: dict,
                        model_version: str = "") -> InstantAnswer | None:
    """Write the automatic answer as a public message of the case; the outbox sends it on the
    reporter's channel in this same transaction. Once per case, only while it is new."""
    complaint = (Complaint.objects.select_for_update(of=("self",))
                 .select_related("office", "channel", "reporter").filter(pk=complaint_id).first())
    if complaint is None or complaint.status != Status.RECEIVED:
        return None
    if InstantAnswer.objects.filter(complaint=complaint).exists():
        return None
    now = timezone.now()
    instant = InstantAnswer.objects.create(
        complaint=complaint, kind=str(answer.get("kind", ""))[:10],
        ref=str(answer.get("ref", ""))[:100], title=str(answer.get("title", ""))[:300],
        text=str(answer["text"]).strip(), confidence=float(answer.get("confidence") or 0),
        model_version=model_version[:100], expires_at=now + dt.timedelta(hours=wait_hours()))
    event = complaint_message_out_event(
        complaint, actor=None,
        body=instant_text(instant.text, instant.title if instant.kind == "faq" else ""),
        data={"automatic": True, "instant_answer_id": instant.pk,
              "confidence": instant.confidence})
    notify.dispatch(event)
    return instant


_REPLY_PREFIX = re.compile(r"^\s*(re|fw|fwd|aw|balas|tr)\s*:", re.IGNORECASE)
_QUOTE_HEADER = re.compile(r"^\s*(>|-{2,}|_{2,}|(on|pada)\b.*\b(wrote|menulis)\s*:)",
                           re.IGNORECASE)


def _first_line(text: str) -> str:
    """The reporter's own first line: an e-mail reply's subject ("Re: [...]") is skipped and
    nothing from the quoted message below counts."""
    for line in (text or "").splitlines():
        if _QUOTE_HEADER.match(line):
            break
        if line.strip() and not _REPLY_PREFIX.match(line):
            return line
    return ""


def classify_reply(text: str) -> str:
    """"yes", "no" or "other" for the reporter's reply to the question."""
    line = _first_line(text)
    words = _WORDS.sub(" ", line.lower()).split()
    if not words:
        return "other"
    phrase = " ".join(words)
    short = len(words) <= 6 and "?" not in line
    if phrase in _YES or (short and words[0] in {"1", "ya", "iya", "y"}):
        return "yes"
    if phrase in _NO or (short and words[0] in {"2", "tidak", "tdk", "gak"}):
        return "no"
    return "other"


def instant_reply_received(event: CaseEvent) -> InstantAnswer | None:
    """The reporter wrote again (inside the service's transaction, `complaints.notify`)."""
    instant = (InstantAnswer.objects.select_for_update()
               .filter(complaint_id=event.complaint_id, state=InstantState.SENT).first())
    if instant is None:
        return None
    return _decide(instant, classify_reply(event.body))


def instant_answer_web(*, complaint: Complaint, helpful: bool) -> InstantAnswer | None:
    """The reporter's yes / no on the web confirmation or tracking page."""
    with transaction.atomic():
        instant = (InstantAnswer.objects.select_for_update()
                   .filter(complaint=complaint, state=InstantState.SENT).first())
        if instant is None:
            return None
        return _decide(instant, "yes" if helpful else "no")


def _decide(instant: InstantAnswer, reply: str) -> InstantAnswer:
    from aduan.complaints.services import complaint_answer

    now = timezone.now()
    if reply == "yes":
        try:
            complaint_answer(
                complaint_id=instant.complaint_id, actor=None,
                answer=_("%(answer)s\n\n(Jawaban otomatis; Anda menyatakan jawaban ini "
                         "membantu. Pengaduan selesai.)") % {"answer": instant.text},
                findings=_("Dijawab otomatis; pelapor menyatakan jawaban membantu."),
                data={"automatic": True, "instant_answer_id": instant.pk})
        except ApplicationError:
            # An officer acted on the case meanwhile: their step stands.
            reply = "other"
        else:
            instant.state = InstantState.HELPFUL
    if reply == "no":
        instant.state = InstantState.NOT_HELPFUL
    elif reply == "other":
        instant.state = InstantState.FURTHER
    instant.decided_at = now
    instant.save(update_fields=["state", "decided_at", "updated_at"])
    # The reporter's tracking page is memoised on the case's `updated_at` (portal/pagecache.py).
    Complaint.objects.filter(pk=instant.complaint_id).update(updated_at=now)
    return instant


def instant_expire_due(*, now: dt.datetime | None = None) -> int:
    """Periodic: automatic answers nobody replied to within the wait go to the officers."""
    now = now or timezone.now()
    due = InstantAnswer.objects.filter(state=InstantState.SENT, expires_at__lte=now)
    ids = list(due.values_list("complaint_id", flat=True)[:1000])
    count = InstantAnswer.objects.filter(complaint_id__in=ids, state=InstantState.SENT).update(
        state=InstantState.EXPIRED, decided_at=now, updated_at=now)
    Complaint.objects.filter(pk__in=ids).update(updated_at=now)
    return count

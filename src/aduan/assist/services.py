"""Writes of the assist app: saved replies, the office switch, feedback on suggestions and the
decisions on related-case hints. The background computations live in `assist/compute.py`,
automatic answers in `assist/instant.py`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import Role, User
from aduan.assist.models import (
    AssistMode,
    ChannelAssist,
    FeedbackField,
    HintKind,
    HintStatus,
    RelatedHint,
    SavedReply,
    SuggestionFeedback,
)
from aduan.complaints.access import access_complaint
from aduan.complaints.models import Complaint
from aduan.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from aduan.core.text import clean_text
from aduan.offices.models import ChannelKind, Office

MANAGER_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


class NotAllowed(PermissionDenied):
    code = "role_not_allowed"


def may_manage(user: User) -> bool:
    """Saved replies and the office switch are kept by the team lead and the administrator."""
    return user.office_id is not None and user.has_role(*MANAGER_ROLES)


def _check_manager(actor: User, office: Office) -> None:
    if not may_manage(actor) or actor.office_id != office.pk:
        raise NotAllowed(_("Hanya ketua tim atau administrator yang dapat mengubah ini."),
                         code="role_not_allowed")


# --------------------------------------------------------------------------------------------
# Saved replies
# --------------------------------------------------------------------------------------------


@transaction.atomic
def saved_reply_save(*, office: Office, actor: User, title: str, body: str, keywords: str = "",
                     order: int = 0, is_active: bool = True,
                     reply_id: int | None = None) -> SavedReply:
    """Create or change a saved reply of the office."""
    _check_manager(actor, office)
    title = clean_text(title, multiline=False)[:200]
    body = clean_text(body)
    if not title or not body:
        raise ValidationFailed(_("Judul dan teks balasan wajib diisi."), code="text_required")
    if len(body) > 20_000:
        raise ValidationFailed(_("Teks balasan terlalu panjang."))
    if reply_id is None:
        reply = SavedReply(office=office, created_by=actor)
    else:
        found = SavedReply.objects.select_for_update().filter(office=office, pk=reply_id).first()
        if found is None:
            raise NotFound()
        reply = found
    reply.title = title
    reply.body = body
    reply.keywords = clean_text(keywords, multiline=False)[:300]
    reply.order = max(0, min(int(order), 32_000))
    reply.is_active = is_active
    reply.save()
    return reply


# --------------------------------------------------------------------------------------------
# Office switch
# --------------------------------------------------------------------------------------------


@transaction.atomic
def channel_assist_set(*, office: Office, actor: User, channel_kind: str, mode: str,
                       threshold: float) -> ChannelAssist:
    _check_manager(actor, office)
    if channel_kind not in ChannelKind.values or mode not in AssistMode.values:
        raise ValidationFailed(_("Pilihan saluran atau mode tidak dikenal."))
    if not 0.1 <= threshold <= 1.0:
        raise ValidationFailed(_("Ambang keyakinan harus antara 0,10 dan 1,00."))
    row, _created = ChannelAssist.objects.update_or_create(
        office=office, channel_kind=channel_kind,
        defaults={"mode": mode, "threshold": round(threshold, 2)})
    return row


# --------------------------------------------------------------------------------------------
# Feedback (read by the triage training)
# --------------------------------------------------------------------------------------------


def feedback_record(*, complaint: Complaint, actor: User | None, field: str, suggested: str,
                    chosen: str, confidence: float | None = None,
                    model_version: str = "", office_id: int | None = None
                    ) -> SuggestionFeedback:
    """One decision of an officer on a suggestion: accepted when they chose what was
    suggested. `office_id`: the office whose model is to learn from it (default the case's;
    a routed case has left the office that decided)."""
    if field not in FeedbackField.values:
        raise ValueError(field)
    return SuggestionFeedback.objects.create(
        office_id=office_id or complaint.office_id, complaint=complaint, field=field,
        suggested=suggested[:100], chosen=chosen[:100], confidence=confidence,
        accepted=bool(suggested) and suggested == chosen, model_version=model_version[:100],
        actor=actor)


# --------------------------------------------------------------------------------------------
# Related-case hints
# --------------------------------------------------------------------------------------------


def _hint_for_update(actor: User, hint_id: int, complaint_id: int) -> RelatedHint:
    complaint = access_complaint(actor, complaint_id)
    if not actor.is_complaint_team:
        raise NotAllowed(_("Hanya petugas pengaduan yang dapat memutuskan petunjuk ini."),
                         code="role_not_allowed")
    hint = (RelatedHint.objects.select_for_update()
            .filter(pk=hint_id, complaint=complaint).first())
    if hint is None:
        raise NotFound()
    access_complaint(actor, hint.related_id)  # the related case must be visible too
    return hint


@transaction.atomic
def hint_dismiss(*, complaint_id: int, hint_id: int, actor: User) -> RelatedHint:
    hint = _hint_for_update(actor, hint_id, complaint_id)
    if hint.status != HintStatus.OPEN:
        return hint
    hint.status = HintStatus.DISMISSED
    hint.decided_by = actor
    hint.decided_at = timezone.now()
    hint.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return hint


@transaction.atomic
def hint_link_duplicate(*, complaint_id: int, hint_id: int, actor: User) -> RelatedHint:
    """Settle the case as a duplicate of the hint's related case (its primary) through the
    procedure's "answer" step: the reporter is told the primary's number on their channel
    (outbox), the event carries the reference, and the reports count it as settled."""
    from aduan.complaints.services import complaint_answer

    hint = _hint_for_update(actor, hint_id, complaint_id)
    if hint.status != HintStatus.OPEN:
        raise ValidationFailed(_("Petunjuk ini sudah diputuskan."), code="hint_decided")
    primary = hint.related
    if hint.kind == HintKind.SAME_REPORTER:
        answer = _("Pengaduan Anda sama dengan pengaduan Anda nomor %(number)s yang sudah kami "
                   "terima dan sedang ditangani. Perkembangannya kami sampaikan melalui "
                   "pengaduan tersebut; pengaduan ini kami catat sebagai duplikat dan "
                   "diselesaikan.")
    else:
        # Another reporter's case: this reporter has no code of it, so nothing is promised
        # through it.
        answer = _("Masalah yang Anda sampaikan sama dengan pengaduan nomor %(number)s yang "
                   "sudah kami terima dan sedang kami tangani. Pengaduan ini kami catat sebagai "
                   "duplikat dan diselesaikan. Bila Anda masih memerlukan informasi, silakan "
                   "hubungi kami kembali.")
    complaint_answer(
        complaint_id=complaint_id, actor=actor,
        answer=answer % {"number": primary.register_number},
        findings=_("Duplikat dari pengaduan nomor %(number)s.")
        % {"number": primary.register_number},
        data={"duplicate_of": primary.register_number, "duplicate_of_id": primary.pk})
    now = timezone.now()
    hint.status = HintStatus.LINKED
    hint.decided_by = actor
    hint.decided_at = now
    hint.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    # The case is settled: its other hints are moot.
    RelatedHint.objects.filter(complaint_id=complaint_id, status=HintStatus.OPEN).update(
        status=HintStatus.DISMISSED, decided_by=actor, decided_at=now, updated_at=now)
    return hint


# --------------------------------------------------------------------------------------------
# Applying a suggestion
# --------------------------------------------------------------------------------------------

SERVICE_TYPE_ACTIONS = ("verify", "answer", "refer", "propose_disposition", "dispose")


@transaction.atomic
def complaint_set_service_type(*, complaint_id: int, actor: User, service_type_id: int,
                               suggested: str = "", confidence: float | None = None,
                               model_version: str = "") -> Complaint:
    """Set the case's service type (a one-click suggestion, or a correction): a CORRECTED
    event names the old and new type; the decision is recorded for the training."""
    from aduan.complaints.events import complaint_corrected_event
    from aduan.offices.models import ServiceType

    complaint = access_complaint(actor, complaint_id, for_update=True)
    if not actor.is_complaint_team:
        raise NotAllowed(_("Hanya petugas pengaduan yang dapat menetapkan jenis perizinan."),
                         code="role_not_allowed")
    if complaint.is_settled:
        raise ValidationFailed(_("Pengaduan sudah selesai."), code="settled")
    service_type = ServiceType.objects.filter(office_id=complaint.office_id, pk=service_type_id,
                                              is_active=True).first()
    if service_type is None:
        raise ValidationFailed(_("Jenis perizinan tidak dikenal."))
    old = complaint.service_type
    if old is not None and old.pk == service_type.pk:
        return complaint
    complaint.service_type = service_type
    complaint.save(update_fields=["service_type", "updated_at"])
    complaint_corrected_event(complaint, actor=actor, field="service_type",
                              old=old.name if old else "", new=service_type.name,
                              reason=_("Jenis perizinan ditetapkan."))
    if suggested:
        feedback_record(complaint=complaint, actor=actor, field=FeedbackField.SERVICE_TYPE,
                        suggested=suggested, chosen=str(service_type.pk),
                        confidence=confidence, model_version=model_version)
    return complaint

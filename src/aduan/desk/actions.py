"""Case actions: each action name maps cleaned form data onto exactly one service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from aduan.accounts.models import Role, User
from aduan.complaints import services, transfers
from aduan.complaints.access import access_complaint
from aduan.complaints.models import Complaint
from aduan.complaints.workflow import TRANSITIONS_BY_ACTION, Action, actions_available

NOTE = "note"
NOTE_ROLES = (Role.OFFICER, Role.TEAM_LEAD, Role.UNIT_STAFF, Role.HEAD)

Runner = Callable[[int, User, dict[str, Any]], object]

RUNNERS: dict[str, Runner] = {
    Action.VERIFY: lambda pk, u, d: services.complaint_verify(
        complaint_id=pk, actor=u, note=d["note"], checklist=services.Checklist(
            ktp_seen=d["ktp_seen"], kk_seen=d["kk_seen"],
            power_of_attorney_seen=d["power_of_attorney_seen"],
            chronology_present=d["chronology_present"],
            within_authority=d["within_authority"],
            meets_requirements=d["meets_requirements"])),
    Action.REQUEST_COMPLETION: lambda pk, u, d: services.complaint_request_completion(
        complaint_id=pk, actor=u, note=d["note"]),
    Action.COMPLETE: lambda pk, u, d: services.complaint_complete(
        complaint_id=pk, actor=u, note=d["note"]),
    Action.WITHDRAW: lambda pk, u, d: services.complaint_withdraw(complaint_id=pk, actor=u),
    Action.REFER: lambda pk, u, d: services.complaint_refer(
        complaint_id=pk, actor=u, agency=d["agency"], reply=d["reply"], findings=d["findings"]),
    Action.ANSWER: lambda pk, u, d: services.complaint_answer(
        complaint_id=pk, actor=u, answer=d["answer"], findings=d["findings"]),
    Action.PROPOSE_DISPOSITION: lambda pk, u, d: services.complaint_propose_disposition(
        complaint_id=pk, actor=u, unit=d["unit"], note=d["note"]),
    Action.DISPOSE: lambda pk, u, d: services.complaint_dispose(
        complaint_id=pk, actor=u, unit=d["unit"], note=d["note"]),
    Action.RETURN_DISPOSITION: lambda pk, u, d: services.complaint_return_disposition(
        complaint_id=pk, actor=u, note=d["note"]),
    Action.CLARIFY: lambda pk, u, d: services.complaint_clarify(
        complaint_id=pk, actor=u, clarification=d["clarification"]),
    Action.FOLLOW_UP: lambda pk, u, d: services.complaint_follow_up(
        complaint_id=pk, actor=u, note=d["note"], fault=d["fault"],
        internal_meeting_on=d["internal_meeting_on"],
        meeting_participants=d["meeting_participants"], technical_team=d["technical_team"]),
    Action.RESPOND: lambda pk, u, d: services.complaint_respond(
        complaint_id=pk, actor=u, response=d["response"], findings=d["findings"]),
    Action.CONCLUDE: lambda pk, u, d: services.complaint_conclude(
        complaint_id=pk, actor=u, proven=d["proven"], conclusion=d["conclusion"]),
    Action.CLOSE: lambda pk, u, d: services.complaint_close(
        complaint_id=pk, actor=u, note=d["note"]),
    Action.REOPEN: lambda pk, u, d: services.complaint_reopen(
        complaint_id=pk, actor=u, reason=d["reason"]),
    Action.REQUEST_DOCUMENTS: lambda pk, u, d: services.complaint_request_documents(
        complaint_id=pk, actor=u, note=d["note"]),
    Action.DOCUMENTS_RECEIVED: lambda pk, u, d: services.complaint_documents_received(
        complaint_id=pk, actor=u, note=d["note"]),
    Action.FORWARD: lambda pk, u, d: transfers.case_forward(
        access_complaint(u, pk), d["to_office"], by=u, reason=d["reason"]),
    Action.REFUSE_FORWARD: lambda pk, u, d: _refuse_forward(pk, u, d["reason"]),
    NOTE: lambda pk, u, d: services.complaint_add_note(complaint_id=pk, actor=u, body=d["body"]),
}


def _refuse_forward(complaint_id: int, user: User, reason: str) -> object:
    hop = transfers.transfer_pending(access_complaint(user, complaint_id))
    if hop is None:
        raise services.TransitionNotAllowed(
            _("Pengaduan ini tidak sedang menunggu keputusan atas penerusan."),
            code="transfer_not_pending")
    return transfers.case_forward_refuse(hop, by=user, reason=reason)


def actions_for(user: User, complaint: Complaint) -> list[str]:
    """The actions this user may take on the case now (workflow table), plus the note."""
    names: list[str] = [a.value for a in actions_available(complaint.status, user.roles)
                        if a.value in RUNNERS]
    # One request for documents at a time: while it runs, recording them is what is offered.
    hidden = (Action.REQUEST_DOCUMENTS if complaint.completion_due_on
              else Action.DOCUMENTS_RECEIVED)
    names = [name for name in names if name != hidden]
    # Refusing a forward is offered only on a case that came by a forward not yet acted on.
    if Action.REFUSE_FORWARD in names and transfers.transfer_pending(complaint) is None:
        names.remove(Action.REFUSE_FORWARD)
    if user.has_role(*NOTE_ROLES):
        names.append(NOTE)
    return names


def action_role_allows(user: User, action: str) -> bool:
    """Whether the user's role may ever take `action` (the workflow table's actors), whatever
    the case's state: a refusal here is an authorization denial (403), a refusal for the state
    only means the page was stale."""
    if action == NOTE:
        return user.has_role(*NOTE_ROLES)
    return bool(TRANSITIONS_BY_ACTION[Action(action)].actors & user.roles)


def action_run(action: str, *, complaint_id: int, user: User, data: dict[str, Any]) -> object:
    return RUNNERS[action](complaint_id, user, data)

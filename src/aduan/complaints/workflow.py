"""The procedure of SPEC §4 as one readable table: states, transitions and who may fire them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.accounts.models import Role


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    INCOMPLETE = "incomplete", _("Menunggu kelengkapan")
    VERIFIED = "verified", _("Terverifikasi")
    DISPOSITION_PROPOSED = "disposition_proposed", _("Usulan disposisi")
    DISPOSITIONED = "dispositioned", _("Didisposisikan")
    CLARIFIED = "clarified", _("Diklarifikasi")
    FOLLOWED_UP = "followed_up", _("Ditindaklanjuti")
    RESPONDED = "responded", _("Ditanggapi")
    CONCLUDED = "concluded", _("Disimpulkan")
    REOPENED = "reopened", _("Dibuka kembali")
    CLOSED = "closed", _("Selesai")
    ANSWERED = "answered", _("Selesai (dijawab langsung)")
    REFERRED = "referred", _("Selesai (bukan kewenangan)")
    WITHDRAWN = "withdrawn", _("Dianggap dicabut")


# Settled (selesai) for the reports: closed in any of these ways.
SETTLED_STATUSES = frozenset({Status.CLOSED, Status.ANSWERED, Status.REFERRED, Status.WITHDRAWN})
OPEN_STATUSES = frozenset(set(Status) - SETTLED_STATUSES)


class Action(models.TextChoices):
    VERIFY = "verify", _("Verifikasi")
    REQUEST_COMPLETION = "request_completion", _("Minta kelengkapan")
    COMPLETE = "complete", _("Kelengkapan diterima")
    WITHDRAW = "withdraw", _("Anggap dicabut")
    REFER = "refer", _("Rujuk ke instansi lain")
    ANSWER = "answer", _("Jawab langsung")
    PROPOSE_DISPOSITION = "propose_disposition", _("Usulkan disposisi")
    DISPOSE = "dispose", _("Disposisi ke bidang")
    RETURN_DISPOSITION = "return_disposition", _("Kembalikan usulan disposisi")
    CLARIFY = "clarify", _("Klarifikasi bidang teknis")
    FOLLOW_UP = "follow_up", _("Catat tindak lanjut")
    RESPOND = "respond", _("Tanggapi pelapor")
    CONCLUDE = "conclude", _("Kesimpulan")
    CLOSE = "close", _("Tutup")
    CONFIRM_SATISFACTION = "confirm_satisfaction", _("Pelapor puas")
    AUTO_CLOSE = "auto_close", _("Tutup otomatis")
    REOPEN = "reopen", _("Buka kembali")
    REQUEST_DOCUMENTS = "request_documents", _("Minta dokumen tambahan")
    DOCUMENTS_RECEIVED = "documents_received", _("Dokumen tambahan diterima")
    FORWARD = "forward", _("Teruskan ke instansi lain")
    ROUTE = "route", _("Teruskan ke instansi yang berwenang")
    REFUSE_FORWARD = "refuse_forward", _("Tolak penerusan")


# Actor kinds beyond staff roles.
REPORTER = "reporter"
SYSTEM = "system"

COMPLAINT_TEAM = frozenset({Role.OFFICER, Role.TEAM_LEAD})
LEAD = frozenset({Role.TEAM_LEAD})
UNIT = frozenset({Role.UNIT_STAFF, Role.TEAM_LEAD})
HANDLERS = frozenset({Role.OFFICER, Role.TEAM_LEAD, Role.UNIT_STAFF})


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    # None: the step is recorded and the case keeps its status (and disposition).
    target: Status | None
    actors: frozenset[str]
    # Unit staff may fire it only on cases dispositioned to their own unit.
    unit_scoped: bool = False


def _t(action: Action, sources: set[Status], target: Status | None,
       actors: frozenset[str] | set[str],
       *, unit_scoped: bool = False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors), unit_scoped)


S = Status
TRANSITIONS_BY_ACTION: dict[Action, Transition] = {
    t.action: t
    for t in [
        # 2. Verification (Formulir Tindak Lanjut section C).
        _t(Action.VERIFY, {S.RECEIVED}, S.VERIFIED, COMPLAINT_TEAM),
        _t(Action.REQUEST_COMPLETION, {S.RECEIVED, S.VERIFIED}, S.INCOMPLETE, COMPLAINT_TEAM),
        _t(Action.COMPLETE, {S.INCOMPLETE}, S.RECEIVED, COMPLAINT_TEAM | {REPORTER}),
        _t(Action.WITHDRAW, {S.INCOMPLETE}, S.WITHDRAWN, COMPLAINT_TEAM | {SYSTEM}),
        _t(Action.REFER, {S.RECEIVED, S.VERIFIED, S.REOPENED}, S.REFERRED, COMPLAINT_TEAM),
        # Not our authority, but another office of this instance's: the case moves there
        # (issue 18, transfers.py) and starts again as that office's new intake. The central
        # intake's routing desk routes the same way. The receiving office may refuse the
        # forward only before it acted (still awaiting verification); the case then goes back
        # with the status it had (target None: transfers.py restores it).
        _t(Action.FORWARD, {S.RECEIVED, S.VERIFIED, S.REOPENED}, S.RECEIVED, COMPLAINT_TEAM),
        _t(Action.ROUTE, {S.RECEIVED, S.VERIFIED}, S.RECEIVED, COMPLAINT_TEAM),
        _t(Action.REFUSE_FORWARD, {S.RECEIVED}, None, COMPLAINT_TEAM),
        # The system too: an automatic answer the reporter confirmed helpful (issue 19).
        _t(Action.ANSWER, {S.RECEIVED, S.VERIFIED, S.REOPENED}, S.ANSWERED,
           COMPLAINT_TEAM | {SYSTEM}),
        # 3. Disposition: the officer proposes, the team lead approves (or disposes directly).
        _t(Action.PROPOSE_DISPOSITION, {S.VERIFIED, S.REOPENED}, S.DISPOSITION_PROPOSED,
           {Role.OFFICER}),
        _t(Action.DISPOSE, {S.VERIFIED, S.REOPENED, S.DISPOSITION_PROPOSED}, S.DISPOSITIONED,
           LEAD),
        _t(Action.RETURN_DISPOSITION, {S.DISPOSITION_PROPOSED}, S.VERIFIED, LEAD),
        _t(Action.CLARIFY, {S.DISPOSITIONED}, S.CLARIFIED, UNIT, unit_scoped=True),
        # After disposition the unit or the complaint team may ask the reporter for more
        # documents: the case keeps its status and unit; the 30-day completion clock of
        # UU 25/2009 runs (complaint.completion_due_on) until the documents are recorded as
        # received, or it lapses and the case goes on with what it has (services.py).
        _t(Action.REQUEST_DOCUMENTS, {S.DISPOSITIONED, S.CLARIFIED, S.FOLLOWED_UP}, None,
           HANDLERS, unit_scoped=True),
        _t(Action.DOCUMENTS_RECEIVED, {S.DISPOSITIONED, S.CLARIFIED, S.FOLLOWED_UP}, None,
           HANDLERS, unit_scoped=True),
        # 4. Follow-up: the unit, or the complaint team for the internal meeting / technical team.
        _t(Action.FOLLOW_UP, {S.DISPOSITIONED, S.CLARIFIED, S.FOLLOWED_UP}, S.FOLLOWED_UP,
           HANDLERS, unit_scoped=True),
        # 5. Response to the reporter on their channel.
        _t(Action.RESPOND, {S.VERIFIED, S.CLARIFIED, S.FOLLOWED_UP, S.REOPENED, S.RESPONDED},
           S.RESPONDED, COMPLAINT_TEAM),
        # 6. Conclusion (proven / not proven) signed off by the team lead, then closure.
        _t(Action.CONCLUDE, {S.RESPONDED}, S.CONCLUDED, LEAD),
        _t(Action.CLOSE, {S.RESPONDED, S.CONCLUDED}, S.CLOSED, COMPLAINT_TEAM),
        _t(Action.CONFIRM_SATISFACTION, {S.RESPONDED, S.CONCLUDED}, S.CLOSED, {REPORTER}),
        _t(Action.AUTO_CLOSE, {S.RESPONDED, S.CONCLUDED}, S.CLOSED, {SYSTEM}),
        _t(Action.REOPEN,
           {S.RESPONDED, S.CONCLUDED, S.CLOSED, S.ANSWERED, S.REFERRED},
           S.REOPENED, COMPLAINT_TEAM | {REPORTER}),
    ]
}

# The table in the shape STYLE.md asks for: every state and where it may go.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    status: frozenset(t.target or status for t in TRANSITIONS_BY_ACTION.values()
                      if status in t.sources)
    for status in Status
}


def actions_available(status: str, actor_roles: frozenset[str] | set[str]) -> list[Action]:
    """Actions whose source includes `status` and whose actors intersect `actor_roles`."""
    return [
        t.action
        for t in TRANSITIONS_BY_ACTION.values()
        if status in t.sources and t.actors & set(actor_roles)
    ]

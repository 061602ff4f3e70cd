"""Every allowed and every refused transition of the procedure, by state and by role."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.accounts.models import Role
from aduan.complaints import services
from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.complaints.services import Checklist, TransitionNotAllowed
from aduan.complaints.tests.factories import JAKARTA, register_complaint
from aduan.complaints.workflow import (
    REPORTER,
    SYSTEM,
    TRANSITIONS,
    TRANSITIONS_BY_ACTION,
    Action,
    Status,
)

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2025, 4, 29, 10, 0, tzinfo=JAKARTA)


def _fire(action: Action, complaint: Complaint, actor, office):
    """Call the service behind `action` with valid arguments."""
    pk = complaint.pk
    unit_a = office.units.get(code="perizinan-a")
    agency = office.agencies.get(code="bappenda")
    calls = {
        Action.VERIFY: lambda: services.complaint_verify(
            complaint_id=pk, actor=actor, checklist=Checklist(ktp_seen=True), at=LATER),
        Action.REQUEST_COMPLETION: lambda: services.complaint_request_completion(
            complaint_id=pk, actor=actor, note="Lampirkan KTP.", at=LATER),
        Action.COMPLETE: lambda: services.complaint_complete(
            complaint_id=pk, actor=actor, note="KTP dilampirkan.", at=LATER),
        Action.WITHDRAW: lambda: services.complaint_withdraw(
            complaint_id=pk, actor=actor, at=LATER),
        Action.REFER: lambda: services.complaint_refer(
            complaint_id=pk, actor=actor, agency=agency, reply="Silakan ke Bappenda.", at=LATER),
        Action.ANSWER: lambda: services.complaint_answer(
            complaint_id=pk, actor=actor, answer="Silakan daftar di OSS.", at=LATER),
        Action.PROPOSE_DISPOSITION: lambda: services.complaint_propose_disposition(
            complaint_id=pk, actor=actor, unit=unit_a, at=LATER),
        Action.DISPOSE: lambda: services.complaint_dispose(
            complaint_id=pk, actor=actor, unit=unit_a, at=LATER),
        Action.RETURN_DISPOSITION: lambda: services.complaint_return_disposition(
            complaint_id=pk, actor=actor, note="Bukan bidang itu.", at=LATER),
        Action.CLARIFY: lambda: services.complaint_clarify(
            complaint_id=pk, actor=actor, clarification="Berkas belum lengkap.", at=LATER),
        Action.FOLLOW_UP: lambda: services.complaint_follow_up(
            complaint_id=pk, actor=actor, note="Survei dijadwalkan.", at=LATER),
        Action.RESPOND: lambda: services.complaint_respond(
            complaint_id=pk, actor=actor, response="Survei besok.", at=LATER),
        Action.CONCLUDE: lambda: services.complaint_conclude(
            complaint_id=pk, actor=actor, proven=True, conclusion="Terbukti terlambat.",
            at=LATER),
        Action.CLOSE: lambda: services.complaint_close(complaint_id=pk, actor=actor, at=LATER),
        Action.CONFIRM_SATISFACTION: lambda: services.complaint_confirm_satisfaction(
            complaint_id=pk, at=LATER),
        Action.AUTO_CLOSE: lambda: services.complaint_auto_close(complaint_id=pk, at=LATER),
        Action.REOPEN: lambda: services.complaint_reopen(
            complaint_id=pk, actor=actor, reason="Belum puas.", at=LATER),
        Action.REQUEST_DOCUMENTS: lambda: services.complaint_request_documents(
            complaint_id=pk, actor=actor, note="Denah lokasi.", at=LATER),
        Action.DOCUMENTS_RECEIVED: lambda: _documents_received(pk, actor),
        Action.FORWARD: lambda: _forward(complaint, actor, "forward"),
        Action.ROUTE: lambda: _forward(complaint, actor, "route"),
        Action.REFUSE_FORWARD: lambda: _refuse_forward(complaint, actor, office),
    }
    return calls[action]()


def _other_office():
    from aduan.complaints.tests.factories import make_office
    from aduan.offices.models import Office

    return Office.objects.filter(code="lain").first() or make_office("lain", "Dinas Lain")


def _forward(complaint: Complaint, actor, kind: str) -> Complaint:
    from aduan.complaints.transfers import case_forward

    case_forward(complaint, _other_office(), by=actor, reason="Bukan kewenangan.", kind=kind,
                 at=LATER)
    return Complaint.objects.get(pk=complaint.pk)


def _refuse_forward(complaint: Complaint, actor, office) -> Complaint:
    """A hop that brought the case (in its state under test) from another office."""
    from aduan.complaints.models import CaseTransfer
    from aduan.complaints.transfers import _snapshot, case_forward_refuse

    other = _other_office()
    restore = {**_snapshot(complaint), "office_id": other.pk, "register_sequence": 1,
               "register_number": "LAIN/1/2025", "unit_id": None, "proposed_unit_id": None,
               "channel_id": other.channels.get(code=complaint.channel.code).pk}
    hop = CaseTransfer.objects.create(
        complaint=complaint, from_office=other, to_office=office,
        from_register_number="LAIN/1/2025", from_register_year=2025, from_register_sequence=1,
        to_register_number=complaint.register_number, to_register_year=2025,
        to_register_sequence=complaint.register_sequence, from_received_at=complaint.received_at,
        reason="Bukan kewenangan kami.", requested_by=office.users.first(), requested_at=LATER,
        restore=restore)
    case_forward_refuse(hop, by=actor, reason="Kewenangan Dinas Lain.", at=LATER)
    return Complaint.objects.get(pk=complaint.pk)


def _documents_received(pk: int, actor):
    # Recording documents needs a running request (the 30-day clock).
    Complaint.objects.filter(pk=pk).update(completion_due_on=dt.date(2025, 5, 29))
    return services.complaint_documents_received(complaint_id=pk, actor=actor, at=LATER)


def _actor_for(action: Action, users):
    """A user (or None for reporter/system steps) allowed to fire `action`."""
    actors = TRANSITIONS_BY_ACTION[action].actors
    for role, username in ((Role.OFFICER, "petugas"), (Role.TEAM_LEAD, "ketua"),
                           (Role.UNIT_STAFF, "perizinan_a")):
        if role in actors:
            return users[username]
    assert actors & {REPORTER, SYSTEM}
    return None


def _in_status(office, status: Status) -> Complaint:
    complaint = register_complaint(office)
    # Place the case in the state under test; unit A for states after disposition.
    Complaint.objects.filter(pk=complaint.pk).update(
        status=status, unit=office.units.get(code="perizinan-a"),
        proposed_unit=office.units.get(code="perizinan-a"))
    return Complaint.objects.get(pk=complaint.pk)


CASES = [(action, status) for action in Action for status in Status]


@pytest.mark.parametrize(("action", "status"), CASES,
                         ids=[f"{a.value}-from-{s.value}" for a, s in CASES])
def test_transition_table(action, status, office, users):
    transition = TRANSITIONS_BY_ACTION[action]
    complaint = _in_status(office, status)
    actor = _actor_for(action, users)
    events_before = CaseEvent.objects.filter(complaint=complaint).count()
    if status in transition.sources:
        result = _fire(action, complaint, actor, office)
        result.refresh_from_db()
        # A step without a target keeps the status (the documents after disposition).
        assert result.status == (transition.target or status)
        assert CaseEvent.objects.filter(complaint=complaint).count() > events_before
    else:
        with pytest.raises(TransitionNotAllowed):
            _fire(action, complaint, actor, office)
        complaint.refresh_from_db()
        assert complaint.status == status
        assert CaseEvent.objects.filter(complaint=complaint).count() == events_before


ROLE_USERS = {Role.OFFICER: "petugas", Role.TEAM_LEAD: "ketua", Role.UNIT_STAFF: "perizinan_a",
              Role.HEAD: "kadis"}
ROLE_CASES = [
    (action, role)
    for action in Action
    for role in ROLE_USERS
    if role not in TRANSITIONS_BY_ACTION[action].actors
    and TRANSITIONS_BY_ACTION[action].actors - {REPORTER, SYSTEM}
]


@pytest.mark.parametrize(("action", "role"), ROLE_CASES,
                         ids=[f"{a.value}-by-{r.value}" for a, r in ROLE_CASES])
def test_roles_not_listed_are_refused(action, role, office, users):
    source = sorted(TRANSITIONS_BY_ACTION[action].sources)[0]
    complaint = _in_status(office, source)
    with pytest.raises(TransitionNotAllowed):
        _fire(action, complaint, users[ROLE_USERS[role]], office)
    complaint.refresh_from_db()
    assert complaint.status == source


@pytest.mark.parametrize("action", [Action.CONFIRM_SATISFACTION, Action.AUTO_CLOSE])
def test_reporter_and_system_steps_refuse_staff(action, office, officer):
    complaint = _in_status(office, Status.RESPONDED)
    with pytest.raises(TransitionNotAllowed):
        services.check_transition(complaint, action, actor=officer)


def test_transition_table_covers_every_status():
    assert set(TRANSITIONS) == set(Status)
    # Settled states only lead back through reopening.
    for status in (Status.CLOSED, Status.ANSWERED, Status.REFERRED):
        assert TRANSITIONS[status] == {Status.REOPENED}
    assert TRANSITIONS[Status.WITHDRAWN] == frozenset()


def test_unit_staff_of_other_unit_cannot_clarify(office, unit_b_staff, make_user):
    complaint = _in_status(office, Status.DISPOSITIONED)
    from aduan.core.exceptions import NotFound

    with pytest.raises(NotFound):
        services.complaint_clarify(complaint_id=complaint.pk, actor=unit_b_staff,
                                   clarification="x", at=LATER)


def test_full_procedure_writes_a_complete_timeline(office, officer, lead, unit_a_staff):
    complaint = register_complaint(office, channel_code="meja_pengaduan", created_by=officer)
    pk = complaint.pk
    services.complaint_verify(complaint_id=pk, actor=officer, at=LATER,
                              checklist=Checklist(ktp_seen=True, chronology_present=True))
    services.complaint_propose_disposition(complaint_id=pk, actor=officer,
                                           unit=office.units.get(code="perizinan-a"), at=LATER)
    services.complaint_dispose(complaint_id=pk, actor=lead, at=LATER)
    services.complaint_clarify(complaint_id=pk, actor=unit_a_staff, at=LATER,
                               clarification="Berkas menunggu survei lapangan.")
    services.complaint_follow_up(complaint_id=pk, actor=unit_a_staff, at=LATER,
                                 note="Survei dijadwalkan.", internal_meeting_on=LATER.date())
    services.complaint_respond(complaint_id=pk, actor=officer, at=LATER,
                               response="Survei apotek dijadwalkan minggu ini.")
    services.complaint_conclude(complaint_id=pk, actor=lead, proven=True, at=LATER,
                                conclusion="Keterlambatan terbukti; survei dipercepat.")
    done = services.complaint_close(complaint_id=pk, actor=officer, at=LATER)
    assert done.status == Status.CLOSED
    assert done.settled_on == LATER.date()
    assert done.working_days_taken == 1
    assert done.finding == "proven"
    kinds = list(done.events.values_list("kind", flat=True))
    assert kinds == [EventKind.RECEIVED, EventKind.VERIFIED, EventKind.DISPOSITION_PROPOSED,
                     EventKind.DISPOSITIONED, EventKind.CLARIFIED, EventKind.FOLLOWED_UP,
                     EventKind.RESPONDED, EventKind.CONCLUDED, EventKind.CLOSED]
    public = set(done.events.filter(is_public=True).values_list("kind", flat=True))
    assert EventKind.CLARIFIED not in public and EventKind.DISPOSITION_PROPOSED not in public


def test_reporter_not_satisfied_reopens_and_can_close_again(office, officer):
    complaint = register_complaint(office)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist(),
                              at=LATER)
    services.complaint_respond(complaint_id=complaint.pk, actor=officer, response="Sudah.",
                               at=LATER)
    reopened = services.complaint_reopen(complaint_id=complaint.pk, actor=None,
                                         reason="Belum selesai.", at=LATER)
    assert reopened.status == Status.REOPENED
    assert reopened.is_satisfied is False
    assert reopened.reopened_count == 1
    services.complaint_respond(complaint_id=complaint.pk, actor=officer, response="Selesai.",
                               at=LATER)
    closed = services.complaint_confirm_satisfaction(complaint_id=complaint.pk, at=LATER)
    assert closed.status == Status.CLOSED and closed.is_satisfied is True


def test_events_are_append_only(office):
    event = register_complaint(office).events.first()
    event.body = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()

"""Forwarding a case between offices of the instance and refusing it (issue 18,
complaints/transfers.py): numbers, clocks, timeline, figures and the reporter's messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from aduan.accounts.models import Role, User
from aduan.accounts.roles import ensure_role_groups
from aduan.complaints import services
from aduan.complaints.access import access_complaint
from aduan.complaints.figures import (
    figures_differences,
    figures_status_counts,
    months_differences,
)
from aduan.complaints.models import (
    Attachment,
    CaseTransfer,
    Complaint,
    EventKind,
    RegisterCounter,
    TransferState,
)
from aduan.complaints.services import Checklist, TransitionNotAllowed
from aduan.complaints.tests.factories import make_office, register_complaint
from aduan.complaints.transfers import (
    case_forward,
    case_forward_refuse,
    first_register_number,
    transfer_pending,
    transfers_out,
    transfers_pending_bulk,
)
from aduan.complaints.workflow import Status
from aduan.core.exceptions import NotFound, ValidationFailed
from aduan.notifications.models import OutboxMessage, TemplateCode
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Office

pytestmark = pytest.mark.django_db


def staff(office: Office, username: str, role: Role = Role.OFFICER) -> User:
    ensure_role_groups()
    user = User.objects.create_user(username=username, password="x-test-pass-123",
                                    office=office, email=f"{username}@aduan.localhost")
    user.groups.add(Group.objects.get(name=role.value))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def pupr(office) -> Office:
    return make_office("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", settle_days=10)


@pytest.fixture
def dlh(office) -> Office:
    return make_office("dlh", "Dinas Lingkungan Hidup")


@pytest.fixture
def pupr_officer(pupr) -> User:
    return staff(pupr, "petugas_pupr")


@pytest.fixture
def dlh_officer(dlh) -> User:
    return staff(dlh, "petugas_dlh")


def _now_case(office: Office, **kwargs) -> Complaint:
    """A case received just now (its messages are announced: not history)."""
    return register_complaint(office, received=timezone.now() - dt.timedelta(minutes=5),
                              **kwargs)


def test_forward_moves_the_case_with_its_history_and_a_new_number(office, officer, pupr,
                                                                 pupr_officer):
    complaint = register_complaint(office, service_type=office.service_types.first())
    Attachment.objects.create(complaint=complaint, file=ContentFile(b"x", name="a.txt"),
                              original_name="a.txt", content_type="text/plain", size=1,
                              sha256="0" * 64)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    first_number, code, public_id = (complaint.register_number, complaint.tracking_code,
                                     complaint.public_id)
    events_before = complaint.events.count()

    hop = case_forward(complaint, pupr, by=officer, reason="Jalan rusak: kewenangan PUPR.")

    case = Complaint.objects.get(pk=complaint.pk)
    assert case.office == pupr
    assert case.register_number == f"PUPR/1/{timezone.localdate().year}"
    assert first_register_number(case) == first_number
    assert (case.tracking_code, case.public_id) == (code, public_id)
    assert case.status == Status.RECEIVED
    assert case.unit_id is None and case.verified_on is None
    assert case.service_type is None  # PUPR has no type of the demo office's code
    assert case.channel.office_id == pupr.pk and case.channel.code == "sms_wa"
    assert case.attachments.count() == 1
    assert case.events.count() == events_before + 1
    # The receiving office's clock starts on the day of the forward, with its own limits.
    today = timezone.localdate()
    assert case.received_on == today == case.issued_on
    assert case.due_on == calendar_for_office(pupr.pk).add_working_days(today, 10)
    assert hop.from_received_at == complaint.received_at
    assert (hop.from_register_number, hop.to_register_number) == (first_number,
                                                                  case.register_number)
    assert hop.state == TransferState.MOVED and hop.requested_by == officer
    event = case.events.order_by("-created_at", "-id").first()
    assert event.kind == EventKind.FORWARDED and event.is_public
    assert office.name in event.body and pupr.name in event.body
    assert first_number in event.body and case.register_number in event.body
    assert event.data["from_office"] == office.code and event.data["to_office"] == "pupr"
    # The access door: PUPR's officer sees it, the sender's officer no longer does.
    assert access_complaint(pupr_officer, case.pk).pk == case.pk
    with pytest.raises(NotFound):
        access_complaint(officer, case.pk)
    assert [t.pk for t in transfers_out(office)] == [hop.pk]


def test_service_type_is_mapped_to_the_receivers_type_of_the_same_code(office, officer, pupr):
    complaint = register_complaint(office, service_type=office.service_types.first())
    pupr.service_types.create(code=complaint.service_type.code, name="Sama")
    case_forward(complaint, pupr, by=officer, reason="Bukan kewenangan kami.")
    assert Complaint.objects.get(pk=complaint.pk).service_type.office_id == pupr.pk


def test_forward_twice_then_refusals_walk_the_case_back(office, officer, pupr, pupr_officer,
                                                       dlh, dlh_officer):
    complaint = register_complaint(office)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint.refresh_from_db()
    a_number, a_due, a_received = complaint.register_number, complaint.due_on, \
        complaint.received_on

    to_b = case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    to_c = case_forward(Complaint.objects.get(pk=complaint.pk), dlh, by=pupr_officer,
                        reason="Ternyata limbah: DLH.")
    case = Complaint.objects.get(pk=complaint.pk)
    assert case.office == dlh and first_register_number(case) == a_number
    assert to_c.from_register_number == to_b.to_register_number

    # C refuses: back to B with B's number, awaiting B's verification.
    case_forward_refuse(to_c, by=dlh_officer, reason="Bukan limbah B3.")
    case = Complaint.objects.get(pk=complaint.pk)
    assert case.office == pupr and case.register_number == to_b.to_register_number
    assert case.status == Status.RECEIVED and first_register_number(case) == a_number
    to_c.refresh_from_db()
    assert to_c.state == TransferState.REFUSED and to_c.decided_by == dlh_officer
    assert to_c.refusal_reason == "Bukan limbah B3."

    # B refuses too: back at A exactly as it was there.
    case_forward_refuse(to_b, by=pupr_officer, reason="Jalan desa, bukan kabupaten.")
    case = Complaint.objects.get(pk=complaint.pk)
    assert case.office == office
    assert (case.register_number, case.due_on, case.received_on) == (a_number, a_due,
                                                                      a_received)
    assert case.status == Status.VERIFIED and case.verified_on is not None
    assert first_register_number(case) == ""
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-4:] == [EventKind.FORWARDED, EventKind.FORWARDED, EventKind.FORWARD_REFUSED,
                          EventKind.FORWARD_REFUSED]
    refused = case.events.filter(kind=EventKind.FORWARD_REFUSED).last()
    assert "Jalan desa, bukan kabupaten." in refused.body and a_number in refused.body
    # Each office can act on it again in turn: A may forward it anew.
    case_forward(case, dlh, by=officer, reason="Langsung ke DLH.")
    assert Complaint.objects.get(pk=complaint.pk).office == dlh


def test_only_the_receiving_office_refuses_and_only_before_it_acted(office, officer, pupr,
                                                                   pupr_officer):
    complaint = register_complaint(office)
    hop = case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    with pytest.raises(NotFound):  # the sender cannot see the case any more
        case_forward_refuse(hop, by=officer, reason="Saya berubah pikiran.")
    with pytest.raises(ValidationFailed):
        case_forward_refuse(hop, by=pupr_officer, reason="  ")
    services.complaint_verify(complaint_id=complaint.pk, actor=pupr_officer,
                              checklist=Checklist())
    with pytest.raises(TransitionNotAllowed):
        case_forward_refuse(hop, by=pupr_officer, reason="Sudah diverifikasi.")
    assert Complaint.objects.get(pk=complaint.pk).office == pupr


def test_a_refused_hop_cannot_be_refused_twice(office, officer, pupr, pupr_officer):
    complaint = register_complaint(office)
    hop = case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    case_forward_refuse(hop, by=pupr_officer, reason="Bukan kami.")
    with pytest.raises(NotFound):  # the case is back at the sender
        case_forward_refuse(hop, by=pupr_officer, reason="Bukan kami.")
    case_forward(Complaint.objects.get(pk=complaint.pk), pupr, by=officer, reason="Lagi.")
    with pytest.raises(TransitionNotAllowed):  # not the latest hop
        case_forward_refuse(hop, by=pupr_officer, reason="Bukan kami.")


def test_who_may_forward_and_where(office, officer, unit_a_staff, head, pupr):
    complaint = register_complaint(office)
    with pytest.raises(TransitionNotAllowed):
        case_forward(complaint, pupr, by=head, reason="Bukan kewenangan.")
    with pytest.raises(NotFound):  # unit staff do not even see an undispositioned case
        case_forward(complaint, pupr, by=unit_a_staff, reason="Bukan kewenangan.")
    with pytest.raises(ValidationFailed):
        case_forward(complaint, office, by=officer, reason="Ke diri sendiri.")
    with pytest.raises(ValidationFailed):
        case_forward(complaint, pupr, by=officer, reason="")
    pupr.is_active = False
    pupr.save()
    with pytest.raises(ValidationFailed):
        case_forward(complaint, pupr, by=officer, reason="Kantor nonaktif.")
    services.complaint_answer(complaint_id=complaint.pk, actor=officer, answer="Sudah dijawab.")
    pupr.is_active = True
    pupr.save()
    with pytest.raises(TransitionNotAllowed):  # settled
        case_forward(Complaint.objects.get(pk=complaint.pk), pupr, by=officer, reason="Telat.")
    assert not CaseTransfer.objects.exists()
    assert Complaint.objects.get(pk=complaint.pk).office == office


def test_a_double_click_moves_the_case_once(office, officer, pupr):
    complaint = register_complaint(office)
    stale = Complaint.objects.get(pk=complaint.pk)
    first = case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    second = case_forward(stale, pupr, by=officer, reason="Kewenangan PUPR.")
    assert second.pk == first.pk
    assert CaseTransfer.objects.count() == 1
    assert RegisterCounter.objects.get(office=pupr).last_sequence == 1
    assert Complaint.objects.get(pk=complaint.pk).events.filter(
        kind=EventKind.FORWARDED).count() == 1


def test_numbers_stay_gapless_per_office_under_forwards(office, officer, pupr, pupr_officer):
    year = timezone.localdate().year
    in_pupr = [_now_case(pupr) for _ in range(2)]
    moved = _now_case(office)
    a_sequence = moved.register_sequence
    hop = case_forward(moved, pupr, by=officer, reason="Kewenangan PUPR.")
    after = _now_case(pupr)
    assert [c.register_sequence for c in in_pupr] == [1, 2]
    assert hop.to_register_sequence == 3 and after.register_sequence == 4
    assert hop.to_register_number == f"PUPR/3/{year}"
    # The sender's numbering goes on after the number that left with the case; a refusal
    # brings that number back, and the receiver's number is never reissued.
    assert _now_case(office).register_sequence == a_sequence + 1
    case_forward_refuse(hop, by=pupr_officer, reason="Bukan kami.")
    assert Complaint.objects.get(pk=moved.pk).register_sequence == a_sequence
    assert _now_case(pupr).register_sequence == 5


def test_daily_figures_follow_the_case_to_each_office(office, officer, pupr, pupr_officer):
    complaint = register_complaint(office)
    before_a = sum(figures_status_counts(office.pk).values())
    hop = case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    assert figures_differences() == [] and months_differences() == []
    assert sum(figures_status_counts(office.pk).values()) == before_a - 1
    assert figures_status_counts(pupr.pk) == {Status.RECEIVED: 1}
    case_forward_refuse(hop, by=pupr_officer, reason="Bukan kami.")
    assert figures_differences() == [] and months_differences() == []
    assert sum(figures_status_counts(office.pk).values()) == before_a
    assert figures_status_counts(pupr.pk) == {}


def _messages(complaint: Complaint, code: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(complaint=complaint, template_code=code)
                .order_by("channel", "recipient"))


def test_the_reporter_is_told_by_email_who_handles_the_case_now(office, officer, pupr):
    complaint = _now_case(office, channel_code="website")
    case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR atas jalan kabupaten.")
    case = Complaint.objects.get(pk=complaint.pk)
    [message] = _messages(case, TemplateCode.FORWARDED)
    assert (message.channel, message.recipient) == ("email", "siti@contoh.id")
    assert pupr.name in message.body and case.register_number in message.body
    assert complaint.register_number in message.body
    assert complaint.tracking_code in message.body
    assert "Kewenangan PUPR atas jalan kabupaten." in message.body
    assert message.subject.startswith(f"[{case.register_number}] ")
    assert message.case_event.kind == EventKind.FORWARDED


def test_a_whatsapp_reporter_is_told_on_whatsapp(office, officer, pupr):
    complaint = _now_case(office, channel_code="sms_wa")
    case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    [message] = _messages(complaint, TemplateCode.FORWARDED)
    assert (message.channel, message.recipient) == ("whatsapp", "+6281234567890")
    assert complaint.tracking_code in message.body and "PUPR/1/" in message.body


def test_a_web_reporter_with_a_phone_also_gets_whatsapp_when_enabled(office, officer, pupr,
                                                                    settings):
    settings.ADUAN_WHATSAPP_ENABLED = True
    complaint = _now_case(office, channel_code="website")
    case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    assert sorted(m.channel for m in _messages(complaint, TemplateCode.FORWARDED)) == [
        "email", "whatsapp"]


def test_a_refusal_tells_the_reporter_and_emails_the_senders_team(office, officer, lead, pupr,
                                                                  pupr_officer):
    complaint = _now_case(office, channel_code="website")
    hop = case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    case_forward_refuse(hop, by=pupr_officer, reason="Jalan desa, kewenangan desa.")
    [back] = _messages(complaint, TemplateCode.FORWARD_RETURNED)
    assert back.recipient == "siti@contoh.id"
    assert complaint.register_number in back.body and office.name in back.body
    assert "Jalan desa, kewenangan desa." in back.body
    staff_mail = _messages(complaint, TemplateCode.FORWARD_REFUSED)
    assert {m.recipient for m in staff_mail} == {officer.email, lead.email}
    assert all(pupr.name in m.body and "Jalan desa" in m.body for m in staff_mail)
    assert all(m.channel == "email" for m in staff_mail)
    # Nobody of the refusing office is e-mailed about the refusal (they were told of the
    # forward when it arrived, and only of that).
    assert pupr_officer.email not in {m.recipient for m in OutboxMessage.objects.filter(
        template_code=TemplateCode.FORWARD_REFUSED)}
    assert [m.template_code for m in OutboxMessage.objects.filter(
        recipient=pupr_officer.email)] == [TemplateCode.FORWARD_RECEIVED]


def test_the_receiving_office_is_emailed_when_a_case_arrives(office, officer, lead, pupr,
                                                            pupr_officer, dlh):
    """Its complaint team, by the roles held in it: a member of PUPR whose home is DLH too;
    nobody of the sending office."""
    from aduan.accounts.models import Membership

    visitor = staff(dlh, "tamu_dlh", Role.UNIT_STAFF)
    Membership.objects.create(user=visitor, office=pupr, roles=[Role.TEAM_LEAD])
    complaint = _now_case(office, channel_code="website")
    case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR atas jalan kabupaten.")
    case = Complaint.objects.get(pk=complaint.pk)
    mail = _messages(case, TemplateCode.FORWARD_RECEIVED)
    assert {m.recipient for m in mail} == {pupr_officer.email, visitor.email}
    assert all(m.channel == "email" for m in mail)
    for message in mail:
        assert office.name in message.body and complaint.register_number in message.body
        assert case.register_number in message.body
        assert "Kewenangan PUPR atas jalan kabupaten." in message.body
        assert f"/desk/pengaduan/{case.pk}/" in message.body
        assert message.case_event.kind == EventKind.FORWARDED
    assert not {officer.email, lead.email} & {m.recipient for m in mail}


def test_a_forward_acted_on_cannot_be_refused_even_back_in_received(office, officer, pupr,
                                                                   pupr_officer):
    complaint = register_complaint(office)
    hop = case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    # A reporter's message or an internal note is not acting on the case.
    services.complaint_add_message(complaint_id=complaint.pk, body="Ada tambahan foto.",
                                   data={})
    services.complaint_add_note(complaint_id=complaint.pk, actor=pupr_officer,
                                body="Sepertinya kewenangan desa.")
    case = Complaint.objects.get(pk=complaint.pk)
    assert transfer_pending(case) == hop and transfers_pending_bulk([case]) == {case.pk: hop}
    services.complaint_request_completion(complaint_id=complaint.pk, actor=pupr_officer,
                                          note="Lengkapi lokasi.")
    services.complaint_complete(complaint_id=complaint.pk, actor=None, note="Jl. Mawar 3.")
    case = Complaint.objects.get(pk=complaint.pk)
    assert case.status == Status.RECEIVED  # back in "received", but PUPR acted on it
    assert transfer_pending(case) is None and transfers_pending_bulk([case]) == {}
    with pytest.raises(TransitionNotAllowed) as refused:
        case_forward_refuse(hop, by=pupr_officer, reason="Bukan kami.")
    assert refused.value.code == "transfer_acted_on"
    assert Complaint.objects.get(pk=complaint.pk).office == pupr


def test_a_failed_forward_leaves_nothing_half_written(office, officer, pupr, monkeypatch):
    complaint = _now_case(office, channel_code="website")
    from aduan.complaints import transfers

    def boom(event):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(transfers.notify, "dispatch", boom)
    with pytest.raises(RuntimeError):
        case_forward(complaint, pupr, by=officer, reason="Kewenangan PUPR.")
    case = Complaint.objects.get(pk=complaint.pk)
    assert case.office == office and case.register_number == complaint.register_number
    assert not CaseTransfer.objects.exists()
    assert not RegisterCounter.objects.filter(office=pupr).exists()
    assert figures_differences() == [] and months_differences() == []

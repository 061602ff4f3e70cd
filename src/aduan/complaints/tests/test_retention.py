"""Retention of personal data (SPEC §6, §8; UU 27/2022): reporters are anonymised exactly when
their office's retention period has ended, and the cases stay for the statistics."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command

from aduan.complaints.attachments import attachment_add
from aduan.complaints.models import (
    Attachment,
    CaseEvent,
    Complaint,
    EventKind,
    IdentityAccess,
    Reporter,
)
from aduan.complaints.retention import (
    RetentionNotExpired,
    reporter_anonymise,
    reporter_list_expired,
    reporters_anonymise_expired,
    retention_cutoff,
)
from aduan.complaints.selectors import reporter_for_staff
from aduan.complaints.services import (
    ReporterInput,
    complaint_add_message,
    complaint_answer,
)
from aduan.complaints.tasks import anonymise_expired_reporters
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.workflow import Status
from aduan.core.redaction import REDACTED
from aduan.ikm.models import ServiceRating
from aduan.intake.models import Conversation, InboundMessage, ParseStatus
from aduan.intake.services import Incoming, inbound_process, inbound_store
from aduan.notifications.models import OutboxMessage, OutboxStatus
from aduan.offices.models import Office

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLD = dt.datetime(2021, 3, 1, 9, 0, tzinfo=JAKARTA)
# Two years of retention, run on 1 September 2023: cases settled and last touched before
# 1 September 2021 have passed it.
RUN = dt.datetime(2023, 9, 1, 2, 0, tzinfo=JAKARTA)


def _reporter(name: str, phone: str, email: str = "", **kwargs) -> ReporterInput:
    return ReporterInput(name=name, phone=phone, email=email, consent=True, **kwargs)


def _case(office, *, on: dt.datetime, reporter, settle_by=None, **kwargs) -> Complaint:
    """A complaint received at `on`, answered the same day by `settle_by` if given."""
    with time_machine.travel(on, tick=False):
        complaint = register_complaint(office, received=on, reporter=reporter, **kwargs)
        if settle_by is not None:
            complaint_answer(complaint_id=complaint.pk, actor=settle_by,
                             answer="Izin apotek dapat diurus melalui OSS.")
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def two_years(office) -> Office:
    Office.objects.filter(pk=office.pk).update(retention_years=2)
    office.refresh_from_db()
    return office


@pytest.fixture
def cases(two_years, officer):
    """One case of each kind around the cutoff of RUN (1 September 2021)."""
    office = two_years
    due = _case(
        office, on=OLD, settle_by=officer,
        reporter=_reporter("Siti Aminah", "081234567890", "siti@contoh.id",
                           nik="1403024104900001", address="Jl. Sudirman No. 5 Bengkalis",
                           occupation="Apoteker"),
        subject="Izin apotek Siti Aminah belum selesai",
        description="Saya Siti Aminah (NIK 1403024104900001), hp 0812-3456-7890, e-mail "
                    "siti@contoh.id. Izin apotek kami sudah 1 bulan belum diverifikasi.",
        company_name="Apotek Sehat Sentosa")
    with time_machine.travel(OLD + dt.timedelta(hours=2), tick=False):
        complaint_add_message(complaint_id=due.pk, body="Ini nomor saya +62 812 3456 7890, Siti",
                              data={"channel_kind": "whatsapp", "provider_message_id": "wamid.X"})
        attachment_add(complaint=due, file=ContentFile(PDF, name="KTP_Siti_Aminah.pdf"))
        ServiceRating.objects.create(complaint=due, score=3,
                                     comment="Cepat. Hubungi saya di 081234567890 bila perlu.")
    still_open = _case(office, on=OLD, reporter=_reporter("Budi Santoso", "081311112222"))
    recent = _case(office, on=dt.datetime(2022, 6, 6, 9, tzinfo=JAKARTA), settle_by=officer,
                   reporter=_reporter("Rina Wati", "081322223333"))
    touched = _case(office, on=OLD, settle_by=officer,
                    reporter=_reporter("Dewi Lestari", "081344445555"))
    with time_machine.travel(dt.datetime(2022, 1, 10, 9, tzinfo=JAKARTA), tick=False):
        complaint_add_message(complaint_id=touched.pk, body="Terima kasih.", data={})
    both = _case(office, on=OLD, settle_by=officer,
                 reporter=_reporter("Andi Saputra", "081355556666"))
    both_open = _case(office, on=OLD + dt.timedelta(days=1), reporter=both.reporter)
    return {"due": due, "open": still_open, "recent": recent, "touched": touched,
            "both": both, "both_open": both_open}


def _sms(body: str, *, at: dt.datetime, sender: str = "+6281377778888",
         kind: str = "message", pid: str = "") -> InboundMessage:
    # Our receipt time dates an inbound row (never the provider's clock): store it at `at`.
    with time_machine.travel(at, tick=False):
        message, _created = inbound_store(Incoming(
            channel_kind="sms", provider="sms-gate", raw=f'{{"text": "{body}"}}'.encode(),
            provider_message_id=pid, sender=sender, sender_name="Pak Joko", body=body,
            provider_sent_at=at, headers={"X-Forwarded-For": "10.0.0.1"},
            data={"kind": kind}))
    return message


def test_cutoff_is_the_same_day_retention_years_ago(two_years):
    assert retention_cutoff(two_years, now=RUN) == dt.date(2021, 9, 1)
    leap = dt.datetime(2024, 2, 29, 12, tzinfo=JAKARTA)
    assert retention_cutoff(two_years, now=leap) == dt.date(2022, 2, 28)


def test_only_reporters_whose_every_case_passed_retention_are_due(cases):
    assert list(reporter_list_expired(now=RUN)) == [cases["due"].reporter]
    # A year earlier nothing had passed the cutoff yet.
    assert not reporter_list_expired(now=RUN - dt.timedelta(days=365)).exists()


def test_anonymises_exactly_the_expired_reporter(cases, officer, django_capture_on_commit_callbacks):
    due = cases["due"]
    before = {c.pk: (c.register_number, c.status, c.received_on, c.settled_on, c.channel_id,
                     c.working_days_taken, c.service_type_id, c.unit_id)
              for c in Complaint.objects.all()}
    untouched = {pk: Reporter.objects.filter(pk=pk).values().get() for pk in
                 [cases[k].reporter_id for k in ("open", "recent", "touched", "both")]}
    stored = Attachment.objects.get(complaint=due).file
    assert stored.storage.exists(stored.name)
    events_before = CaseEvent.objects.filter(complaint=due).count()

    with time_machine.travel(RUN, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        run = reporters_anonymise_expired()

    assert (run.reporters, run.complaints, run.attachments) == (1, 1, 1)
    reporter = Reporter.objects.get(pk=due.reporter_id)
    assert (reporter.name, reporter.nik_encrypted, reporter.nik_index, reporter.address,
            reporter.occupation, reporter.phone, reporter.email) == ("", "", "", "", "", "", "")
    assert reporter.nik == ""
    assert reporter.anonymised_at == RUN
    assert str(reporter) == "(dianonimkan)"
    assert reporter.consent_basis == "consent"  # the lawful basis stays on record
    # The cases keep everything the register and the statistics count.
    assert {c.pk: (c.register_number, c.status, c.received_on, c.settled_on, c.channel_id,
                   c.working_days_taken, c.service_type_id, c.unit_id)
            for c in Complaint.objects.all()} == before
    for pk, values in untouched.items():
        assert Reporter.objects.filter(pk=pk).values().get() == values

    due.refresh_from_db()
    assert due.status == Status.ANSWERED
    assert due.subject == f"Izin apotek {REDACTED} belum selesai"
    assert due.description == (
        f"Saya {REDACTED} (NIK {REDACTED}), hp {REDACTED}, e-mail {REDACTED}. Izin apotek "
        "kami sudah 1 bulan belum diverifikasi.")
    assert due.company_name == ""
    assert due.response_text == "Izin apotek dapat diurus melalui OSS."

    events = list(CaseEvent.objects.filter(complaint=due).order_by("created_at", "id"))
    assert len(events) == events_before + 1
    message = next(e for e in events if e.kind == EventKind.MESSAGE_IN)
    assert message.body == f"Ini nomor saya {REDACTED}, {REDACTED}"
    assert message.data == {"channel_kind": "whatsapp", "provider_message_id": ""}
    anonymised = events[-1]
    assert (anonymised.kind, anonymised.is_public, anonymised.actor_id,
            anonymised.actor_label) == (EventKind.ANONYMISED, False, None, "sistem")
    assert anonymised.data["retention_years"] == 2
    assert anonymised.data["attachments_deleted"] == 1
    assert anonymised.data["events_redacted"] >= 1
    assert anonymised.status_after == Status.ANSWERED

    assert not Attachment.objects.filter(complaint=due).exists()
    assert not stored.storage.exists(stored.name)
    rating = ServiceRating.objects.get(complaint=due)
    assert (rating.score, rating.comment) == (3, f"Cepat. Hubungi saya di {REDACTED} bila perlu.")
    # Nothing the reporter was sent keeps their address or the text.
    sent = OutboxMessage.objects.filter(complaint=due)
    assert sent.exists()
    assert {(m.recipient, m.subject, m.body, m.provider_message_id) for m in sent} == {
        ("", "", "", "")}
    assert all(m.data == {} for m in sent)
    assert not sent.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).exists()
    # The other cases' outbox rows are as they were.
    assert OutboxMessage.objects.filter(complaint=cases["recent"]).exclude(recipient="").exists()


def test_search_no_longer_finds_the_reporter_by_name(cases):
    from aduan.complaints.search import complaints_matching

    assert list(complaints_matching(Complaint.objects.all(), "Aminah")) == [cases["due"]]
    with time_machine.travel(RUN, tick=False):
        reporters_anonymise_expired()
    assert not complaints_matching(Complaint.objects.all(), "Aminah").exists()
    assert not complaints_matching(Complaint.objects.all(), "Siti").exists()
    assert complaints_matching(Complaint.objects.all(), "apotek").exists()


def test_a_second_run_changes_nothing(cases):
    with time_machine.travel(RUN, tick=False):
        first = reporters_anonymise_expired()
    snapshot = (list(Reporter.objects.values().order_by("pk")),
                list(Complaint.objects.values().order_by("pk")),
                list(CaseEvent.objects.values().order_by("pk")))
    with time_machine.travel(RUN + dt.timedelta(days=1), tick=False):
        second = reporters_anonymise_expired()
        again = reporter_anonymise(reporter_id=cases["due"].reporter_id)
    assert first.reporters == 1
    assert (second.reporters, second.complaints, second.events_redacted) == (0, 0, 0)
    assert again.complaints == 0
    assert snapshot == (list(Reporter.objects.values().order_by("pk")),
                        list(Complaint.objects.values().order_by("pk")),
                        list(CaseEvent.objects.values().order_by("pk")))


def test_a_reporter_not_due_is_refused(cases):
    with time_machine.travel(RUN, tick=False):
        for key in ("open", "recent", "touched", "both"):
            with pytest.raises(RetentionNotExpired):
                reporter_anonymise(reporter_id=cases[key].reporter_id)
    assert not CaseEvent.objects.filter(kind=EventKind.ANONYMISED).exists()


def test_dry_run_counts_and_writes_nothing(cases):
    snapshot = (list(Reporter.objects.values().order_by("pk")),
                list(Complaint.objects.values().order_by("pk")),
                list(CaseEvent.objects.values().order_by("pk")),
                list(OutboxMessage.objects.values().order_by("pk")),
                list(Attachment.objects.values().order_by("pk")))
    out = io.StringIO()
    with time_machine.travel(RUN, tick=False):
        run = reporters_anonymise_expired(dry_run=True)
        call_command("anonymise_expired", "--dry-run", stdout=out)
    assert (run.dry_run, run.reporters, run.complaints, run.attachments) == (True, 1, 1, 1)
    assert "Pelapor dianonimkan: 1" in out.getvalue()
    assert "Lampiran dihapus: 1" in out.getvalue()
    assert snapshot == (list(Reporter.objects.values().order_by("pk")),
                        list(Complaint.objects.values().order_by("pk")),
                        list(CaseEvent.objects.values().order_by("pk")),
                        list(OutboxMessage.objects.values().order_by("pk")),
                        list(Attachment.objects.values().order_by("pk")))


def test_management_command_anonymises(cases):
    out = io.StringIO()
    with time_machine.travel(RUN, tick=False):
        call_command("anonymise_expired", stdout=out)
    assert "Pelapor dianonimkan: 1" in out.getvalue()
    assert Reporter.objects.filter(anonymised_at__isnull=False).count() == 1


def test_daily_task_is_scheduled_and_runs(cases, settings):
    assert ("aduan.complaints.tasks.anonymise_expired_reporters", 24 * 60 * 60) in \
        settings.ADUAN_PERIODIC_TASKS
    settings.TASKS = {"default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with time_machine.travel(RUN, tick=False):
        result = anonymise_expired_reporters.enqueue()
    assert result.return_value["reporters"] == 1
    assert Reporter.objects.get(pk=cases["due"].reporter_id).anonymised_at is not None


def test_inbound_messages_and_conversations_are_purged(two_years, officer):
    with time_machine.travel(OLD, tick=False):
        first = _sms("Joko#Toko Maju#Izin apotek#Izin belum terbit, hp 081377778888",
                     at=OLD, pid="in-1")
        inbound_process(message_id=first.pk)
        first.refresh_from_db()
        complaint = first.complaint
        later = _sms("Sudah saya kirim berkasnya", at=OLD + dt.timedelta(minutes=5), pid="in-2")
        inbound_process(message_id=later.pk)
        receipt = _sms("", at=OLD, kind="status", pid="st-1")
        complaint_answer(complaint_id=complaint.pk, actor=officer, answer="Silakan cek OSS.")
    recent_receipt = _sms("", at=dt.datetime(2023, 8, 1, tzinfo=JAKARTA), kind="status",
                          pid="st-2")
    later.refresh_from_db()
    assert (first.parse_status, later.parse_status) == (ParseStatus.CREATED, ParseStatus.JOINED)
    assert Conversation.objects.filter(complaint=complaint, is_open=True).exists()

    with time_machine.travel(RUN, tick=False):
        run = reporters_anonymise_expired()

    assert run.reporters == 1
    assert run.purged["inbound_messages"] >= 3  # two of the case, the old delivery report
    for message in InboundMessage.objects.filter(pk__in=[first.pk, later.pk, receipt.pk]):
        assert (message.sender, message.sender_name, message.body, bytes(message.raw),
                message.headers, message.provider_message_id) == ("", "", "", b"", {}, "")
    first.refresh_from_db()
    assert (first.complaint_id, first.parse_status, first.channel_kind) == (
        complaint.pk, ParseStatus.CREATED, "sms")
    assert InboundMessage.objects.get(pk=receipt.pk).data == {"kind": "status"}
    kept = InboundMessage.objects.get(pk=recent_receipt.pk)
    assert (kept.sender, bytes(kept.raw)) == ("+6281377778888", b'{"text": ""}')
    conversation = Conversation.objects.get(complaint=complaint)
    assert (conversation.address, conversation.is_open) == ("", False)
    complaint.refresh_from_db()
    assert "081377778888" not in complaint.description
    assert "Joko" not in complaint.description


def test_identity_access_log_stays_and_holds_no_personal_data(cases, users):
    due = cases["due"]
    reporter_for_staff(users["petugas"], due, purpose="desk case page")
    with time_machine.travel(RUN, tick=False):
        reporters_anonymise_expired()
    access = IdentityAccess.objects.get(complaint=due)
    assert (access.user_id, access.purpose) == (users["petugas"].pk, "desk case page")
    assert access.reporter.name == ""
    # What staff see of the case afterwards: no identity left to show.
    view = reporter_for_staff(users["petugas"], Complaint.objects.get(pk=due.pk))
    assert (view.name, view.nik, view.phone, view.email, view.address) == ("", "", "", "", "")

"""Data-subject requests: the portal flow (tracking code + one-time code on the reporter's own
channel), an officer registering one, the 72-hour clock, answering on the reporter's channel,
carrying out correct/restrict/erase, the audit trail and the PDP export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.audit.models import AuditKind, AuditRecord
from aduan.complaints.models import EventKind, IdentityAccess, Reporter
from aduan.complaints.services import (
    Checklist,
    ReporterInput,
    complaint_answer,
    complaint_register,
    complaint_verify,
)
from aduan.core.exceptions import NotFound, PermissionDenied
from aduan.notifications.models import OutboxMessage, OutboxStatus, TemplateCode
from aduan.portal.services import web_channel_for
from aduan.rights.models import DataRequest, RequestKind, RequestStatus, RequestVia
from aduan.rights.services import (
    CHALLENGES_PER_HOUR,
    ChallengeFailed,
    Correction,
    TooManyCodes,
    challenge_start,
    challenge_verify_and_register,
    data_request_answer,
    data_request_register,
)

pytestmark = pytest.mark.django_db

START = reverse("rights_portal:start")
VERIFY = reverse("rights_portal:verify")


@pytest.fixture
def case(office):
    return complaint_register(
        office=office, channel=web_channel_for(office), subject="SIP bidan belum terbit",
        description="Saya Rahmi Ayunda, sudah dua minggu menunggu.",
        reporter=ReporterInput(name="Rahmi Ayunda", nik="1403021104907328",
                               phone="085156791234", email="ayunda@example.org",
                               address="Jl. Perwira 7", consent=True))


def _code_sent(complaint) -> str:
    message = OutboxMessage.objects.filter(complaint=complaint,
                                           template_code=TemplateCode.RIGHTS_CODE).latest("id")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _portal_request(client, case, kind="access", detail="Mohon kirim data saya."):
    page = client.post(START, {"code": case.tracking_code})
    assert page.status_code == 200, page.content.decode()
    challenge = re.search(r'name="challenge" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(VERIFY, {"challenge": challenge, "otp": _code_sent(case), "kind": kind,
                                "detail": detail}), challenge


def test_portal_request_needs_the_code_sent_to_the_reporters_channel(client, case):
    page = client.post(START, {"code": case.tracking_code})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="rights-code-sent"' in html
    # The page names no contact: whoever holds only the tracking code learns nothing.
    for private in ("ayunda@example.org", "0851", "Rahmi"):
        assert private not in html
    sent = OutboxMessage.objects.get(complaint=case, template_code=TemplateCode.RIGHTS_CODE)
    assert sent.recipient == "ayunda@example.org" and sent.data.get("forget") is True
    challenge = re.search(r'name="challenge" value="([^"]+)"', html).group(1)

    wrong = client.post(VERIFY, {"challenge": challenge, "otp": "000000", "kind": "access"})
    assert wrong.status_code == 422 and "Kode verifikasi salah" in wrong.content.decode()
    assert not DataRequest.objects.exists()

    done = client.post(VERIFY, {"challenge": challenge, "otp": _code_sent(case),
                                "kind": "erase", "detail": "Hapus data saya."})
    assert done.status_code == 200
    request = DataRequest.objects.get()
    assert request.number in done.content.decode()
    assert (request.kind, request.via, request.status) == (
        RequestKind.ERASE, RequestVia.PORTAL, RequestStatus.OPEN)
    assert request.due_at - request.received_at == dt.timedelta(hours=72)
    # Acknowledged on the reporter's channel; audited.
    assert OutboxMessage.objects.filter(complaint=case,
                                        template_code=TemplateCode.RIGHTS_RECEIVED).exists()
    record = AuditRecord.objects.get(kind=AuditKind.PERSONAL_DATA)
    assert record.object_id == str(request.pk) and record.user is None

    # A double click or replay of the same form registers nothing more.
    again = client.post(VERIFY, {"challenge": challenge, "otp": _code_sent(case),
                                 "kind": "erase", "detail": "Hapus data saya."})
    assert again.status_code == 200 and request.number in again.content.decode()
    assert DataRequest.objects.count() == 1


def test_the_code_message_forgets_itself_once_sent(client, case,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge_start(tracking_code=case.tracking_code)
    assert len(mail.outbox) == 1 and re.search(r"\b\d{6}\b", mail.outbox[0].body)
    row = OutboxMessage.objects.get(template_code=TemplateCode.RIGHTS_CODE)
    assert row.status == OutboxStatus.SENT
    assert (row.recipient, row.body, row.data) == ("", "", {})


def test_tracking_code_alone_is_not_enough(case):
    challenge = challenge_start(tracking_code=case.tracking_code)
    for _ in range(5):
        with pytest.raises(ChallengeFailed):
            challenge_verify_and_register(challenge_id=challenge.pk, code="123456",
                                          kind="access", detail="")
    # Attempts are used up: even the right code no longer works.
    with pytest.raises(ChallengeFailed):
        challenge_verify_and_register(challenge_id=challenge.pk, code=_code_sent(case),
                                      kind="access", detail="")
    assert not DataRequest.objects.exists()


def test_codes_expire_and_are_limited_per_case(case):
    challenge = challenge_start(tracking_code=case.tracking_code)
    code = _code_sent(case)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)), \
            pytest.raises(ChallengeFailed):
        challenge_verify_and_register(challenge_id=challenge.pk, code=code, kind="access",
                                      detail="")
    for _ in range(CHALLENGES_PER_HOUR - 1):
        challenge_start(tracking_code=case.tracking_code)
    with pytest.raises(TooManyCodes):
        challenge_start(tracking_code=case.tracking_code)


def test_unknown_secret_and_anonymised_codes_get_the_same_answer(client, case, office):
    secret = complaint_register(
        office=office, channel=web_channel_for(office), subject="x", description="y",
        reporter=ReporterInput(name="A", email="a@contoh.id", consent=True), is_secret=True)
    for code in ("SALAH-KODE", secret.tracking_code):
        response = client.post(START, {"code": code})
        assert response.status_code == 404
        assert "Kode pelacakan tidak ditemukan" in response.content.decode()
    with pytest.raises(NotFound):
        challenge_start(tracking_code=secret.tracking_code)
    assert not OutboxMessage.objects.filter(template_code=TemplateCode.RIGHTS_CODE).exists()


def test_portal_steps_are_rate_limited_per_address(client, case, settings):
    settings.ADUAN_RATE_LIMITS = {"rights_start": (2, 3600)}
    assert client.post(START, {"code": "SALAH"}).status_code == 404
    assert client.post(START, {"code": "SALAH"}).status_code == 404
    assert client.post(START, {"code": case.tracking_code}).status_code == 429
    assert not OutboxMessage.objects.filter(template_code=TemplateCode.RIGHTS_CODE).exists()


def test_a_forged_or_expired_form_registers_nothing(client, case):
    challenge_start(tracking_code=case.tracking_code)
    response = client.post(VERIFY, {"challenge": "1", "otp": _code_sent(case), "kind": "access"})
    assert response.status_code == 422 and "kedaluwarsa" in response.content.decode()
    assert not DataRequest.objects.exists()


def test_tracking_page_links_to_the_request(client, case):
    html = client.post(reverse("portal:track"), {"code": case.tracking_code}).content.decode()
    assert 'id="rights-start"' in html and reverse("rights_portal:start") in html


def test_officer_registers_and_answers_an_access_request(client, case, officer, unit_a_staff):
    login_verified(client, officer)
    response = client.post(reverse("rights:register", kwargs={"complaint_id": case.pk}),
                           {"kind": "access", "detail": "Datang ke kantor, KTP diperiksa."})
    request = DataRequest.objects.get()
    assert response.status_code == 302
    assert (request.via, request.registered_by) == (RequestVia.OFFICER, officer)

    page = client.get(reverse("rights:detail", kwargs={"request_id": request.pk}))
    html = page.content.decode()
    # The answer is pre-filled with what is stored (an identity view: logged), NIK masked.
    assert "Rahmi Ayunda" in html and "140302xxxxxxxxxx" in html and "1403021104907328" not in html
    assert IdentityAccess.objects.filter(purpose="data_request", user=officer).exists()
    assert "jam lagi" in html

    response = client.post(reverse("rights:detail", kwargs={"request_id": request.pk}),
                           {"decision": "fulfil", "answer": "Data Anda: nama Rahmi Ayunda."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.handled_by == officer
    answer = OutboxMessage.objects.get(template_code=TemplateCode.RIGHTS_ANSWER)
    assert answer.recipient == "ayunda@example.org" and "Data Anda" in answer.body
    actions = list(AuditRecord.objects.filter(object_type="data_request")
                   .order_by("created_at", "id").values_list("action", flat=True))
    assert actions == ["rights.request.registered", "rights.request.fulfilled"]
    # Answered once.
    again = client.post(reverse("rights:detail", kwargs={"request_id": request.pk}),
                        {"decision": "fulfil", "answer": "Lagi."})
    assert again.status_code == 422 and "sudah dijawab" in again.content.decode()

    # Unit staff may not handle requests.
    login_verified(client, unit_a_staff)
    assert client.get(reverse("rights:list")).status_code == 403
    with pytest.raises(PermissionDenied):
        data_request_register(complaint=case, kind="access", detail="", via="officer",
                              actor=unit_a_staff)


def test_correction_changes_the_reporter_with_events_and_answers_on_the_new_address(case,
                                                                                    officer):
    request = data_request_register(complaint=case, kind="correct", detail="Alamat salah.",
                                    via="officer", actor=officer)
    data_request_answer(request_id=request.pk, actor=officer, fulfil=True,
                        answer="Alamat dan e-mail Anda sudah diperbaiki.",
                        correction=Correction(address="Jl. Perwira 9", email="baru@example.org"))
    reporter = Reporter.objects.get(pk=case.reporter_id)
    assert (reporter.address, reporter.email) == ("Jl. Perwira 9", "baru@example.org")
    events = case.events.filter(kind=EventKind.CORRECTED)
    assert sorted(e.data["field"] for e in events) == ["reporter.address", "reporter.email"]
    assert OutboxMessage.objects.get(
        template_code=TemplateCode.RIGHTS_ANSWER).recipient == "baru@example.org"


def test_restriction_makes_the_reporter_confidential(case, officer):
    request = data_request_register(complaint=case, kind="restrict", detail="", via="officer",
                                    actor=officer)
    data_request_answer(request_id=request.pk, actor=officer, fulfil=True,
                        answer="Identitas Anda kini hanya terlihat oleh tim pengaduan.")
    assert Reporter.objects.get(pk=case.reporter_id).is_confidential is True


def test_erasure_waits_for_the_open_case_then_anonymises_and_still_answers(
        case, officer, django_capture_on_commit_callbacks):
    request = data_request_register(complaint=case, kind="erase", detail="Hapus data saya.",
                                    via="officer", actor=officer)
    with pytest.raises(Exception, match="masih mempunyai pengaduan"):
        data_request_answer(request_id=request.pk, actor=officer, fulfil=True,
                            answer="Data Anda telah dihapus.")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN  # nothing half-written
    assert Reporter.objects.get(pk=case.reporter_id).anonymised_at is None

    complaint_verify(complaint_id=case.pk, actor=officer, checklist=Checklist())
    complaint_answer(complaint_id=case.pk, actor=officer, answer="SIP sudah terbit.")
    with django_capture_on_commit_callbacks(execute=True):
        data_request_answer(request_id=request.pk, actor=officer, fulfil=True,
                            answer="Data pribadi Rahmi Ayunda telah dihapus.")
    reporter = Reporter.objects.get(pk=case.reporter_id)
    assert reporter.anonymised_at is not None and reporter.email == "" and reporter.name == ""
    # The confirmation reached the reporter, then forgot the address.
    assert [m.to for m in mail.outbox if "dihapus" in m.body] == [["ayunda@example.org"]]
    row = OutboxMessage.objects.get(template_code=TemplateCode.RIGHTS_ANSWER)
    assert row.status == OutboxStatus.SENT and row.recipient == "" and row.body == ""
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert "Rahmi" not in request.answer and "Rahmi" not in request.detail + request.answer
    event = case.events.get(kind=EventKind.ANONYMISED)
    assert event.data["on_request"] == {"request": request.number}
    # The request stays for the PDP report; the statistics keep the case.
    assert DataRequest.objects.filter(pk=request.pk).exists()


def test_refusal_needs_a_reason_and_is_answered(case, officer):
    request = data_request_register(complaint=case, kind="erase", detail="", via="officer",
                                    actor=officer)
    with pytest.raises(Exception, match="Tuliskan jawaban"):
        data_request_answer(request_id=request.pk, actor=officer, fulfil=False, answer="  ")
    data_request_answer(request_id=request.pk, actor=officer, fulfil=False,
                        answer="Pengaduan Anda masih diproses; data dihapus setelah selesai.")
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED


def test_list_shows_the_clock_and_exports_csv_and_xlsx_without_personal_data(client, case,
                                                                             officer):
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(hours=80)):
        late = data_request_register(complaint=case, kind="access", detail="Rahmi Ayunda",
                                     via="officer", actor=officer)
    fresh = data_request_register(complaint=case, kind="correct", detail="", via="officer",
                                  actor=officer)
    login_verified(client, officer)
    html = client.get(reverse("rights:list")).content.decode()
    assert late.number in html and fresh.number in html
    assert "Lewat batas" in html and "jam lagi" in html

    year = late.received_at.year
    csv_text = client.get(reverse("rights:export", kwargs={"fmt": "csv"}),
                          {"tahun": year}).content.decode()
    assert late.number in csv_text and case.register_number in csv_text
    for private in ("Rahmi", "ayunda", "0851"):
        assert private not in csv_text

    from openpyxl import load_workbook

    xlsx = client.get(reverse("rights:export", kwargs={"fmt": "xlsx"}), {"tahun": year})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "nomor" and {r[0] for r in rows[1:]} >= {late.number, fresh.number}
    assert client.get(reverse("rights:export", kwargs={"fmt": "exe"})).status_code == 404


def test_a_request_for_a_submission_still_waiting_registers_it_first(client, office, settings):
    """A web submission accepted and not registered yet (decision 0015: the worker is down
    or behind) is an encrypted row outside the rights handling: a request with its tracking
    code registers it first, so it acts on the case (issue 17 low-severity finding)."""
    from aduan.complaints.models import Complaint, SubmissionKey
    from aduan.complaints.submissions import Once
    from aduan.portal.services import Submission, portal_submission_accept

    settings.TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                                  "QUEUES": ["default"]}}  # no worker: the row waits
    accepted = portal_submission_accept(
        office=office, submission=Submission(subject="Jalan rusak", description="Berlubang."),
        reporter=ReporterInput(name="Sutrisno Pamungkas", phone="081298765432",
                               email="s.p@contoh.id", consent=True),
        once=Once("web", "rights-waiting"))
    assert not Complaint.objects.exists()
    code = accepted.key.tracking_code
    page = client.post(START, {"code": code.lower()})
    assert page.status_code == 200, page.content.decode()
    case = Complaint.objects.get(tracking_code=code)
    assert SubmissionKey.objects.get(pk=accepted.key.pk).complaint_id == case.pk
    challenge = re.search(r'name="challenge" value="([^"]+)"', page.content.decode()).group(1)
    done = client.post(VERIFY, {"challenge": challenge, "otp": _code_sent(case),
                                "kind": "access", "detail": "Mohon kirim data saya."})
    assert done.status_code == 200
    assert DataRequest.objects.get().complaint_id == case.pk

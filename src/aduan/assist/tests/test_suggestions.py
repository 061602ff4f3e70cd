"""Suggestions of the triage engine (the real one, cold start on the demo office) for every new
case: computed after commit, stored, shown with confidence and reason; one click applies each;
what officers accept or change is recorded for the training; the office switch per channel."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.testing import login_verified
from aduan.assist.compute import assist_case, assist_sweep
from aduan.assist.models import (
    AssistMode,
    ChannelAssist,
    FeedbackField,
    InstantAnswer,
    InstantState,
    Suggestion,
    SuggestionFeedback,
)
from aduan.assist.selectors import feedback_for_training
from aduan.complaints import services
from aduan.complaints.models import Complaint, EventKind
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.workflow import Status
from aduan.intake.tests.conftest import APP_SECRET
from aduan.intake.tests.test_whatsapp import post, text_payload
from aduan.notifications.models import OutboxMessage
from aduan.portal.demo import load_demo_faq

pytestmark = pytest.mark.django_db

APOTEK = "Izin apotek saya sudah 1 bulan belum diverifikasi, mohon dibantu"
PBB = "mau bayar pbb dimana ya pak"
NIB = "gmn cara daftar nib di oss"


@pytest.fixture
def wa(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_ACCESS_TOKEN = "test-access-token"
    settings.WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v21.0"
    return settings


@pytest.fixture
def faq(office):
    load_demo_faq(office)
    return office.faqs.all()


@pytest.fixture
def client_for(users):
    def _client(username: str) -> Client:
        client = Client()
        login_verified(client, users[username])
        return client

    return _client


def _web(office, text, **kwargs):
    return register_complaint(office, channel_code="website", received=timezone.now(),
                              subject="", description=text, **kwargs)


def _page(client, complaint, query=""):
    return client.get(reverse("desk:complaint-detail", args=[complaint.pk]) + query)


def test_a_new_whatsapp_case_gets_suggestions_after_commit(client, office, wa, faq,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, text_payload(APOTEK, "wamid.s1")).status_code == 200
    complaint = Complaint.objects.get()
    suggestion = Suggestion.objects.get(complaint=complaint)
    assert suggestion.error == "" and suggestion.model_version
    assert suggestion.data["intent"][0]["code"] == "pengaduan"
    assert suggestion.data["service_type"][0]["label"] == "Izin Apotek"
    assert suggestion.data["unit"][0]["code"] == "perizinan-a"
    assert all(0 <= r["confidence"] <= 1 and r["reason"] for r in suggestion.data["intent"])


def test_a_new_web_case_gets_suggestions_shown_on_the_case_page(client_for, office, faq,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _web(office, NIB)
    html = _page(client_for("petugas"), complaint).text
    assert 'id="suggestions"' in html
    assert 'id="suggest-intent"' in html and "Permintaan informasi" in html
    assert "Perizinan Berusaha (OSS/NIB)" in html and "kata:" in html
    assert "%" in html  # confidence
    # Unit staff and the head see no suggestion panel.
    assert 'id="suggestions"' not in _page(client_for("kadis"), complaint).text


def test_apply_service_type_sets_it_and_records_the_decision(client_for, office, faq):
    complaint = _web(office, APOTEK)
    assist_case(complaint.pk)
    client = client_for("petugas")
    html = _page(client, complaint).text
    assert 'id="apply-service_type"' in html
    code = Suggestion.objects.get(complaint=complaint).data["service_type"][0]["code"]
    response = client.post(reverse("assist:apply-service-type", args=[complaint.pk]),
                           {"code": code})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.service_type.name == "Izin Apotek"
    corrected = complaint.events.get(kind=EventKind.CORRECTED)
    assert corrected.data["field"] == "service_type" and corrected.data["new"] == "Izin Apotek"
    feedback = SuggestionFeedback.objects.get(complaint=complaint)
    assert (feedback.field, feedback.accepted, feedback.chosen) == (
        FeedbackField.SERVICE_TYPE, True, code)
    # Applied: the button is gone; a replay changes nothing.
    assert 'id="apply-service_type"' not in _page(client, complaint).text
    client.post(reverse("assist:apply-service-type", args=[complaint.pk]), {"code": code})
    assert complaint.events.filter(kind=EventKind.CORRECTED).count() == 1


def test_apply_unit_prefills_the_disposition_and_the_lead_decision_is_recorded(
        client_for, office, faq, officer):
    complaint = _web(office, APOTEK)
    assist_case(complaint.pk)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    lead = client_for("ketua")
    html = _page(lead, complaint).text
    assert 'id="apply-unit"' in html
    page = _page(lead, complaint, "?isi=unit:perizinan-a")
    unit_a = office.units.get(code="perizinan-a")
    form = {n: f for n, _l, f in page.context["action_forms"]}["dispose"]
    assert form.initial["unit"] == unit_a.pk
    assert page.context["open_action"] == "dispose"
    # The lead chooses another unit: recorded as a change.
    unit_b = office.units.get(code="perizinan-b")
    response = lead.post(reverse("desk:complaint-action", args=[complaint.pk, "dispose"]),
                         {"dispose-unit": unit_b.pk, "dispose-note": ""})
    assert response.status_code == 302
    feedback = SuggestionFeedback.objects.get(complaint=complaint, field=FeedbackField.UNIT)
    assert (feedback.suggested, feedback.chosen, feedback.accepted) == (
        "perizinan-a", "perizinan-b", False)


def test_apply_agency_opens_the_referral_with_the_agency_reply(client_for, office, faq):
    complaint = _web(office, PBB)
    assist_case(complaint.pk)
    client = client_for("petugas")
    assert 'id="apply-agency"' in _page(client, complaint).text
    agency_pk = Suggestion.objects.get(complaint=complaint).data["agency"][0]["code"]
    page = _page(client, complaint, f"?isi=agency:{agency_pk}")
    form = {n: f for n, _l, f in page.context["action_forms"]}["refer"]
    agency = office.agencies.get(pk=int(agency_pk))
    assert form.initial == {"agency": agency.pk, "reply": agency.referral_text}
    assert page.context["open_action"] == "refer"
    response = client.post(reverse("desk:complaint-action", args=[complaint.pk, "refer"]),
                           {"refer-agency": agency.pk, "refer-reply": agency.referral_text})
    assert response.status_code == 302
    rows = {f.field: f for f in SuggestionFeedback.objects.filter(complaint=complaint)}
    assert rows[FeedbackField.AGENCY].accepted is True
    assert rows[FeedbackField.INTENT].chosen == "bukan_kewenangan"


def test_apply_answer_prefills_the_editable_answer_and_the_edit_is_recorded(
        client_for, office, faq):
    complaint = _web(office, NIB)
    assist_case(complaint.pk)
    client = client_for("petugas")
    html = _page(client, complaint).text
    assert 'id="apply-answer-0"' in html
    best = Suggestion.objects.get(complaint=complaint).data["answers"][0]
    page = _page(client, complaint, "?isi=answer:0")
    form = {n: f for n, _l, f in page.context["action_forms"]}["answer"]
    assert form.initial["answer"] == best["text"]
    # The suggested answer is first in the picker too.
    assert page.context["assist"]["canned"][0].key == f"{best['kind']}:{best['ref']}"
    client.post(reverse("desk:complaint-action", args=[complaint.pk, "answer"]),
                {"answer-answer": best["text"] + "\n\nSalam, petugas."})
    feedback = SuggestionFeedback.objects.get(complaint=complaint, field=FeedbackField.ANSWER)
    assert feedback.chosen == "own_text" and feedback.accepted is False
    rows = feedback_for_training(office)
    assert {r["field"] for r in rows} == {"answer", "intent"}
    assert all(NIB in r["text"] for r in rows)


def test_stale_or_foreign_prefill_values_fill_nothing(client_for, office, faq):
    complaint = _web(office, NIB)
    assist_case(complaint.pk)
    client = client_for("petugas")
    for query in ("?isi=unit:tidak-ada", "?isi=agency:999999", "?isi=answer:9",
                  "?isi=agency:abc", "?isi=" + "x" * 500):
        page = _page(client, complaint, query)
        assert page.status_code == 200 and page.context["open_action"] == ""


def test_office_switch_off_stores_no_suggestion(office, faq, lead):
    from aduan.assist.services import channel_assist_set

    channel_assist_set(office=office, actor=lead, channel_kind="web", mode=AssistMode.OFF,
                       threshold=0.8)
    complaint = _web(office, NIB)
    assist_case(complaint.pk)
    suggestion = Suggestion.objects.get(complaint=complaint)
    assert suggestion.data == {} and suggestion.error == "off"
    # Other channels keep the default.
    other = register_complaint(office, received=timezone.now(), subject="", description=NIB)
    assist_case(other.pk)
    assert Suggestion.objects.get(complaint=other).data["intent"]


def test_suggest_only_never_answers_automatically(office, faq):
    complaint = _web(office, NIB, reporter=ReporterInput(email="a@contoh.id"))
    assist_case(complaint.pk)
    assert not InstantAnswer.objects.exists()
    assert not OutboxMessage.objects.filter(body__contains="[Jawaban otomatis]").exists()


def test_automatic_channel_answers_an_information_request_end_to_end(
        client, office, wa, faq, django_capture_on_commit_callbacks):
    ChannelAssist.objects.create(office=office, channel_kind="whatsapp",
                                 mode=AssistMode.AUTOMATIC, threshold=0.2)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, text_payload("bagaimana cara mengurus izin penelitian?",
                                          "wamid.e1")).status_code == 200
    complaint = Complaint.objects.get()
    instant = InstantAnswer.objects.get(complaint=complaint)
    assert instant.kind == "faq" and "penelitian" in instant.title.lower()
    message = OutboxMessage.objects.get(complaint=complaint, body__contains="[Jawaban otomatis]")
    assert message.channel == "whatsapp"
    # A complaint (not a question) on the same automatic channel is left to the officers.
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, text_payload(APOTEK, "wamid.e2", sender="6281200000001")
                    ).status_code == 200
    other = Complaint.objects.exclude(pk=complaint.pk).get()
    assert not InstantAnswer.objects.filter(complaint=other).exists()
    # The reporter's "1" settles the first case.
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, text_payload("1", "wamid.e3")).status_code == 200
    complaint.refresh_from_db()
    instant.refresh_from_db()
    assert complaint.status == Status.ANSWERED and instant.state == InstantState.HELPFUL


def test_the_sweep_computes_a_case_whose_task_was_lost(office, faq):
    complaint = _web(office, NIB)  # registered in the test transaction: no task ran
    assert not Suggestion.objects.filter(complaint=complaint).exists()
    Complaint.objects.filter(pk=complaint.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=5))
    result = assist_sweep()
    assert result["computed"] == 1
    assert Suggestion.objects.get(complaint=complaint).data["intent"]


def test_a_web_form_submission_gets_suggestions_and_an_automatic_answer_on_its_receipt(
        client, office, faq, settings, django_capture_on_commit_callbacks):
    from aduan.portal import throttle

    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    ChannelAssist.objects.create(office=office, channel_kind="web", mode=AssistMode.AUTOMATIC,
                                 threshold=0.2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:submit"), {
            "name": "Rahmi", "phone": "", "email": "rahmi@example.org", "address": "",
            "occupation": "", "nik": "", "company_name": "", "service_type": "",
            "subject": "Izin penelitian",
            "description": "Bagaimana cara mengurus izin penelitian untuk skripsi?",
            "consent": "on", "website": "", "form_token": throttle.form_token()})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert Suggestion.objects.get(complaint=complaint).data["intent"][0]["code"] == \
        "permintaan_informasi"
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    from urllib.parse import unquote

    token = unquote(receipt.text.split("?t=")[1].split("&")[0])
    poll = client.get(reverse("assist_public:instant-poll"), {"t": token, "n": "0"})
    assert 'id="instant-yes"' in poll.text
    assert InstantAnswer.objects.get(complaint=complaint).state == InstantState.SENT

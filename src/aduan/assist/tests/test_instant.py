"""Automatic answers: sent on the reporter's channel marked as automatic with the yes/no
question; "1" settles the case as answered, "2", any other message or silence leaves it with
the officers. WhatsApp through the real webhook shapes, and the web pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.testing import login_verified
from aduan.assist.instant import classify_reply, instant_answer_consider, instant_expire_due
from aduan.assist.models import AssistMode, ChannelAssist, InstantAnswer, InstantState, Suggestion
from aduan.complaints.models import Complaint, EventKind
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.intake.tests.conftest import APP_SECRET
from aduan.intake.tests.test_whatsapp import post, text_payload
from aduan.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

ANSWER = ("Izin usaha peternakan didaftarkan melalui oss.go.id dengan KTP, NPWP dan nomor HP "
          "aktif.")


@pytest.fixture
def wa(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_ACCESS_TOKEN = "test-access-token"
    settings.WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v21.0"
    return settings


def _suggestion(complaint, *, intent="permintaan_informasi", confidence=0.93):
    return Suggestion.objects.create(complaint=complaint, model_version="uji-1", data={
        "intent": [{"code": intent, "label": "Permintaan informasi", "confidence": 0.97,
                    "reason": "kata: syarat"}],
        "answers": [{"kind": "faq", "ref": "oss", "title": "Syarat izin usaha",
                     "text": ANSWER, "confidence": confidence, "reason": "kata: izin, usaha"}]})


def _wa_case(client, text="syarat izin usaha peternakan apa aja ya?", wamid="wamid.q1"):
    assert post(client, text_payload(text, wamid)).status_code == 200
    return Complaint.objects.order_by("-id").first()


def _instant_on(complaint):
    return instant_answer_consider(complaint, _suggestion(complaint), threshold=0.8)


def test_reply_words():
    assert [classify_reply(t) for t in ("1", " Ya ", "iya makasih", "1.", "YA!")] == ["yes"] * 5
    assert [classify_reply(t) for t in ("2", "tidak", "tdk", "Tidak membantu")] == ["no"] * 4
    assert [classify_reply(t) for t in ("", "kapan selesai?", "12", "saya mau tanya lagi ya",
                                        "ya tapi kalau untuk ayam bagaimana?")
            ] == ["other"] * 5
    # An e-mail reply: its subject first, the quoted message below.
    email = ("Re: [500.16.7.2/3/DPMPTSP/2026] Pesan terkait pengaduan Anda\n\n"
             "Ya, membantu sekali. Terima kasih\n\nPada 7 Des 2026 pengaduan@aduan menulis:\n"
             "> Apakah jawaban ini membantu? Balas 1 (ya) / 2 (tidak).")
    assert classify_reply(email) == "yes"
    assert classify_reply("2\n\n> Balas 1 (ya) / 2 (tidak).") == "no"
    assert classify_reply("> 1 (ya)\nbukan itu maksud saya") == "other"


def test_whatsapp_yes_settles_the_case_as_answered(client, office, wa):
    complaint = _wa_case(client)
    instant = _instant_on(complaint)
    assert instant is not None and instant.state == InstantState.SENT
    out = complaint.events.get(kind=EventKind.MESSAGE_OUT)
    assert out.data["automatic"] is True and out.is_public
    message = OutboxMessage.objects.get(case_event=out)
    assert message.channel == "whatsapp" and message.recipient == "+6281234567890"
    assert "[Jawaban otomatis]" in message.body and ANSWER in message.body
    assert "Balas 1 (ya) / 2 (tidak)" in message.body

    assert post(client, text_payload("1", "wamid.r1")).status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.status in SETTLED_STATUSES
    assert complaint.settled_on is not None and complaint.working_days_taken is not None
    answered = complaint.events.get(kind=EventKind.ANSWERED)
    assert answered.actor_id is None and answered.data["automatic"] is True
    instant.refresh_from_db()
    assert instant.state == InstantState.HELPFUL
    # The "1" itself stays on the timeline, as every message of the reporter.
    assert complaint.events.filter(kind=EventKind.MESSAGE_IN, body="1").exists()
    # Once only: a second automatic answer for the case is refused.
    again = Complaint.objects.get(pk=complaint.pk)
    assert instant_answer_consider(again, again.assist_suggestion, threshold=0.8) is None


def test_whatsapp_no_puts_the_case_in_front_of_an_officer(client, office, wa, users):
    complaint = _wa_case(client)
    instant = _instant_on(complaint)
    assert post(client, text_payload("2", "wamid.r2")).status_code == 200
    complaint.refresh_from_db()
    instant.refresh_from_db()
    assert complaint.status == Status.RECEIVED and instant.state == InstantState.NOT_HELPFUL
    officer = Client()
    login_verified(officer, users["petugas"])
    page = officer.get(reverse("desk:complaint-detail", args=[complaint.pk]))
    assert 'id="instant-answer"' in page.text
    assert "Pelapor belum terbantu oleh jawaban otomatis" in page.text
    # A later "1" no longer settles anything.
    assert post(client, text_payload("1", "wamid.r3")).status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_any_further_message_goes_to_an_officer(client, office, wa):
    complaint = _wa_case(client)
    instant = _instant_on(complaint)
    assert post(client, text_payload("kalau untuk ayam petelur apa sama?", "wamid.r4")
                ).status_code == 200
    instant.refresh_from_db()
    complaint.refresh_from_db()
    assert instant.state == InstantState.FURTHER and complaint.status == Status.RECEIVED


def test_silence_past_the_wait_expires(client, office, wa):
    complaint = _wa_case(client)
    instant = _instant_on(complaint)
    assert instant_expire_due(now=timezone.now() + dt.timedelta(hours=23)) == 0
    assert instant_expire_due(now=timezone.now() + dt.timedelta(hours=25)) == 1
    instant.refresh_from_db()
    assert instant.state == InstantState.EXPIRED
    assert post(client, text_payload("1", "wamid.r5")).status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_answers_of_other_cases_are_never_sent_automatically(client, office, wa):
    complaint = _wa_case(client)
    suggestion = Suggestion.objects.create(complaint=complaint, data={
        "intent": [{"code": "permintaan_informasi", "label": "", "confidence": 0.99,
                    "reason": ""}],
        "answers": [{"kind": "case", "ref": "12", "title": "Kasus 12", "text": "Jawaban kasus",
                     "confidence": 0.99, "reason": ""}]})
    assert instant_answer_consider(complaint, suggestion, threshold=0.5) is None
    assert not InstantAnswer.objects.exists()


def test_no_automatic_answer_below_threshold_for_complaints_or_once_an_officer_acted(
        client, office, wa, officer):
    low = _wa_case(client, wamid="wamid.t1")
    assert instant_answer_consider(low, _suggestion(low, confidence=0.79), threshold=0.8) is None
    assert not InstantAnswer.objects.exists()
    other = register_complaint(office, received=timezone.now(),
                               reporter=ReporterInput(name="A", phone="081311110000"))
    assert instant_answer_consider(other, _suggestion(other, intent="pengaduan"),
                                   threshold=0.8) is None
    verified = register_complaint(office, received=timezone.now(),
                                  reporter=ReporterInput(name="B", phone="081311110001"))
    from aduan.complaints.services import Checklist, complaint_verify

    complaint_verify(complaint_id=verified.pk, actor=officer, checklist=Checklist())
    assert instant_answer_consider(verified, _suggestion(verified), threshold=0.8) is None
    assert not InstantAnswer.objects.exists()
    assert not OutboxMessage.objects.filter(body__contains="[Jawaban otomatis]").exists()


# --- Web ---------------------------------------------------------------------------------------


def _web_case(office):
    return register_complaint(office, channel_code="website", received=timezone.now(),
                              reporter=ReporterInput(name="Rina", email="rina@contoh.id",
                                                     consent=True))


def _track(client, code):
    return client.post(reverse("portal:track"), {"code": code})


@pytest.mark.parametrize(("choice", "status", "state"), [
    ("1", Status.ANSWERED, InstantState.HELPFUL),
    ("2", Status.RECEIVED, InstantState.NOT_HELPFUL),
])
def test_web_tracking_page_shows_the_answer_and_takes_yes_or_no(client, office, choice, status,
                                                                state):
    complaint = _web_case(office)
    instant = _instant_on(complaint)
    # By e-mail too, since the reporter gave an address.
    assert OutboxMessage.objects.filter(complaint=complaint, channel="email",
                                        body__contains="[Jawaban otomatis]").exists()
    page = _track(client, complaint.tracking_code)
    assert page.status_code == 200
    assert 'id="instant-yes"' in page.text and ANSWER in page.text
    done = client.post(reverse("portal:instant-answer"),
                       {"code": complaint.tracking_code, "helpful": choice})
    assert done.status_code == 200 and 'id="track-done"' in done.text
    complaint.refresh_from_db()
    instant.refresh_from_db()
    assert complaint.status == status and instant.state == state
    # The page no longer asks (also from the page memo).
    again = _track(client, complaint.tracking_code)
    assert 'id="instant-yes"' not in again.text and 'id="instant-state"' in again.text


def test_web_answer_needs_the_tracking_code(client, office):
    complaint = _web_case(office)
    _instant_on(complaint)
    wrong = client.post(reverse("portal:instant-answer"),
                        {"code": "AAAA-BBBB-CCCC-DDDD", "helpful": "1"})
    assert wrong.status_code in (404, 200) and 'id="track-done"' not in wrong.text
    bad = client.post(reverse("portal:instant-answer"),
                      {"code": complaint.tracking_code, "helpful": "9"})
    assert bad.status_code == 422
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_confirmation_page_polls_for_the_answer(client, office):
    from aduan.assist.templatetags.assist_public import poll_token

    complaint = _web_case(office)
    url = reverse("assist_public:instant-poll")
    token = poll_token(complaint)
    waiting = client.get(url, {"t": token, "n": "0"})
    assert waiting.status_code == 200 and "n=1" in waiting.text  # polls again
    assert client.get(url, {"t": token, "n": "15"}).status_code == 286  # gives up
    _instant_on(complaint)
    shown = client.get(url, {"t": token, "n": "1"})
    assert ANSWER in shown.text and 'id="instant-yes"' in shown.text
    assert client.get(url, {"t": "forged", "n": "0"}).status_code == 404
    # Computed without an automatic answer: the page stops asking.
    other = _web_case(office)
    Suggestion.objects.create(complaint=other, data={})
    assert client.get(url, {"t": poll_token(other), "n": "0"}).status_code == 286


def test_channel_switch_is_kept_per_channel(office, lead, officer):
    from aduan.assist.selectors import channel_setting
    from aduan.assist.services import channel_assist_set
    from aduan.core.exceptions import PermissionDenied, ValidationFailed

    assert channel_setting(office, "whatsapp").mode == AssistMode.SUGGEST  # the default
    channel_assist_set(office=office, actor=lead, channel_kind="whatsapp",
                       mode=AssistMode.AUTOMATIC, threshold=0.85)
    channel_assist_set(office=office, actor=lead, channel_kind="web", mode=AssistMode.OFF,
                       threshold=0.9)
    assert channel_setting(office, "whatsapp") == channel_setting(office.pk, "whatsapp")
    assert channel_setting(office, "whatsapp").threshold == 0.85
    assert channel_setting(office, "web").mode == AssistMode.OFF
    assert channel_setting(office, "email").mode == AssistMode.SUGGEST
    with pytest.raises(ValidationFailed):
        channel_assist_set(office=office, actor=lead, channel_kind="web", mode="on",
                           threshold=0.9)
    with pytest.raises(ValidationFailed):
        channel_assist_set(office=office, actor=lead, channel_kind="web", mode="off",
                           threshold=0.05)
    with pytest.raises(PermissionDenied):
        channel_assist_set(office=office, actor=officer, channel_kind="web", mode="off",
                           threshold=0.9)
    assert ChannelAssist.objects.count() == 2


def test_settings_page_sets_the_channel_mode(office, users):
    client = Client()
    login_verified(client, users["ketua"])
    response = client.post(reverse("assist:settings"), {
        "channel_kind": "whatsapp", "mode": "automatic", "threshold": "0.9"})
    assert response.status_code == 302
    row = ChannelAssist.objects.get(office=office, channel_kind="whatsapp")
    assert (row.mode, row.threshold) == ("automatic", 0.9)
    refused = client.post(reverse("assist:settings"), {
        "channel_kind": "whatsapp", "mode": "automatic", "threshold": "1.5"})
    assert refused.status_code == 422
    page = client.get(reverse("assist:settings"))
    assert "Otomatis" in page.text

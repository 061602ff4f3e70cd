"""WhatsApp Cloud API webhook: handshake, signatures, messages, media, statuses, idempotency.

The captured payloads are posted byte for byte; Meta's Graph API (media) is mocked with respx at
the HTTP boundary.
"""

from __future__ import annotations

import io
import json

import httpx
import pytest
import respx
from django.urls import reverse
from PIL import Image

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Attachment, Complaint, EventKind
from aduan.intake.models import Conversation, InboundMessage, ParseStatus
from aduan.intake.tests.conftest import fixture_bytes, wa_sign

URL = "/intake/whatsapp/"
GRAPH = "https://graph.facebook.com/v21.0"
SIGNATURES = {  # from the samples' README: HMAC-SHA256("test-app-secret", file bytes)
    "01_inbound_text.json":
        "sha256=97cabc3509614ca8f4fa8e6b36c06e4d6365b386f2dca03d72d527dfefe01826",
    "02_inbound_image.json":
        "sha256=a3c8d26635ee18eef5b66bb2417e1cfd7181b8a89ecb316fee43e98138b08e61",
    "03_inbound_document_forwarded.json":
        "sha256=c52c29cbf0f36e855f6711e0b9086431fe688560faf7ef7834fbf2e4b7446289",
    "04_status_delivered.json":
        "sha256=0a12480eeafbc5d68031d387c8686df41bff78a48d91d82611daa177efd6da46",
    "05_status_failed.json":
        "sha256=9d8f3adefb954acd0f381a21c4fa0f0dab7c5279fbd6b98b01b31285df3e86aa",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def post(client, body: bytes, signature: str | None = None):
    return client.post(URL, data=body, content_type="application/json",
                       headers={"X-Hub-Signature-256": signature or wa_sign(body)})


def text_payload(text: str, wamid: str, sender: str = "6281234567890",
                 name: str = "Siti") -> bytes:
    payload = json.loads(fixture_bytes("whatsapp", "01_inbound_text.json"))
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0].update({"wa_id": sender, "profile": {"name": name}})
    value["messages"][0].update({"from": sender, "id": wamid, "text": {"body": text}})
    return json.dumps(payload).encode()


def test_our_hmac_matches_the_published_vectors():
    import hashlib
    import hmac

    assert hmac.new(b"secret", b"test", hashlib.sha256).hexdigest() == (
        "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")
    for name, signature in SIGNATURES.items():
        assert wa_sign(fixture_bytes("whatsapp", name)) == signature


@pytest.mark.django_db
def test_handshake_echoes_the_challenge_only_with_our_token(client, channel_settings):
    ok = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                          "hub.challenge": "1158201444"})
    assert ok.status_code == 200
    assert ok.content == b"1158201444"
    assert ok["Content-Type"].startswith("text/plain")
    bad = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "guess",
                           "hub.challenge": "1"})
    assert bad.status_code == 403


@pytest.mark.django_db
def test_handshake_is_refused_when_no_token_is_configured(client, channel_settings):
    channel_settings.WHATSAPP_VERIFY_TOKEN = ""
    response = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "",
                                "hub.challenge": "1"})
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("signature", [
    None, "", "sha256=", "sha256=" + "0" * 64, "sha1=abc",
    wa_sign(fixture_bytes("whatsapp", "01_inbound_text.json"), "another-secret"),
])
def test_forged_or_missing_signature_is_refused_before_parsing(client, office, channel_settings,
                                                               signature):
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    headers = {} if signature is None else {"X-Hub-Signature-256": signature}
    response = client.post(URL, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_signature_over_reserialised_json_is_refused(client, office, channel_settings):
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    compact = json.dumps(json.loads(body)).encode()
    response = post(client, compact, SIGNATURES["01_inbound_text.json"])
    assert response.status_code == 403


@pytest.mark.django_db
def test_sample_text_message_becomes_a_complaint(client, office, channel_settings):
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    response = post(client, body, SIGNATURES["01_inbound_text.json"])
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    # The item is stored as it came, with the batch context it needs.
    item = json.loads(bytes(message.raw))
    value = json.loads(body)["entry"][0]["changes"][0]["value"]
    assert item["message"] == value["messages"][0]
    assert item["contacts"] == value["contacts"]
    assert message.provider_message_id == "wamid.xyzxyz"
    assert message.parse_status == ParseStatus.CREATED
    complaint = message.complaint
    assert complaint.description == "Body Text"
    assert complaint.channel.kind == "whatsapp"
    assert complaint.reporter.name == "Test Name"
    assert complaint.reporter.phone == "+972987654321"
    assert complaint.events.get(kind=EventKind.RECEIVED).data["inbound_id"] == message.pk
    conversation = Conversation.objects.get()
    assert (conversation.channel_kind, conversation.address, conversation.is_open) == (
        "whatsapp", "+972987654321", True)
    assert conversation.complaint == complaint


@pytest.mark.django_db
def test_five_deliveries_of_one_message_make_one(client, office, channel_settings):
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    for _ in range(5):
        assert post(client, body, SIGNATURES["01_inbound_text.json"]).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().events.count() == 1


@pytest.mark.django_db
def test_structured_message_fills_the_complaint_fields(client, office, channel_settings):
    body = text_payload("Siti Aminah#Klinik Bunda#SIP Bidan#SIP saya belum terbit sejak "
                        "Maret", "wamid.s1")
    assert post(client, body).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reporter.name == "Siti Aminah"
    assert complaint.reporter.phone == "+6281234567890"
    assert complaint.company_name == "Klinik Bunda"
    assert complaint.service_type.code == "sip_bidan"
    assert complaint.description == "SIP saya belum terbit sejak Maret"


@pytest.mark.django_db
def test_unknown_service_type_is_kept_in_the_text(client, office, channel_settings):
    assert post(client, text_payload("Budi#-#Izin Reklame#Kapan selesai?", "wamid.s2")
                ).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.service_type is None
    assert complaint.description == "Jenis perizinan: Izin Reklame\n\nKapan selesai?"


@pytest.mark.django_db
def test_later_message_joins_the_open_case_and_a_settled_case_starts_a_new_one(
        client, office, channel_settings, officer):
    assert post(client, text_payload("Izin PBG saya belum keluar", "wamid.a")).status_code == 200
    assert post(client, text_payload("Ini nomor permohonannya: 123", "wamid.b")
                ).status_code == 200
    complaint = Complaint.objects.get()
    joined = complaint.events.get(kind=EventKind.MESSAGE_IN)
    assert joined.body == "Ini nomor permohonannya: 123"
    assert joined.data["provider_message_id"] == "wamid.b"
    assert InboundMessage.objects.get(provider_message_id="wamid.b").parse_status == "joined"
    assert Conversation.objects.count() == 1

    from aduan.complaints.services import complaint_answer

    complaint_answer(complaint_id=complaint.pk, actor=officer, answer="Sudah terbit.")
    assert post(client, text_payload("Pertanyaan baru soal OSS", "wamid.c")).status_code == 200
    assert Complaint.objects.count() == 2
    newest = Complaint.objects.order_by("-id").first()
    assert newest.description == "Pertanyaan baru soal OSS"
    open_ = Conversation.objects.get(is_open=True)
    assert open_.complaint == newest
    assert Conversation.objects.filter(is_open=False, complaint=complaint).exists()


@pytest.mark.django_db
def test_message_from_a_web_reporter_joins_their_open_case(client, office, channel_settings):
    from aduan.complaints.services import ReporterInput, complaint_register

    web = office.channels.get(code="website")
    existing = complaint_register(office=office, channel=web, subject="", description="Web",
                                  reporter=ReporterInput(name="Ani", phone="081234567890"))
    assert post(client, text_payload("Tambahan dari WA", "wamid.w")).status_code == 200
    assert Complaint.objects.count() == 1
    assert existing.events.filter(kind=EventKind.MESSAGE_IN, body="Tambahan dari WA").exists()


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_sample_image_is_fetched_from_the_graph_api_and_stored(respx_mock, client, office,
                                                               channel_settings):
    image = jpeg()
    meta = respx_mock.get(f"{GRAPH}/65463453").mock(return_value=httpx.Response(
        200, json={"url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
                   "mime_type": "image/jpeg", "id": "65463453"}))
    download = respx_mock.get(
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1").mock(
        return_value=httpx.Response(200, content=image))
    body = fixture_bytes("whatsapp", "02_inbound_image.json")
    assert post(client, body, SIGNATURES["02_inbound_image.json"]).status_code == 200
    assert meta.calls.last.request.headers["Authorization"] == "Bearer test-access-token"
    assert download.calls.last.request.headers["Authorization"] == "Bearer test-access-token"
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    # Stored re-encoded without metadata (complaints/attachments.py): its own size and hash.
    assert attachment.size == attachment.file.size
    assert attachment.file.read()[:3] == b"\xff\xd8\xff"
    assert attachment.original_name == "image.jpg"
    assert not attachment.file.name.endswith("image.jpg")
    assert attachment.complaint.description.startswith("(lampiran tanpa teks")
    assert InboundMessage.objects.get().error == ""


@pytest.mark.django_db
@respx.mock
def test_sample_forwarded_document_is_stored_with_its_caption(respx_mock, client, office,
                                                              channel_settings):
    respx_mock.get(f"{GRAPH}/1234567890987654321").mock(return_value=httpx.Response(
        200, json={"url": "https://lookaside.fbsbx.com/doc?mid=2"}))
    respx_mock.get("https://lookaside.fbsbx.com/doc?mid=2").mock(
        return_value=httpx.Response(200, content=PDF))
    body = fixture_bytes("whatsapp", "03_inbound_document_forwarded.json")
    assert post(client, body, SIGNATURES["03_inbound_document_forwarded.json"]
                ).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.description == "[Diteruskan] caption"
    attachment = complaint.attachments.get()
    assert (attachment.original_name, attachment.content_type) == (
        "filename.pdf", "application/pdf")


@pytest.mark.django_db
@respx.mock
def test_document_whose_bytes_are_not_what_it_claims_is_refused_and_shown_to_officers(
        respx_mock, client, office, channel_settings, officer):
    respx_mock.get(f"{GRAPH}/1234567890987654321").mock(return_value=httpx.Response(
        200, json={"url": "https://lookaside.fbsbx.com/doc?mid=3"}))
    respx_mock.get("https://lookaside.fbsbx.com/doc?mid=3").mock(
        return_value=httpx.Response(200, content=b"<html><script>alert(1)</script></html>"))
    body = fixture_bytes("whatsapp", "03_inbound_document_forwarded.json")
    assert post(client, body).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.attachments.count() == 0
    message = InboundMessage.objects.get()
    assert "filename.pdf" in message.error and "ditolak" in message.error
    login_verified(client, officer)
    page = client.get(reverse("intake_desk:inbound-list"))
    assert "filename.pdf" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name, state", [("04_status_delivered.json", "delivered"),
                                         ("05_status_failed.json", "failed")])
def test_statuses_are_recorded_and_make_no_case(client, office, channel_settings, name, state):
    body = fixture_bytes("whatsapp", name)
    for _ in range(2):
        assert post(client, body, SIGNATURES[name]).status_code == 200
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.PROVIDER_STATUS
    assert message.provider_message_id == f"status:wamid.xyzxyz:{state}"
    assert message.data["status"] == state
    assert message.data["outbound_id"] == "wamid.xyzxyz"
    if state == "failed":
        assert "130472" in message.data["error"]
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_failed_status_marks_our_outbound_message_failed(client, office, channel_settings):
    from aduan.complaints.services import ReporterInput, complaint_register
    from aduan.notifications.models import OutboxMessage

    complaint = complaint_register(
        office=office, channel=office.channels.get(code="sms_wa"), subject="",
        description="x", reporter=ReporterInput(name="A", phone="081234567890"))
    outbox = OutboxMessage.objects.create(
        complaint=complaint, template_code="receipt", channel="whatsapp",
        recipient="+6281234567890", body="x", dedupe_key="intake-test-status",
        status="sent", provider_message_id="wamid.xyzxyz")
    body = fixture_bytes("whatsapp", "05_status_failed.json")
    assert post(client, body, SIGNATURES["05_status_failed.json"]).status_code == 200
    outbox.refresh_from_db()
    assert outbox.status == "failed"
    assert "130472" in outbox.last_error
    assert InboundMessage.objects.get().error == ""


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"entry": 5}', b"[1, 2]"])
def test_unreadable_signed_payload_is_quarantined(client, office, channel_settings, body):
    assert post(client, body).status_code == 200
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.QUARANTINED
    assert bytes(message.raw) == body
    assert message.error


@pytest.mark.django_db
def test_unsupported_message_type_goes_to_review(client, office, channel_settings):
    payload = json.loads(fixture_bytes("whatsapp", "01_inbound_text.json"))
    payload["entry"][0]["changes"][0]["value"]["messages"][0] = {
        "from": "6281234567890", "id": "wamid.react", "timestamp": "1697043223",
        "type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}}
    assert post(client, json.dumps(payload).encode()).status_code == 200
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.NEEDS_REVIEW
    assert Complaint.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_live_server_accepts_the_real_payload_over_http(live_server, office, channel_settings):
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        forged = http.post(URL, content=body, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": "sha256=" + "1" * 64})
        assert forged.status_code == 403
        for _ in range(5):
            ok = http.post(URL, content=body, headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": SIGNATURES["01_inbound_text.json"]})
            assert ok.status_code == 200
        challenge = http.get(URL, params={"hub.mode": "subscribe", "hub.verify_token":
                                          "verify-me", "hub.challenge": "42"})
        assert challenge.text == "42"
    assert InboundMessage.objects.count() == 1
    assert Complaint.objects.get().description == "Body Text"

"""WhatsApp media against a real HTTP stand-in for the Graph API and Meta's media store.

The stand-in (`intake.testing.graph`) is one local server reached under three names:
`127.0.0.1` is the Graph host, `localhost` Meta's media host, `vm` a foreign host. Every request
is recorded with its Host header, so these tests prove where the token and the requests went.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Attachment, Complaint
from aduan.intake.media import host_matches
from aduan.intake.media_fetches import media_fetch_retry_due
from aduan.intake.models import InboundMessage, MediaFetch, MediaFetchStatus, ParseStatus
from aduan.intake.testing.graph import Reply
from aduan.intake.tests.conftest import fixture_bytes, wa_sign

URL = "/intake/whatsapp/"
MEDIA_ID = "65463453"  # the sample image's media id (02_inbound_image.json)
TOKEN = "Bearer test-access-token"
CAP = 64 * 1024


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def post_sample(client, name: str = "02_inbound_image.json", body: bytes | None = None):
    body = body if body is not None else fixture_bytes("whatsapp", name)
    response = client.post(URL, data=body, content_type="application/json",
                           headers={"X-Hub-Signature-256": wa_sign(body)})
    assert response.status_code == 200
    return response


@pytest.fixture
def wa(channel_settings, graph, settings):
    """Channel secrets of the samples, the Graph stand-in, and a small attachment cap."""
    settings.ADUAN_MAX_ATTACHMENT_BYTES = CAP
    return graph


def graph_names(graph, media_url: str, media_id: str = MEDIA_ID, **extra) -> None:
    graph.on("GET", "127.0.0.1", f"/v21.0/{media_id}",
             Reply.json({"url": media_url, "mime_type": "image/jpeg", "id": media_id, **extra}))


def tokens_sent_to(graph, host: str) -> list[str]:
    return [r.headers.get("Authorization", "") for r in graph.seen(host=host)]


@pytest.mark.django_db
def test_sample_image_is_streamed_from_the_media_host_and_stored(client, office, wa):
    image = jpeg()
    graph_names(wa, wa.url("localhost", "/media/1?sig=abc"))
    wa.on("GET", "localhost", "/media/1?sig=abc", Reply(200, image,
                                                        {"Content-Type": "image/jpeg"}))
    post_sample(client)
    attachment = Attachment.objects.get()
    # Stored re-encoded without its metadata (complaints/attachments.py), not byte for byte.
    assert (attachment.content_type, attachment.size) == ("image/jpeg", attachment.file.size)
    assert attachment.file.read()[:3] == b"\xff\xd8\xff"
    assert tokens_sent_to(wa, "127.0.0.1") == [TOKEN]
    assert tokens_sent_to(wa, "localhost") == [TOKEN]  # Meta's media store requires it
    assert not MediaFetch.objects.exists()
    assert InboundMessage.objects.get().parse_status == ParseStatus.CREATED


@pytest.mark.django_db
def test_token_goes_only_to_hosts_trusted_like_graph(client, office, wa, settings):
    settings.WHATSAPP_MEDIA_TOKEN_HOSTS = []
    graph_names(wa, wa.url("localhost", "/media/2"))
    wa.on("GET", "localhost", "/media/2", Reply(200, jpeg()))
    post_sample(client)
    assert Attachment.objects.count() == 1
    assert tokens_sent_to(wa, "127.0.0.1") == [TOKEN]
    assert tokens_sent_to(wa, "localhost") == [""]


@pytest.mark.django_db
def test_graph_answer_naming_a_foreign_host_is_refused_without_contacting_it(
        client, office, wa, officer):
    graph_names(wa, wa.url("vm", "/steal"))
    post_sample(client)
    assert wa.seen(host="vm") == []
    # The message still made its case; the file is a failed pending attachment on it.
    complaint = Complaint.objects.get()
    fetch = MediaFetch.objects.get()
    assert (fetch.complaint, fetch.status) == (complaint, MediaFetchStatus.FAILED)
    assert "vm" in fetch.last_error
    login_verified(client, officer)
    page = client.get(reverse("desk:complaint-detail", args=[complaint.pk])).content.decode()
    assert "Lampiran tertunda" in page and "Host media tidak diizinkan" in page


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["vm", "127.0.0.1"])
def test_redirect_to_a_host_off_the_allowlist_is_not_followed(client, office, wa, target):
    graph_names(wa, wa.url("localhost", "/media/3"))
    wa.on("GET", "localhost", "/media/3",
          Reply(302, headers={"Location": wa.url(target, "/steal")}))
    post_sample(client)
    assert wa.seen(path="/steal") == []
    assert MediaFetch.objects.get().status == MediaFetchStatus.FAILED
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_redirect_within_the_media_hosts_is_followed_without_the_token(client, office, wa):
    graph_names(wa, wa.url("localhost", "/media/4"))
    wa.on("GET", "localhost", "/media/4", Reply(302, headers={"Location": "/media/4b"}))
    wa.on("GET", "localhost", "/media/4b", Reply(200, jpeg()))
    post_sample(client)
    assert Attachment.objects.count() == 1
    assert [r.headers.get("Authorization", "") for r in wa.seen(host="localhost")] == [
        TOKEN, ""]


@pytest.mark.django_db
def test_graph_redirect_is_not_followed(client, office, wa):
    wa.on("GET", "127.0.0.1", f"/v21.0/{MEDIA_ID}",
          Reply(307, headers={"Location": wa.url("vm", "/steal")}))
    post_sample(client)
    assert wa.seen(host="vm") == []
    fetch = MediaFetch.objects.get()
    assert fetch.status == MediaFetchStatus.PENDING  # Graph may answer properly later


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["content-length", "chunked", "gzip-bomb", "declared"])
def test_oversized_media_is_refused_without_holding_it(client, office, wa, how):
    big = b"\xff\xd8\xff\xe0" + b"\0" * (CAP * 4)
    extra = {}
    if how == "content-length":
        reply = Reply(200, big)
    elif how == "chunked":
        reply = Reply(200, lambda: iter([big[i:i + 8192] for i in range(0, len(big), 8192)]))
    elif how == "gzip-bomb":
        reply = Reply(200, gzip.compress(big), {"Content-Encoding": "gzip"})
    else:
        reply = Reply(200, jpeg())
        extra = {"file_size": CAP + 1}
    graph_names(wa, wa.url("localhost", "/media/big"), **extra)
    wa.on("GET", "localhost", "/media/big", reply)
    post_sample(client)
    fetch = MediaFetch.objects.get()
    assert fetch.status == MediaFetchStatus.FAILED
    assert "terlalu besar" in fetch.last_error
    assert Attachment.objects.count() == 0
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_wrong_content_is_refused_by_the_upload_pipeline(client, office, wa):
    graph_names(wa, wa.url("localhost", "/media/html"))
    wa.on("GET", "localhost", "/media/html",
          Reply(200, b"<html><script>alert(1)</script></html>", {"Content-Type": "image/jpeg"}))
    post_sample(client)
    fetch = MediaFetch.objects.get()
    assert fetch.status == MediaFetchStatus.FAILED
    assert "tidak diterima" in fetch.last_error
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_expired_media_becomes_a_pending_attachment_retried_with_backoff(
        client, office, wa, officer):
    graph_names(wa, wa.url("localhost", "/media/old"))  # the URL has expired: 404
    post_sample(client)
    message = InboundMessage.objects.get()
    complaint = Complaint.objects.get()
    assert message.parse_status == ParseStatus.CREATED  # never left in review without a case
    assert message.complaint == complaint
    fetch = MediaFetch.objects.get()
    assert (fetch.status, fetch.attempts) == (MediaFetchStatus.PENDING, 1)
    assert "kedaluwarsa" in fetch.last_error
    first_due = fetch.next_attempt_at
    assert first_due > timezone.now()

    login_verified(client, officer)
    page = client.get(reverse("desk:complaint-detail", args=[complaint.pk])).content.decode()
    assert "Lampiran tertunda" in page and "Menunggu diambil ulang" in page

    # Not due yet: nothing is fetched.
    assert media_fetch_retry_due()["due"] == 0
    # Due, still failing: the delay doubles.
    media_fetch_retry_due(now=first_due)
    fetch.refresh_from_db()
    assert fetch.attempts == 2
    assert fetch.next_attempt_at - first_due == dt.timedelta(seconds=120)
    # Meta gives a fresh URL: the next attempt asks Graph again and stores the file.
    graph_names(wa, wa.url("localhost", "/media/new"))
    wa.on("GET", "localhost", "/media/new", Reply(200, jpeg()))
    assert media_fetch_retry_due(now=fetch.next_attempt_at)["fetched"] == 1
    fetch.refresh_from_db()
    assert fetch.status == MediaFetchStatus.FETCHED
    assert fetch.attachment.complaint == complaint
    assert fetch.attachment.event_id == fetch.event_id
    page = client.get(reverse("desk:complaint-detail", args=[complaint.pk])).content.decode()
    assert "Lampiran tertunda" not in page


@pytest.mark.django_db
def test_retries_stop_after_the_attempt_budget(client, office, wa, settings):
    settings.ADUAN_MEDIA_FETCH_MAX_ATTEMPTS = 3
    wa.on("GET", "127.0.0.1", f"/v21.0/{MEDIA_ID}", Reply.json({"error": {}}, 500))
    post_sample(client)
    for _attempt in range(2):
        media_fetch_retry_due(now=MediaFetch.objects.get().next_attempt_at)
    fetch = MediaFetch.objects.get()
    assert (fetch.status, fetch.attempts) == (MediaFetchStatus.FAILED, 3)
    assert fetch.next_attempt_at is None
    assert media_fetch_retry_due(now=timezone.now() + dt.timedelta(days=30))["due"] == 0
    assert len(wa.seen(host="127.0.0.1")) == 3


@pytest.mark.django_db
def test_graph_404_on_a_joined_message_adds_a_pending_attachment_to_the_open_case(
        client, office, wa):
    text = json.loads(fixture_bytes("whatsapp", "01_inbound_text.json"))
    post_sample(client, body=json.dumps(text).encode())
    complaint = Complaint.objects.get()
    image = json.loads(fixture_bytes("whatsapp", "02_inbound_image.json"))
    image["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = "wamid.image-2"
    # Same sender (972987654321), an image whose media id Graph does not know (404).
    post_sample(client, body=json.dumps(image).encode())
    assert Complaint.objects.count() == 1
    fetch = MediaFetch.objects.get()
    assert fetch.complaint == complaint
    assert fetch.status == MediaFetchStatus.PENDING
    assert InboundMessage.objects.filter(parse_status=ParseStatus.JOINED).count() == 1


@pytest.mark.django_db
def test_officer_fetches_a_failed_attachment_from_the_case_page(client, office, wa, officer,
                                                               unit_a_staff):
    graph_names(wa, wa.url("vm", "/x"))
    post_sample(client)
    fetch = MediaFetch.objects.get()
    url = reverse("intake_desk:media-fetch-retry", args=[fetch.pk])
    # Unit staff are not the complaint team.
    login_verified(client, unit_a_staff)
    assert client.post(url).status_code == 403
    login_verified(client, officer)
    graph_names(wa, wa.url("localhost", "/media/ok"))
    wa.on("GET", "localhost", "/media/ok", Reply(200, jpeg()))
    page = client.post(url, follow=True).content.decode()
    assert "Lampiran berhasil diambil." in page
    fetch.refresh_from_db()
    assert fetch.status == MediaFetchStatus.FETCHED
    assert client.get(url).status_code == 405  # state changes only on POST
    assert "sudah diambil" in client.post(url, follow=True).content.decode()


@pytest.mark.django_db
def test_redelivered_webhook_makes_no_second_pending_attachment(client, office, wa):
    post_sample(client)
    post_sample(client)
    assert MediaFetch.objects.count() == 1
    assert Complaint.objects.count() == 1


@given(host=st.text(alphabet="abcdefghijklmnopqrstuvwxyz.-*", max_size=30))
@hsettings(max_examples=200, deadline=None)
def test_host_pattern_never_matches_a_foreign_suffix(host):
    patterns = ["lookaside.fbsbx.com", "*.fbcdn.net"]
    if host_matches(host, patterns):
        assert host == "lookaside.fbsbx.com" or (host.endswith(".fbcdn.net")
                                                 and len(host) > len(".fbcdn.net"))
    assert not host_matches("evilfbcdn.net", patterns)
    assert not host_matches("fbcdn.net", patterns)
    assert not host_matches("lookaside.fbsbx.com.evil.io", patterns)
    assert host_matches("scontent.xx.fbcdn.net", patterns)

"""Fuzzing the adapters over the providers' payload shapes (Hypothesis): the real samples are
the seeds, and any node may become a string where an object is expected, a list, null, a
number, a huge value or a deep nest. No input makes a 500, every item is stored, and none
ends FAILED (an unexpected exception while processing); bad items are quarantined."""

from __future__ import annotations

import email.utils
import itertools
import json
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.services import inbound_process, inbound_store_raw
from aduan.intake.tests.conftest import fixture_bytes, wa_sign
from aduan.intake.tests.test_sms import signed

WHATSAPP_SAMPLES = ["01_inbound_text.json", "02_inbound_image.json",
                    "03_inbound_document_forwarded.json", "04_status_delivered.json",
                    "05_status_failed.json"]
EMAIL_SAMPLES = ["01_forwarded_inline.eml", "05_attachment_blank_body.eml",
                 "07_attachment_rfc2231_rfc2047_filename.eml", "08_charset_iso2022jp.eml",
                 "14_malformed_missing_final_boundary.eml", "15_bounce_dsn_auto_submitted.eml"]
FUZZ = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# What a provider (or an attacker with the secret) may put where the documentation says
# something else.
hostile = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=40) | st.just("x" * 200_000) | st.just("9" * 400)
    | st.just("\x00\ud7ff\u202e") | st.just(""),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "type", "text", "body", "from", "profile",
                                       "name", "wa_id", "timestamp", "messages",
                                       "statuses", "value", "changes", "entry", "x"]),
                      children, max_size=4),
    max_leaves=12)


_examples = itertools.count()


def seed(raw: bytes) -> Any:
    """A sample with its ids made unique per example (a repeated id is a redelivery, which
    rightly stores nothing new)."""
    suffix = f"-fuzz{next(_examples)}"
    return json.loads(re.sub(rb'("id":\s*"[^"]+)"', lambda m: m.group(1) + suffix.encode()
                             + b'"', raw))


def mutate(node: Any, data: st.DataObject, depth: int = 0) -> Any:
    """The sample with some of its nodes replaced by hostile values (most kept as they are,
    so the payload still reaches the deep branches of the parser)."""
    if data.draw(st.integers(0, 9), label=f"replace@{depth}") == 0:
        return data.draw(hostile)
    if isinstance(node, dict):
        return {k: mutate(v, data, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        items = [mutate(v, data, depth + 1) for v in node]
        if data.draw(st.integers(0, 9), label="extra") == 0:
            items.append(data.draw(hostile))
        return items
    return node


_seen: set[bytes] = set()


def check_every_item_settled(before: int, body: bytes = b"") -> None:
    rows = InboundMessage.objects.filter(pk__gt=before)
    # Identical bytes (or the same generic SMS id) are a redelivery: stored once, the first
    # time.
    repeated = bool(body) and body in _seen
    _seen.add(body)
    assert rows.exists() or repeated, "nothing was stored"
    statuses = set(rows.values_list("parse_status", flat=True))
    assert ParseStatus.FAILED not in statuses, list(rows.values_list("error", flat=True))
    assert ParseStatus.RECEIVED not in statuses


def last_pk() -> int:
    return InboundMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def graph_down(respx_mock):
    """Meta's Graph API (media) answers 404: media items take their failure path."""
    respx_mock.route().mock(return_value=httpx.Response(404))
    return respx_mock


@pytest.mark.django_db
@pytest.mark.slow
@FUZZ
@given(data=st.data(), sample=st.sampled_from(WHATSAPP_SAMPLES))
def test_whatsapp_webhook_never_answers_500(client, office, channel_settings, graph_down,
                                            data, sample):
    payload = mutate(seed(fixture_bytes("whatsapp", sample)), data)
    body = json.dumps(payload).encode()
    before = last_pk()
    response = client.post("/intake/whatsapp/", data=body, content_type="application/json",
                           headers={"X-Hub-Signature-256": wa_sign(body)})
    assert response.status_code == 200
    check_every_item_settled(before, body)


@pytest.mark.django_db
@pytest.mark.slow
@FUZZ
@given(data=st.data(), raw=st.binary(max_size=300))
def test_whatsapp_webhook_survives_any_bytes(client, office, channel_settings, data, raw):
    before = last_pk()
    response = client.post("/intake/whatsapp/", data=raw, content_type="application/json",
                           headers={"X-Hub-Signature-256": wa_sign(raw)})
    assert response.status_code == 200
    check_every_item_settled(before, raw)


@pytest.mark.django_db
@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_sms_gateway_webhook_never_answers_500(client, office, channel_settings, data):
    payload = mutate(seed(fixture_bytes("sms", "sms_received.json")), data)
    body = json.dumps(payload).encode()
    before = last_pk()
    response = client.post("/intake/sms/sms-gate/", data=body, content_type="application/json",
                           headers=signed(body))
    assert response.status_code == 200
    check_every_item_settled(before, body)


@pytest.mark.django_db
@pytest.mark.slow
@FUZZ
@given(fields=st.dictionaries(
    st.sampled_from(["from", "text", "id", "phone", "message", "concat-ref", "concat-part",
                     "concat-total", "udh", "x"]),
    st.text(max_size=30) | st.just("x" * 100_000) | st.just("9" * 300), max_size=7),
    as_json=st.booleans(), extra=hostile)
def test_generic_sms_webhook_never_answers_500(client, office, channel_settings, fields,
                                               as_json, extra):
    from aduan.intake.tests.conftest import SMS_SECRET

    before = last_pk()
    if as_json:
        body = json.dumps({**fields, "nested": extra})
        response = client.post("/intake/sms/", data=body, content_type="application/json",
                               headers={"X-Webhook-Secret": SMS_SECRET})
    else:
        response = client.post("/intake/sms/", data={**fields, "secret": SMS_SECRET})
    assert response.status_code == 200
    # Messages without an id are all stored (repeats are judged when processed).
    key = fields.get("id", "").strip()[:200]
    check_every_item_settled(before, f"generic-id:{key}".encode() if key else b"")


@pytest.mark.django_db
@pytest.mark.slow
@FUZZ
@given(data=st.data(), sample=st.sampled_from(EMAIL_SAMPLES))
def test_stored_mail_of_any_shape_is_processed_or_quarantined(office, data, sample):
    from aduan.intake.adapters.email_imap import split_email

    raw = fixture_bytes("email", sample)
    cut = data.draw(st.integers(0, len(raw)))
    noise = data.draw(st.binary(max_size=200))
    mode = data.draw(st.sampled_from(["truncate", "insert", "headers"]))
    if mode == "truncate":
        raw = raw[:cut]
    elif mode == "insert":
        raw = raw[:cut] + noise + raw[cut:]
    else:
        raw = (b"Message-ID: " + email.utils.make_msgid().encode() + b"\r\nFrom: " + noise
               + b"\r\nSubject: " + noise[::-1] + b"\r\n" + raw)
    before = last_pk()
    message, _created = inbound_store_raw(split_email(raw))
    inbound_process(message_id=message.pk)
    check_every_item_settled(min(before, message.pk - 1), raw)

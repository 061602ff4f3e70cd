"""Webhooks of the inbound channels. Each checks the provider's signature on the raw body
before parsing, stores every message raw, enqueues its processing and answers at once."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from aduan.intake.adapters import sms, whatsapp
from aduan.intake.models import ParseStatus
from aduan.intake.services import Incoming, inbound_store
from aduan.intake.tasks import process_inbound_message

logger = logging.getLogger(__name__)

# Request headers kept with the raw payload (never a shared secret).
KEPT_HEADERS = ("Content-Type", "User-Agent", whatsapp.SIGNATURE_HEADER, "X-Signature",
                "X-Timestamp")


def _headers(request: HttpRequest) -> dict[str, str]:
    return {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}


def refuse(request: HttpRequest, reason: str) -> HttpResponse:
    """403 for a request that is not from the provider; logged, never stored."""
    logger.warning("intake: refused %s from %s: %s", request.path,
                   request.META.get("REMOTE_ADDR", "?"), reason)
    return HttpResponseForbidden(reason)


def receive(records: list[Incoming]) -> int:
    """Store each record once and enqueue its processing; returns how many were new."""
    new = 0
    for record in records:
        message, created = inbound_store(record)
        if created:
            new += 1
            if message.parse_status == ParseStatus.RECEIVED:
                process_inbound_message.enqueue(message.pk)
    return new


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        challenge = whatsapp.verify_handshake(request.GET.dict())
        if challenge is None:
            return refuse(request, "verify token mismatch")
        return HttpResponse(challenge, content_type="text/plain")
    body = request.body
    if not whatsapp.signature_is_valid(body, request.headers.get(whatsapp.SIGNATURE_HEADER, "")):
        return refuse(request, "invalid signature")
    receive(whatsapp.parse_webhook(body, _headers(request)))
    return HttpResponse("OK", content_type="text/plain")


@csrf_exempt
@require_POST
def smsgate_webhook(request: HttpRequest) -> HttpResponse:
    body = request.body
    if not sms.smsgate_signature_is_valid(body, request.headers.get("X-Timestamp", ""),
                                          request.headers.get("X-Signature", "")):
        return refuse(request, "invalid signature")
    receive([sms.parse_smsgate(body, _headers(request))])
    return HttpResponse("OK", content_type="text/plain")


@csrf_exempt
@require_POST
def sms_generic_webhook(request: HttpRequest) -> HttpResponse:
    body = request.body
    if request.content_type == "application/json":
        try:
            loaded = json.loads(body)
        except ValueError:
            loaded = None
        if not isinstance(loaded, dict):
            return HttpResponse("invalid JSON object", status=400, content_type="text/plain")
        fields = {str(k): str(v) for k, v in loaded.items() if v is not None}
    else:
        fields = request.POST.dict()
    given = request.headers.get("X-Webhook-Secret") or fields.pop("secret", "")
    if not sms.generic_secret_is_valid(given):
        return refuse(request, "invalid secret")
    # The shared secret is not kept in the stored payload.
    raw = body.replace(given.encode(), b"***") if given else body
    receive([sms.parse_generic(raw, fields, _headers(request))])
    return HttpResponse("OK", content_type="text/plain")

"""Webhooks of the inbound channels. Each checks the provider's signature on the raw body,
cuts the payload into items, stores every item raw (minus secrets) before anything reads it,
queues its processing and answers at once: 200 when every item is stored (a bad item is
quarantined later, never refused), 503 when the database did not take them, so the provider
delivers again."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from aduan.intake.adapters import sms, whatsapp
from aduan.intake.models import ParseStatus
from aduan.intake.services import RawItem, StorageFailed, inbound_store_raw
from aduan.intake.tasks import enqueue_processing

logger = logging.getLogger(__name__)

# Request headers kept with the raw payload (never a shared secret).
KEPT_HEADERS = ("Content-Type", "User-Agent", whatsapp.SIGNATURE_HEADER, "X-Signature",
                "X-Timestamp")
# A redelivered item still unprocessed after this many seconds is queued again (its first
# task may have been lost with a killed worker); the sweeper catches the rest.
REQUEUE_AFTER_SECONDS = 30


def _headers(request: HttpRequest) -> dict[str, str]:
    return {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}


def refuse(request: HttpRequest, reason: str) -> HttpResponse:
    """403 for a request that is not from the provider; logged, never stored."""
    logger.warning("intake: refused %s from %s: %s", request.path,
                   request.META.get("REMOTE_ADDR", "?"), reason)
    return HttpResponseForbidden(reason)


def receive(items: list[RawItem]) -> HttpResponse:
    """Store every item, then queue each new one. 503 if the database refused any."""
    queued: list[int] = []
    try:
        for item in items:
            message, created = inbound_store_raw(item)
            age = (timezone.now() - message.received_at).total_seconds()
            if message.parse_status == ParseStatus.RECEIVED and (
                    created or age > REQUEUE_AFTER_SECONDS):
                queued.append(message.pk)
    except StorageFailed:
        logger.exception("intake: inbound items not stored; asking the provider to retry")
        return HttpResponse(_("Pesan belum dapat disimpan; kirim ulang nanti."), status=503,
                            content_type="text/plain; charset=utf-8",
                            headers={"Retry-After": "60"})
    for pk in queued:
        enqueue_processing(pk)
    return HttpResponse("OK", content_type="text/plain")


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
    return receive(whatsapp.split_webhook(body, _headers(request)))


@csrf_exempt
@require_POST
def smsgate_webhook(request: HttpRequest) -> HttpResponse:
    body = request.body
    if not sms.smsgate_signature_is_valid(body, request.headers.get("X-Timestamp", ""),
                                          request.headers.get("X-Signature", "")):
        return refuse(request, "invalid signature")
    return receive([sms.split_smsgate(body, _headers(request))])


@csrf_exempt
@require_POST
def sms_generic_webhook(request: HttpRequest) -> HttpResponse:
    is_json = request.content_type == "application/json"
    if is_json:
        try:
            loaded = json.loads(request.body)
        except (ValueError, RecursionError):
            loaded = None
        pairs = [(str(k), v) for k, v in loaded.items()] if isinstance(loaded, dict) else None
    else:
        pairs = list(request.POST.items())
    given = request.headers.get("X-Webhook-Secret") or next(
        (str(v) for k, v in pairs or [] if k == "secret" and v is not None), "")
    if not sms.generic_secret_is_valid(given):
        return refuse(request, "invalid secret")
    if pairs is None:
        return HttpResponse(_("Isi permintaan bukan objek JSON."), status=400,
                            content_type="text/plain; charset=utf-8")
    item, _given = sms.split_generic(pairs, is_json=is_json, headers=_headers(request))
    return receive([item])

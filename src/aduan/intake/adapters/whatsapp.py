"""Meta WhatsApp Business Cloud API: webhook handshake, signature, payload and media.

Payload shape (object `whatsapp_business_account`): `entry[].changes[].value` holds
`metadata`, `contacts[]` (profile.name, wa_id), `messages[]` (from, id `wamid.*`, timestamp,
type text/image/document/...) and `statuses[]` (id, status delivered/read/failed, errors[]).
Media arrive as an id only: GET {graph}/{media-id} gives a short-lived URL on Meta's media
store, downloaded by `intake.media` (host allowlist, token rules, size cap).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.intake.media import MediaError, whatsapp_media_fetch
from aduan.intake.models import InboundMessage
from aduan.intake.services import Incoming, IncomingFile
from aduan.offices.models import ChannelKind

logger = logging.getLogger(__name__)

PROVIDER = "meta"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
TEXT_TYPES = ("text", "button", "interactive")


def verify_handshake(params: dict[str, str]) -> str | None:
    """The hub.challenge to echo when Meta's verification request carries our token."""
    token = settings.WHATSAPP_VERIFY_TOKEN
    if (params.get("hub.mode") == "subscribe" and token
            and hmac.compare_digest(params.get("hub.verify_token", ""), token)):
        return params.get("hub.challenge", "")
    return None


def signature_is_valid(body: bytes, header: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`, constant time."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def _timestamp(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def parse_webhook(body: bytes, headers: dict[str, str]) -> list[Incoming]:
    """Every message and status in one POST, each as its own record. A body we cannot read
    becomes one record for review (never dropped)."""
    try:
        payload = json.loads(body)
        entries = payload["entry"]
        if not isinstance(entries, list):
            raise TypeError("entry is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        return [Incoming(channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=body,
                         headers=headers,
                         error=_("Payload WhatsApp tidak dapat dibaca: %(error)s")
                         % {"error": str(exc)[:200]})]
    out: list[Incoming] = []
    for entry in entries:
        for change in (entry or {}).get("changes", []) or []:
            value = (change or {}).get("value") or {}
            names = {c.get("wa_id"): ((c.get("profile") or {}).get("name") or "")
                     for c in value.get("contacts", []) or [] if isinstance(c, dict)}
            for msg in value.get("messages", []) or []:
                out.append(_message(msg, names, body, headers, value.get("metadata") or {}))
            for status in value.get("statuses", []) or []:
                out.append(_status(status, body, headers))
    if not out:
        # Events we deliberately ignore (account updates, templates) are still recorded.
        out.append(Incoming(channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=body,
                            headers=headers, data={"kind": "other"},
                            error=_("Payload WhatsApp tanpa pesan atau status.")))
    return out


def _message(msg: dict[str, Any], names: dict[str, str], body: bytes, headers: dict[str, str],
             metadata: dict[str, Any]) -> Incoming:
    kind = msg.get("type") or ""
    sender = str(msg.get("from") or "")
    text = ""
    files: list[dict[str, Any]] = []
    data: dict[str, Any] = {"kind": "message", "type": kind,
                            "phone_number_id": metadata.get("phone_number_id", ""),
                            "forwarded": bool((msg.get("context") or {}).get("forwarded"))}
    if kind == "text":
        text = (msg.get("text") or {}).get("body", "")
    elif kind == "button":
        text = (msg.get("button") or {}).get("text", "")
    elif kind == "interactive":
        inter = msg.get("interactive") or {}
        reply = inter.get("button_reply") or inter.get("list_reply") or {}
        text = reply.get("title", "")
    elif kind in MEDIA_TYPES:
        media = msg.get(kind) or {}
        text = media.get("caption", "") or ""
        ext = {"image": "jpg", "audio": "ogg", "video": "mp4", "sticker": "webp"}.get(kind, "")
        files.append({"media_id": str(media.get("id", "")),
                      "name": media.get("filename") or f"{kind}.{ext}".rstrip("."),
                      "mime_type": media.get("mime_type", ""), "sha256": media.get("sha256", "")})
        if kind == "sticker":
            data["kind"] = "unsupported"
    elif kind == "location":
        loc = msg.get("location") or {}
        text = _("Lokasi: %(name)s %(address)s (%(lat)s, %(lon)s)") % {
            "name": loc.get("name", ""), "address": loc.get("address", ""),
            "lat": loc.get("latitude", ""), "lon": loc.get("longitude", "")}
    else:
        data["kind"] = "unsupported"
    data["files"] = files
    if data["forwarded"] and text:
        text = _("[Diteruskan] %(text)s") % {"text": text}
    return Incoming(
        channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=body, headers=headers,
        provider_message_id=str(msg.get("id") or ""),
        sender=f"+{sender}" if sender and not sender.startswith("+") else sender,
        sender_name=names.get(sender, ""), body=text,
        received_at=_timestamp(msg.get("timestamp")), data=data)


def _status(status: dict[str, Any], body: bytes, headers: dict[str, str]) -> Incoming:
    errors = status.get("errors") or []
    error_text = "; ".join(
        f"{e.get('code', '')} {e.get('title', '')}: "
        f"{(e.get('error_data') or {}).get('details', '') or e.get('message', '')}".strip()
        for e in errors if isinstance(e, dict))
    wamid = str(status.get("id") or "")
    state = str(status.get("status") or "")
    return Incoming(
        channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=body, headers=headers,
        # One row per (message, state): "delivered" then "read" are two facts, a redelivery
        # of either is not.
        provider_message_id=f"status:{wamid}:{state}" if wamid else "",
        sender=str(status.get("recipient_id") or ""),
        received_at=_timestamp(status.get("timestamp")),
        data={"kind": "status", "status": state, "outbound_id": wamid,
              "error": error_text, "errors": errors})


def load_media(message: InboundMessage) -> list[IncomingFile]:
    """Download the message's media through the Graph API (see `intake.media` for the host
    and token rules). Never raises: a file that cannot be fetched comes back with its error,
    and becomes a pending attachment on the case."""
    files = []
    for ref in message.data.get("files") or []:
        name = str(ref.get("name") or "lampiran")
        declared = str(ref.get("mime_type") or "")
        try:
            media = whatsapp_media_fetch(str(ref.get("media_id", "")))
        except MediaError as exc:
            files.append(IncomingFile(name=name, declared_type=declared, ref=ref,
                                      error=exc.message, retryable=exc.retryable))
            continue
        except Exception as exc:
            logger.exception("inbound %s: media %s not fetched", message.pk, ref.get("media_id"))
            files.append(IncomingFile(name=name, declared_type=declared, ref=ref,
                                      error=repr(exc)[:300], retryable=True))
            continue
        files.append(IncomingFile(name=name, declared_type=declared, ref=ref,
                                  file=media.file, size=media.size))
    return files


def record_status(message: InboundMessage) -> str:
    """Hand a delivery status of one of our outbound messages to the outbox."""
    return record_outbound_status(
        provider_message_id=message.data.get("outbound_id", ""),
        status=message.data.get("status", ""), error=message.data.get("error", ""),
        at=message.received_at)


def record_outbound_status(*, provider_message_id: str, status: str, error: str,
                           at: dt.datetime | None) -> str:
    """Call the notifications app's outbox hook when it exists; the status is kept on the
    InboundMessage either way. Returns a note for the inbound row ("" when recorded)."""
    try:
        from aduan.notifications.services import outbox_record_provider_status
    except ImportError:
        return _("Status dicatat di pesan masuk; outbox belum tersedia.")
    recorded = outbox_record_provider_status(provider_message_id=provider_message_id,
                                             status=status, error=error,
                                             at=at or timezone.now())
    if recorded is None:
        return _("Tidak ada pesan keluar dengan id %(id)s; status dicatat di sini saja.") % {
            "id": provider_message_id or "-"}
    return ""

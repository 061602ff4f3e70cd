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
from aduan.intake.services import Incoming, IncomingFile, RawItem, item_key
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
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _dump(item: dict[str, Any]) -> bytes:
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _as_list(value: Any) -> list[Any]:
    """A list as the shapes say; anything else (a string, an object) as one bad element."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _raw_item(item: dict[str, Any], key: str, headers: dict[str, str]) -> RawItem:
    raw = _dump(item)
    return RawItem(channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=raw,
                   provider_message_id=key or item_key(raw), headers=headers,
                   addresses=_business_number(item.get("metadata")))


def _business_number(metadata: Any) -> tuple[str, ...]:
    """The office's number the item was sent to: display number and phone_number_id (the
    office comes from the channel; offices.selectors.office_for_inbound)."""
    if not isinstance(metadata, dict):
        return ()
    return tuple(value.strip()[:50] for name in ("display_phone_number", "phone_number_id")
                 if isinstance(value := metadata.get(name), str | int)
                 and not isinstance(value, bool) and (value := str(value)).strip())


def _text_id(value: Any) -> str:
    return value.strip() if isinstance(value, str) and 0 < len(value.strip()) <= 200 else ""


def split_webhook(body: bytes, headers: dict[str, str]) -> list[RawItem]:
    """Cut a webhook POST into its items without reading them: each message and each status
    with the batch context it needs (entry id, metadata, contacts). Never raises: a body that
    is not the documented shape, and every malformed node in it, becomes an item of its own
    that the parser quarantines; the rest of the batch goes on."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        return [RawItem(channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=body,
                        provider_message_id=item_key(body), headers=headers,
                        data={"kind": "payload"})]
    items: list[RawItem] = []
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            items.append(_raw_item({"entry": entry}, "", headers))
            continue
        for change in changes:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                items.append(_raw_item({"entry_id": entry.get("id"), "change": change}, "",
                                       headers))
                continue
            context = {"entry_id": entry.get("id"), "field": change.get("field"),
                       "metadata": value.get("metadata"), "contacts": value.get("contacts")}
            found = False
            for msg in _as_list(value.get("messages")):
                found = True
                wamid = _text_id(msg.get("id")) if isinstance(msg, dict) else ""
                items.append(_raw_item({**context, "message": msg}, wamid, headers))
            for status in _as_list(value.get("statuses")):
                found = True
                key = ""
                if isinstance(status, dict) and _text_id(status.get("id")) and isinstance(
                        status.get("status"), str):
                    key = f"status:{_text_id(status['id'])}:{status['status'][:30]}"
                items.append(_raw_item({**context, "status": status}, key, headers))
            if not found:
                # Events we deliberately ignore (account updates, templates) are recorded.
                items.append(_raw_item({**context, "value": value}, "", headers))
    if not items:
        items.append(_raw_item({"payload": payload}, "", headers))
    return items


def parse_item(message: InboundMessage) -> Incoming:
    """Read one stored item. Raises (or sets `error`) for an item that is not the documented
    shape; the caller quarantines it."""
    item = json.loads(bytes(message.raw))
    if not isinstance(item, dict) or not ("message" in item or "status" in item):
        if isinstance(item, dict) and isinstance(item.get("value"), dict):
            return Incoming(channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=b"",
                            data={"kind": "other",
                                  "skip_reason": _("Peristiwa WhatsApp tanpa pesan atau "
                                                   "status.")})
        return Incoming(channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=b"",
                        error=_("Payload WhatsApp tidak dapat dibaca: bentuknya tidak "
                                "sesuai dokumentasi Meta."))
    names: dict[str, str] = {}
    for contact in _as_list(item.get("contacts")):
        if isinstance(contact, dict) and isinstance(contact.get("wa_id"), str):
            profile = contact.get("profile")
            name = profile.get("name") if isinstance(profile, dict) else None
            names[contact["wa_id"]] = name if isinstance(name, str) else ""
    metadata = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
    if "status" in item:
        return _status(_object(item["status"], "status"))
    return _message(_object(item["message"], "message"), names, metadata)


def scrub_identity(raw: bytes) -> bytes:
    """A stored item without the contacts' profile names and business-scoped user ids (for
    an anonymous reporter); the `wa_id` stays: it is the number we answer on."""
    item = json.loads(raw)
    if not isinstance(item, dict) or not isinstance(item.get("contacts"), list):
        return raw
    item["contacts"] = [{"wa_id": c.get("wa_id")} if isinstance(c, dict) else None
                        for c in item["contacts"]]
    return _dump(item)


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} is {type(value).__name__}, not an object")
    return value


def _text(value: Any, what: str) -> str:
    """A string field; a missing one is empty, any other type is a malformed item."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{what} is {type(value).__name__}, not a string")


def _message(msg: dict[str, Any], names: dict[str, str],
             metadata: dict[str, Any]) -> Incoming:
    kind = _text(msg.get("type"), "type")
    sender = _text(msg.get("from"), "from").strip()
    text = ""
    files: list[dict[str, Any]] = []
    context = msg.get("context")
    data: dict[str, Any] = {"kind": "message", "type": kind,
                            "phone_number_id": _text(metadata.get("phone_number_id"),
                                                     "phone_number_id"),
                            "forwarded": isinstance(context, dict)
                            and context.get("forwarded") is True}
    if kind == "text":
        text = _text(_object(msg.get("text"), "text").get("body"), "text.body")
    elif kind == "button":
        text = _text(_object(msg.get("button"), "button").get("text"), "button.text")
    elif kind == "interactive":
        inter = _object(msg.get("interactive"), "interactive")
        reply = inter.get("button_reply") or inter.get("list_reply") or {}
        text = _text(_object(reply, "reply").get("title"), "reply.title")
    elif kind in MEDIA_TYPES:
        media = _object(msg.get(kind), kind)
        text = _text(media.get("caption"), "caption")
        ext = {"image": "jpg", "audio": "ogg", "video": "mp4", "sticker": "webp"}.get(kind, "")
        files.append({"media_id": _text(media.get("id"), "media id"),
                      "name": _text(media.get("filename"), "filename")[:200]
                      or f"{kind}.{ext}".rstrip("."),
                      "mime_type": _text(media.get("mime_type"), "mime_type")[:100],
                      "sha256": _text(media.get("sha256"), "sha256")[:100]})
        if kind == "sticker":
            data["kind"] = "unsupported"
    elif kind == "location":
        loc = _object(msg.get("location"), "location")
        text = _("Lokasi: %(name)s %(address)s (%(lat)s, %(lon)s)") % {
            "name": _text(loc.get("name"), "name"), "address": _text(loc.get("address"),
                                                                      "address"),
            "lat": _text(loc.get("latitude"), "latitude"),
            "lon": _text(loc.get("longitude"), "longitude")}
    else:
        data["kind"] = "unsupported"
    data["files"] = files
    if data["forwarded"] and text:
        text = _("[Diteruskan] %(text)s") % {"text": text}
    return Incoming(
        channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=b"",
        provider_message_id=_text(msg.get("id"), "id"),
        sender=f"+{sender}" if sender and not sender.startswith("+") else sender,
        sender_name=names.get(sender, ""), body=text,
        provider_sent_at=_timestamp(msg.get("timestamp")), data=data)


def _status(status: dict[str, Any]) -> Incoming:
    error_parts = []
    for e in _as_list(status.get("errors")):
        if isinstance(e, dict):
            details = e.get("error_data")
            details = details.get("details", "") if isinstance(details, dict) else ""
            error_parts.append(f"{e.get('code', '')} {e.get('title', '')}: "
                               f"{details or e.get('message', '')}".strip())
    wamid = _text(status.get("id"), "id")
    state = _text(status.get("status"), "status")
    return Incoming(
        channel_kind=ChannelKind.WHATSAPP, provider=PROVIDER, raw=b"",
        provider_message_id=f"status:{wamid}:{state}" if wamid else "",
        sender=_text(status.get("recipient_id"), "recipient_id"),
        provider_sent_at=_timestamp(status.get("timestamp")),
        data={"kind": "status", "status": state, "outbound_id": wamid,
              "error": "; ".join(error_parts)[:2000],
              "errors": [e for e in _as_list(status.get("errors")) if isinstance(e, dict)]})


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
        at=message.received_at,
        error_codes=[e.get("code") for e in message.data.get("errors") or []
                     if isinstance(e, dict)])


def record_outbound_status(*, provider_message_id: str, status: str, error: str,
                           at: dt.datetime | None, error_codes: list[object] | None = None,
                           unreachable: bool = False) -> str:
    """Call the notifications app's outbox hook when it exists; the status is kept on the
    InboundMessage either way. Returns a note for the inbound row ("" when recorded)."""
    try:
        from aduan.notifications.services import outbox_record_provider_status
    except ImportError:
        return _("Status dicatat di pesan masuk; outbox belum tersedia.")
    recorded = outbox_record_provider_status(provider_message_id=provider_message_id,
                                             status=status, error=error,
                                             at=at or timezone.now(),
                                             error_codes=error_codes or [],
                                             unreachable=unreachable)
    if recorded is None:
        return _("Tidak ada pesan keluar dengan id %(id)s; status dicatat di sini saja.") % {
            "id": provider_message_id or "-"}
    return ""

"""E-mail in: a mailbox read over IMAP (stdlib imaplib) and parsed with `email`
(policy.default), tolerant of every charset, encoded header and broken structure we have met.

Mail is processed by UID within the mailbox's UIDVALIDITY (`MailboxState`) and is idempotent
by Message-ID (a mail without one is keyed by the hash of its bytes). Bounces and automatic
replies are recorded and skipped: acknowledging them would start a mail loop (RFC 3834).
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import hashlib
import imaplib
import logging
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.intake.email_headers import minimise_headers
from aduan.intake.models import InboundMessage, MailboxState
from aduan.intake.parsing import html_to_text
from aduan.intake.services import (
    RETRYABLE,
    Incoming,
    IncomingFile,
    RawItem,
    inbound_process,
    inbound_store_raw,
    item_key,
)
from aduan.notifications.reply_tokens import tokens_in
from aduan.offices.models import ChannelKind

logger = logging.getLogger(__name__)

PROVIDER = "imap"
# Postmaster is a person's role address too; its bounces carry Auto-Submitted or a report.
BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|mail-daemon)([+@]|$)", re.I)
# One header line: the id ends at the line's end, so an unclosed "<" is not searched for its
# ">" through the rest of the text from every such line (quadratic time).
_MESSAGE_ID_LINE = re.compile(r"^Message-ID:[ \t]*(<[^>\r\n]+>)", re.I | re.M)
IMAP_TIMEOUT = 30


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def _decode_bytes(payload: bytes, charset: str | None) -> str:
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return payload.decode(candidate, errors="replace")
        except LookupError:
            continue
    return payload.decode("latin-1")


def _part_text(part: Message) -> str:
    """A text part as Unicode, whatever its charset (unknown charsets fall back to UTF-8)."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, KeyError, ValueError, AttributeError, AssertionError):
        pass
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return _decode_bytes(payload, part.get_content_charset())


def _header(msg: Message, name: str) -> str:
    """A decoded header; an undecodable one (unknown charset) is decoded word by word, and
    whatever cannot be decoded is kept as its raw text."""
    try:
        value = msg.get(name)
    except Exception:
        value = None
    if value is None:
        return ""
    try:
        text = str(value)
    except Exception:
        text = ""
    if "=?" in text or not text:
        raw = msg.get_all(name, [""])[0] if hasattr(msg, "get_all") else ""
        raw_text = getattr(raw, "_parse_tree", None)
        raw_text = str(raw_text) if raw_text is not None else str(raw)
        try:
            pieces = email.header.decode_header(raw_text)
            text = "".join(
                _decode_bytes(chunk, enc) if isinstance(chunk, bytes) else chunk
                for chunk, enc in pieces)
        except Exception:
            text = raw_text
    return " ".join(text.split())


def _sender(msg: EmailMessage) -> tuple[str, str]:
    """(address, display name). The header is split into addresses before display names are
    decoded, so `=?UTF-8?B?Rm9vLCBCYXI=?=` ("Foo, Bar") stays one sender."""
    try:
        header = msg["from"]
        if header is not None and header.addresses:
            addr = header.addresses[0]
            return addr.addr_spec.strip().lower(), addr.display_name
    except Exception:
        logger.debug("From header not parsed by the policy; falling back", exc_info=True)
    raw = msg.get_all("from", []) if hasattr(msg, "get_all") else []
    for name, address in getaddresses([str(r) for r in raw]):
        if "@" in address:
            return address.strip().lower(), _header_text(name)
    return "", ""


def _header_text(value: str) -> str:
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except Exception:
        return value


def _filename(part: Message) -> str:
    name = ""
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if not name:
        name = part.get_param("name") or ""  # type: ignore[assignment]
        if isinstance(name, tuple):
            name = email.utils.collapse_rfc2231_value(name)
    if "=?" in name:
        name = _header_text(name)
    return str(name)


def is_automatic(msg: Message, sender: str) -> str:  # noqa: PLR0911 (one test per sign)
    """Why this mail is a bounce or an automatic reply, or "" for a person's mail."""
    auto = (msg.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if msg.get_content_type() == "multipart/report":
        return "multipart/report"
    if BOUNCE_SENDERS.match(sender.split("@", maxsplit=1)[0] if sender else ""):
        return f"From: {sender}"
    for name in ("X-Envelope-From", "Return-Path"):
        if (msg.get(name) or "").strip() == "<>":
            return f"{name}: <>"
    if msg.get("X-Autoreply") or msg.get("X-Autorespond"):
        return "X-Autoreply"
    if (msg.get("Precedence") or "").strip().lower() in {"bulk", "junk", "auto_reply"}:
        return f"Precedence: {msg.get('Precedence')}"
    return ""


def _bounced_message_id(msg: Message) -> str:
    """The Message-ID of our mail that bounced, from the DSN's returned headers."""
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message) and inner.get("Message-ID"):
                return str(inner.get("Message-ID")).strip()
        if ctype == "text/rfc822-headers":
            found = _MESSAGE_ID_LINE.search(_part_text(part))
            if found:
                return found.group(1)
    return ""


def _body_part(msg: EmailMessage) -> Message | None:
    try:
        return msg.get_body(preferencelist=("plain", "html"))
    except Exception:
        return None


def _body_text(part: Message | None) -> str:
    if part is None:
        return ""
    text = _part_text(part)
    if part.get_content_type() == "text/html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def parse_email(raw: bytes) -> Incoming:
    """An RFC 5322 message as an `Incoming`. Never raises: a mail we cannot read is kept
    raw for an officer to review."""
    try:
        return _parse(raw)
    except Exception as exc:
        logger.exception("e-mail could not be parsed")
        return Incoming(channel_kind=ChannelKind.EMAIL, provider=PROVIDER, raw=raw,
                        provider_message_id="sha256:" + hashlib.sha256(raw).hexdigest(),
                        error=_("E-mail tidak dapat dibaca: %(error)s") % {"error": repr(exc)})


def _parse(raw: bytes) -> Incoming:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    message_id = _header(msg, "Message-ID").strip()
    sender, name = _sender(msg)
    subject = _header(msg, "Subject")
    received_at = None
    try:
        date = msg["date"]
        received_at = date.datetime if date is not None else None
        if received_at is not None and timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at, dt.UTC)
    except Exception:
        received_at = None
    body_part = _body_part(msg)
    body = _body_text(body_part)
    files: list[dict[str, object]] = []
    forwarded: list[str] = []
    for index, part in enumerate(msg.walk()):
        if part is body_part or part.is_multipart():
            if part.get_content_type() == "message/rfc822":
                forwarded.append(_forwarded_text(part))
            continue
        disposition = part.get_content_disposition()
        filename = _filename(part)
        maintype = part.get_content_maintype()
        if disposition == "attachment" or filename or maintype not in ("text", "multipart",
                                                                       "message"):
            files.append({"index": index, "name": filename or f"lampiran-{index}",
                          "mime_type": part.get_content_type()})
    if forwarded:
        body = "\n\n".join([body, *forwarded]).strip()
    data: dict[str, object] = {"kind": "message", "files": files,
                               "defects": [type(d).__name__ for d in msg.defects][:20]}
    automatic = is_automatic(msg, sender)
    if automatic:
        data["skip_reason"] = automatic
        data["outbound_id"] = _bounced_message_id(msg)
        data["status"] = "failed"
        data["error"] = subject
    # The Date header is the sender's claim (sample 02 says 2005); the complaint is received
    # when the office's mailbox is read, which is also when the register number is issued.
    data["date_header"] = received_at.isoformat() if received_at else ""
    # Our reply tokens, from the addresses the mail was sent to and its subject: the only way
    # a mail joins an existing case (intake.email_threading).
    data["reply_tokens"] = tokens_in(subject=subject, addresses=_recipients(msg))
    return Incoming(
        channel_kind=ChannelKind.EMAIL, provider=PROVIDER, raw=raw,
        provider_message_id=message_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
        sender=sender, sender_name=name, subject=subject, body=body, data=data,
        provider_sent_at=received_at)


def _recipients(msg: Message) -> list[str]:
    values: list[str] = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To"):
        try:
            values += [str(v) for v in msg.get_all(name, [])]
        except Exception:
            logger.debug("%s header not readable", name, exc_info=True)
    return [address for _name, address in getaddresses(values)][:50]


def split_email(raw: bytes) -> RawItem:
    """A mail as an item to store before it is read: keyed by its Message-ID (the headers
    only, read leniently), or by the hash of its bytes when it has none."""
    addresses: tuple[str, ...] = ()
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        message_id = " ".join(str(headers.get("Message-ID") or "").split())[:255]
    except Exception:
        message_id = ""
    else:
        addresses = _delivered_to(headers)
    # Stored without the trace headers that carry the sender's IP address (keyed first, on
    # the bytes as they arrived, so a redelivery is still recognised).
    return RawItem(channel_kind=ChannelKind.EMAIL, provider=PROVIDER,
                   raw=minimise_headers(raw), provider_message_id=message_id or item_key(raw),
                   addresses=addresses)


def _delivered_to(msg: Message) -> tuple[str, ...]:
    """The mailboxes a mail was sent to, most specific first: the address the sender used
    (X-Original-To, before the server's aliases; To; Cc), then the mailbox it was delivered
    to. The office is the one whose channel names one of them first
    (offices.selectors.office_for_inbound)."""
    found: list[str] = []
    for name in ("X-Original-To", "To", "Cc", "Delivered-To"):
        try:
            values = [str(v) for v in msg.get_all(name, [])]
            found += [address for _name, address in getaddresses(values) if address]
        except Exception:
            logger.debug("%s header not readable", name, exc_info=True)
    return tuple(dict.fromkeys(a[:254] for a in found))[:20]


def parse_stored(message: InboundMessage) -> Incoming:
    """Read a stored mail (the parser of the `imap` provider)."""
    return parse_email(bytes(message.raw))


def _forwarded_text(part: Message) -> str:
    inner = part.get_payload()
    inner = inner[0] if isinstance(inner, list) and inner else inner
    if not isinstance(inner, EmailMessage):
        return ""
    head = _("---------- Pesan terusan ----------\nDari: %(from)s\nSubjek: %(subject)s") % {
        "from": _header(inner, "From"), "subject": _header(inner, "Subject")}
    return f"{head}\n\n{_body_text(_body_part(inner))}".strip()


def load_attachments(message: InboundMessage) -> list[IncomingFile]:
    """The attachments of a stored mail, re-read from its raw bytes."""
    refs = {int(f["index"]): f for f in message.data.get("files") or []}
    if not refs:
        return []
    msg = email.message_from_bytes(bytes(message.raw), policy=policy.default)
    files = []
    for index, part in enumerate(msg.walk()):
        ref = refs.get(index)
        if ref is None:
            continue
        payload = part.get_payload(decode=True)
        files.append(IncomingFile(name=str(ref["name"]), declared_type=str(ref["mime_type"]),
                                  content=payload if isinstance(payload, bytes) else b"",
                                  ref=ref))
    return files


def record_bounce(message: InboundMessage) -> str:
    from aduan.intake.adapters.whatsapp import record_outbound_status

    return record_outbound_status(
        provider_message_id=message.data.get("outbound_id", ""), status="failed",
        error=_("Pantulan e-mail: %(reason)s") % {"reason": message.data.get("error", "")},
        at=message.received_at, unreachable=True)


# --------------------------------------------------------------------------------------------
# Polling
# --------------------------------------------------------------------------------------------


@dataclass
class PollResult:
    fetched: int = 0
    new: int = 0
    duplicates: int = 0


def _connect(host: str, port: int, use_ssl: bool) -> imaplib.IMAP4:
    if use_ssl:
        return imaplib.IMAP4_SSL(host, port, timeout=IMAP_TIMEOUT)
    return imaplib.IMAP4(host, port, timeout=IMAP_TIMEOUT)


def poll_mailbox(*, host: str | None = None, port: int | None = None, user: str | None = None,
                 password: str | None = None, use_ssl: bool | None = None,
                 folder: str | None = None) -> PollResult:
    """Read every mail after the last processed UID; each is stored, processed, flagged
    \\Seen, and only then is the UID recorded, so a crash re-reads (idempotently) at most one
    message and never skips one."""
    host = host or settings.IMAP_HOST
    port = port or settings.IMAP_PORT
    user = user or settings.IMAP_USER
    password = password if password is not None else settings.IMAP_PASSWORD
    use_ssl = settings.IMAP_USE_SSL if use_ssl is None else use_ssl
    folder = folder or settings.IMAP_FOLDER
    result = PollResult()
    client = _connect(host, port, use_ssl)
    try:
        client.login(user, password)
        typ, _count = client.select(_quote(folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot select {folder}")
        uidvalidity = int((client.response("UIDVALIDITY")[1] or [b"0"])[0] or 0)
        state, _created = MailboxState.objects.get_or_create(
            mailbox=f"{user}@{host}:{port}/{folder}"[:300])
        if state.uidvalidity != uidvalidity:
            # The server renumbered the mailbox: read it again; Message-IDs prevent duplicates.
            state.uidvalidity, state.last_uid = uidvalidity, 0
        typ, found = client.uid("SEARCH", None, f"UID {state.last_uid + 1}:*")
        uids = sorted(int(u) for u in (found[0] or b"").split() if int(u) > state.last_uid)
        for uid in uids:
            typ, fetched = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched or [] if isinstance(item, tuple)), None)
            if typ != "OK" or raw is None:
                raise imaplib.IMAP4.error(f"cannot fetch UID {uid}")
            result.fetched += 1
            item = split_email(raw)
            item.data["imap_uid"] = uid
            # The polled mailbox itself names the office when the headers name none of ours.
            item.addresses = (*item.addresses, user)
            message, created = inbound_store_raw(item)
            if created:
                result.new += 1
            else:
                result.duplicates += 1
            # A mail stored by a poller killed before processing it is processed now, not
            # taken for a duplicate (processing is idempotent).
            if message.parse_status in RETRYABLE:
                inbound_process(message_id=message.pk)
            client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
            state.last_uid = uid
            state.save()
        state.last_polled_at = timezone.now()
        state.last_error = ""
        state.save()
    finally:
        try:
            client.logout()
        except Exception:
            logger.debug("IMAP logout failed", exc_info=True)
    return result


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

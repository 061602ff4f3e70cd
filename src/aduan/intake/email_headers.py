"""Minimise a stored e-mail's headers (issue 11: identity minimisation).

A mail's trace headers (`Received`, `X-Originating-IP`, `X-Sender-IP`, `Received-SPF`,
`Authentication-Results`, ARC and DKIM blocks...) carry the sender's IP address and the path
through their provider. We need none of it: the stored copy keeps only the headers that
reading, threading and bounce detection use. The body (every MIME part, attachments
included) is kept byte for byte, so attachments are re-read from the stored copy as before.

Works on bytes and never raises: a header block we cannot split is kept minus every line
that looks like a trace header.
"""

from __future__ import annotations

import re

# What parsing (MIME structure, charset, date), threading (addresses that carry our reply
# token, Message-ID chain, subject) and bounce detection read.
KEEP = frozenset({
    "from", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references",
    "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
    "content-language", "auto-submitted", "precedence", "x-autoreply", "x-autorespond",
    "delivered-to", "x-original-to",
})
# Kept only with the null sender `<>`, the bounce sign; otherwise they name the sender.
KEEP_IF_NULL = frozenset({"return-path", "x-envelope-from"})
_TRACE = re.compile(rb"^(received|x-originating-ip|x-sender-ip|x-forwarded-for|x-real-ip|"
                    rb"x-client-ip|received-spf|authentication-results|x-mailer-ip|"
                    rb"x-source-ip)\s*:", re.I)
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def minimise_headers(raw: bytes) -> bytes:
    """The mail with only the top-level headers we need; the body unchanged."""
    try:
        return _minimise(raw)
    except Exception:  # pragma: no cover - defensive: never lose a mail over this
        return b"".join(line for line in raw.splitlines(keepends=True)
                        if not _TRACE.match(line))


def _minimise(raw: bytes) -> bytes:
    end = _HEADER_END.search(raw)
    if end is None:
        head, rest = raw, b""
    else:
        head, rest = raw[:end.start()], raw[end.start():]
    kept: list[bytes] = []
    keep_current = False
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):  # folded continuation of the previous field
            if keep_current:
                kept.append(line)
            continue
        name, sep, value = line.partition(b":")
        field = name.strip().lower().decode("ascii", "replace")
        if not sep:
            keep_current = False
            continue
        if field in KEEP:
            keep_current = True
        elif field in KEEP_IF_NULL:
            keep_current = value.strip() == b"<>"
        else:
            keep_current = False
        if keep_current:
            kept.append(line)
    if kept and not kept[-1].endswith(b"\n"):
        kept[-1] += b"\r\n" if b"\r\n" in head else b"\n"
    out = b"".join(kept)
    if rest:
        # `rest` starts with the blank line that ends the header block.
        out = out.rstrip(b"\r\n") + rest
    return out

"""Text helpers shared by the channel adapters: the structured `#` format, service-type
matching, HTML to text, and register numbers in e-mail subjects."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

import nh3

from aduan.core.text import clean_text
from aduan.offices.models import Office, ServiceType

# The structured SMS/WhatsApp format of SPEC §2:
#   nama#nama perusahaan#jenis perizinan#isi pengaduan
STRUCTURED_FIELDS = 4
MAX_NAME = 100
MAX_COMPANY = 200
MAX_SERVICE = 120


@dataclass(frozen=True)
class ParsedText:
    """A message body split into complaint fields. `is_structured` is False for free text."""

    is_structured: bool
    description: str
    reporter_name: str = ""
    company_name: str = ""
    service_text: str = ""
    problem: str = ""


# `ANONIM` as the first word of a WhatsApp or SMS message (or as the name of the structured
# format, `ANONIM#perusahaan#jenis#isi`): the reporter asks to stay anonymous (issue 11).
ANONYMOUS_KEYWORD = re.compile(r"\s*anonim(?![0-9a-z_])\s*[:.,-]?\s*", re.I)


def split_anonymous(text: str) -> tuple[bool, str]:
    """(asked to be anonymous, the text without the keyword). In the structured format the
    keyword is the name field and stays for `parse_structured`."""
    text = text or ""
    found = ANONYMOUS_KEYWORD.match(text)
    if found is None:
        return False, text
    rest = text[found.end():]
    return True, (text.strip() if rest.startswith("#") else rest.strip())


def parse_structured(text: str) -> ParsedText:
    """Split `nama#perusahaan#jenis perizinan#isi` into fields; anything else is free text.

    The complaint text may itself contain `#` (it is the last field and keeps them). The name
    and the service type must be present and short; a company may be left empty (`-` or
    nothing) because individuals (a midwife asking about her SIP) have none.
    """
    text = clean_text(text)
    parts = [p.strip() for p in text.split("#", STRUCTURED_FIELDS - 1)]
    if len(parts) != STRUCTURED_FIELDS:
        return ParsedText(is_structured=False, description=text,
                          problem="" if "#" not in text else "field_count")
    name, company, service, content = parts
    if company in {"-", "--", "_"}:
        company = ""
    problem = ""
    if not name or not content or not service:
        problem = "empty_field"
    elif len(name) > MAX_NAME or "\n" in name or len(company) > MAX_COMPANY or (
            len(service) > MAX_SERVICE):
        problem = "field_too_long"
    if problem:
        return ParsedText(is_structured=False, description=text, problem=problem)
    return ParsedText(is_structured=True, description=content, reporter_name=name,
                      company_name=company, service_text=service)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def match_service_type(office: Office, text: str) -> ServiceType | None:
    """The office's service type named in `text`: by name or code first, then by keyword
    (the longest keyword wins, so "sip bidan" beats "sip")."""
    wanted = _fold(text)
    if not wanted:
        return None
    types = list(ServiceType.objects.filter(office=office, is_active=True))
    for st in types:
        if wanted in {_fold(st.name), _fold(st.code)}:
            return st
    best: tuple[int, ServiceType] | None = None
    padded = f" {wanted} "
    for st in types:
        candidates = [_fold(k) for k in st.keywords.split(",")] + [_fold(st.name)]
        for keyword in candidates:
            if keyword and f" {keyword} " in padded and (best is None or len(keyword) > best[0]):
                best = (len(keyword), st)
    return best[1] if best else None


_BLOCK_TAGS = re.compile(
    r"<\s*(br|/p|/div|/li|/tr|/h[1-6]|/blockquote|/pre|/table)\b[^>]*>", re.IGNORECASE)
# A link's opening tag (its attributes end at the next "<" or ">") or a closing tag. Read as a
# stream of tokens, so the text is scanned once: the single pattern this replaces searched the
# rest of the text for "href" and "</a>" again from every "<a" (quadratic on hostile mail).
_LINK_TAG = re.compile(r"<a\b([^<>]*)>|</a\s*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


def _inline_links(markup: str) -> str:
    """`<a href="u">text</a>` -> `text (u)` (just `text` when it already shows the address)."""
    out: list[str] = []
    done = 0
    opening: re.Match[str] | None = None
    for tag in _LINK_TAG.finditer(markup):
        if tag.group(0)[1] != "/":
            opening = tag
            continue
        if opening is None:
            continue
        href = _HREF.search(opening.group(1))
        if href:
            text = markup[opening.end():tag.start()]
            url = href.group(1)
            out.append(markup[done:opening.start()])
            out.append(text if url in text else f"{text} ({url})")
            done = tag.end()
        opening = None
    out.append(markup[done:])
    return "".join(out)


def html_to_text(markup: str) -> str:
    """Readable plain text from HTML mail. Tags are stripped by nh3 (script and style content
    dropped); the result is stored and shown as text, never served back as HTML."""
    markup = markup or ""
    markup = _inline_links(markup)
    markup = _BLOCK_TAGS.sub("\n", markup)
    text = html.unescape(nh3.clean(markup, tags=set()))
    text = text.replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def register_number_regex(pattern: str) -> re.Pattern[str]:
    """A regex that finds register numbers made by `pattern` (e.g.
    `500.16.7.2/{seq}/DPMPTSP/{year}`) inside free text such as an e-mail subject.

    A pattern that starts with a free part (`{unit}/{seq}/...`) starts only after a space or a
    slash: else a long word would be rescanned from each of its characters."""
    out = []
    for token in re.split(r"(\{[^}]*\})", pattern):
        if token.startswith("{") and token.endswith("}"):
            name = token[1:-1].split(":")[0]
            free = r"[^\s/]+" if "".join(out) else r"(?<![^\s/])[^\s/]+"  # see below
            out.append({"seq": r"\d{1,9}", "year": r"\d{4}", "month": r"\d{1,2}"}.get(
                name, free))
        else:
            out.append(re.escape(token))
    return re.compile("".join(out), re.IGNORECASE)


def clean_display_name(name: str, limit: int = 255) -> str:
    """An attachment name for display only: no path parts, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:limit] or "lampiran"

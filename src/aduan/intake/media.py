"""WhatsApp media download: the Graph API names a short-lived URL, which is fetched only from
Meta's media hosts, with the access token only where Meta requires it, streamed under the
attachment size cap.

Why each rule (issue 14): the Graph answer is data from the network; a tampered or spoofed
answer must not make us send the bearer token to, or fetch from, a host we do not trust,
and a huge body must not be held in memory. Redirects are followed by hand, only to allowed
hosts and never with the token.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # httpx loads in the worker that fetches media, not in every web worker
    import httpx

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
# Bytes kept in memory before the download spills to a temporary file.
SPOOL_BYTES = 1024 * 1024


class MediaError(Exception):
    """The media could not be fetched. `retryable`: a later attempt may succeed (network,
    5xx, an expired URL: a retry asks the Graph API for a fresh one)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        self.message = message
        self.retryable = retryable
        super().__init__(message)


@dataclass
class FetchedMedia:
    file: IO[bytes]
    size: int
    content_type: str


def host_matches(host: str, patterns: list[str]) -> bool:
    """`host` is one of `patterns`; `*.example.com` matches any subdomain (not the apex)."""
    host = (host or "").lower().rstrip(".")
    for entry in patterns:
        pattern = entry.strip().lower().rstrip(".")
        if not pattern:
            continue
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def _graph() -> httpx.URL:
    import httpx  # here, not at import: web workers never load it

    return httpx.URL(settings.WHATSAPP_GRAPH_URL.rstrip("/"))


def _allowed_schemes() -> set[str]:
    # https only; a Graph stand-in on plain http (tests, a local proxy) extends it to http.
    return {"https", _graph().scheme}


def _is_graph_host(url: httpx.URL) -> bool:
    graph = _graph()
    return (url.scheme, url.host, url.port) == (graph.scheme, graph.host, graph.port)


def _check_media_url(url: str) -> httpx.URL:
    import httpx  # here, not at import: web workers never load it

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise MediaError(_("Alamat media tidak sah."), retryable=False) from exc
    if parsed.scheme not in _allowed_schemes() or not parsed.host or parsed.userinfo:
        raise MediaError(_("Alamat media ditolak: %(url)s") % {"url": _safe(url)},
                         retryable=False)
    if not host_matches(parsed.host, settings.WHATSAPP_MEDIA_HOSTS):
        raise MediaError(_("Host media tidak diizinkan: %(host)s") % {"host": parsed.host},
                         retryable=False)
    return parsed


def _safe(url: str) -> str:
    """A URL for a message or log without its query (Meta's signed URLs carry tokens)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:200]


def _too_large(limit: int) -> MediaError:
    return MediaError(_("Berkas media terlalu besar (maksimal %(max)s MB).")
                      % {"max": limit // (1024 * 1024)}, retryable=False)


def _http_error(response: httpx.Response, what: str) -> MediaError:
    if response.status_code in (404, 410):
        message = _("%(what)s tidak ditemukan atau sudah kedaluwarsa (HTTP %(code)s).")
    else:
        message = _("%(what)s menjawab HTTP %(code)s.")
    # Every HTTP failure may pass: an expired URL is renewed by asking the Graph API again,
    # a revoked token is replaced by the administrator, Meta's outages end.
    return MediaError(message % {"what": what, "code": response.status_code}, retryable=True)


def whatsapp_media_fetch(media_id: str) -> FetchedMedia:
    """Fetch one WhatsApp media item by its id. Raises MediaError."""
    import httpx  # here, not at import: web workers never load it

    if not media_id.isdigit() or len(media_id) > 40:
        raise MediaError(_("Id media tidak sah."), retryable=False)
    token = settings.WHATSAPP_ACCESS_TOKEN
    limit = settings.ADUAN_MAX_ATTACHMENT_BYTES
    try:
        with httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0), follow_redirects=False,
                          trust_env=False) as client:
            meta = client.get(f"{_graph()}/{media_id}",
                              headers={"Authorization": f"Bearer {token}"})
            if meta.is_redirect:
                raise MediaError(_("Graph API mengalihkan permintaan; tidak diikuti."),
                                 retryable=True)
            if meta.status_code != 200:
                raise _http_error(meta, "Graph API")
            try:
                info = meta.json()
                url = str(info["url"])
            except (ValueError, KeyError, TypeError) as exc:
                raise MediaError(_("Jawaban Graph API tidak dapat dibaca."),
                                 retryable=True) from exc
            declared_size = info.get("file_size")
            if isinstance(declared_size, int) and declared_size > limit:
                raise _too_large(limit)
            return _download(client, _check_media_url(url), token, limit)
    except httpx.HTTPError as exc:
        raise MediaError(_("Server media tidak dapat dihubungi: %(error)s")
                         % {"error": type(exc).__name__}, retryable=True) from exc


def _download(client: httpx.Client, url: httpx.URL, token: str, limit: int) -> FetchedMedia:
    # Only the first request may carry the token, and only to a host trusted like Graph.
    send_token = _is_graph_host(url) or host_matches(url.host,
                                                      settings.WHATSAPP_MEDIA_TOKEN_HOSTS)
    for _hop in range(MAX_REDIRECTS + 1):
        headers = {"Authorization": f"Bearer {token}"} if send_token else {}
        with client.stream("GET", url, headers=headers) as response:
            if response.is_redirect:
                location = response.headers.get("Location", "")
                url = _check_media_url(urljoin(str(url), location))
                send_token = False
                continue
            if response.status_code != 200:
                raise _http_error(response, _("Server media"))
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise _too_large(limit)
            return _spool(response, limit)
    raise MediaError(_("Terlalu banyak pengalihan."), retryable=False)


def _spool(response: httpx.Response, limit: int) -> FetchedMedia:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (handed on)
    size = 0
    try:
        for chunk in response.iter_bytes(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            out.write(chunk)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FetchedMedia(file=out, size=size,
                        content_type=response.headers.get("Content-Type", "")[:100])

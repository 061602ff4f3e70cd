"""Load at start-up what Django would otherwise load on a worker's first request."""

from __future__ import annotations

import io
import logging
import sys
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.template import TemplateDoesNotExist, engines
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from aduan.config.lazyurls import LazyURLResolver

logger = logging.getLogger(__name__)

# The pages most requests render; the rest compile on first use (each is a few milliseconds).
TEMPLATES = [
    "base.html", "portal/_base.html", "portal/home.html", "portal/submit.html",
    "portal/submitted.html", "portal/track.html", "portal/faq.html", "desk/base.html",
    "accounts/login.html", "errors/503.html",
]


def _walk(resolver: URLResolver) -> int:
    count = 0
    for entry in resolver.url_patterns:  # importing each included URL module and its views
        if isinstance(entry, URLResolver):
            if isinstance(entry, LazyURLResolver):
                continue  # imported on first use (config/lazyurls.py)
            count += _walk(entry)
        elif isinstance(entry, URLPattern):
            count += 1
    return count


def warm_up() -> None:
    """Import every URL module and view (except those left to their first use), build the
    reverse tables, load both languages'
    catalogues and compile the common templates. Touches no database."""
    started = time.perf_counter()
    resolver = get_resolver()
    patterns = _walk(resolver)
    resolver.reverse_dict  # noqa: B018 - populates the reverse lookup tables
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Pengaduan")
    engine = engines["django"]
    for name in TEMPLATES:
        try:
            engine.get_template(name)
        except TemplateDoesNotExist:
            logger.warning("warm-up: template %s not found", name)
    logger.info("warmed up: %d URL patterns, %d templates in %.2fs", patterns, len(TEMPLATES),
                time.perf_counter() - started)


def warm_worker(application: Callable[..., Iterable[bytes]], path: str = "/") -> str:
    """Send one GET through the whole WSGI stack in this process (after the fork): opens the
    database connection and fills the per-process memos. Returns the status line."""
    host = next((h for h in settings.ALLOWED_HOSTS if h and h not in {"*"} and
                 not h.startswith(".")), "localhost")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": host.strip("[]"), "SERVER_PORT": "80", "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    if settings.SECURE_PROXY_SSL_HEADER and settings.SECURE_SSL_REDIRECT:
        environ[settings.SECURE_PROXY_SSL_HEADER[0]] = settings.SECURE_PROXY_SSL_HEADER[1]
    status: list[str] = []
    body = application(environ, lambda s, headers, exc_info=None: status.append(s))
    for _chunk in body:
        pass
    close = getattr(body, "close", None)
    if close is not None:
        close()
    return status[0] if status else "?"

"""Load at start-up what Django would otherwise load on a worker's first request."""

from __future__ import annotations

import importlib
import io
import logging
import sys
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.template import Engine, TemplateDoesNotExist, engines
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import formats, translation
from django.utils.module_loading import import_string

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


def _import_first_request_modules() -> None:
    """Import what a worker's first page and first cache use would import (issue 17, Worker
    memory, session 10): the cache backend and its client library (redis-py, about 60 modules
    that Django imports on the first cache call), the template context processors, the
    languages' format modules, the message storage, the session serializer and the phone
    numbers' Indonesian metadata. Imported after the fork they are each worker's private memory
    (and, where a package ships no compiled bytecode, a compile that peaked at ~18 MB in the
    worker, whose heap kept it). Opens no connection."""
    for cache in settings.CACHES.values():
        backend = import_string(cache["BACKEND"])
        if issubclass(backend, RedisCache):
            importlib.import_module("redis")  # RedisCacheClient's lazy import
            importlib.import_module("encodings.idna")  # the host name, at connect
    Engine.get_default().template_context_processors  # noqa: B018 - imports them
    for code, _name in settings.LANGUAGES:
        formats.get_format_modules(code)
    import_string(settings.MESSAGE_STORAGE)
    import_string(settings.SESSION_SERIALIZER)
    import phonenumbers

    phonenumbers.PhoneMetadata.metadata_for_region("ID")  # core/validators.py parses with "ID"


def warm_up() -> None:
    """Import every URL module and view (except those left to their first use), build the
    reverse tables, load both languages'
    catalogues and compile the common templates. Touches no database."""
    started = time.perf_counter()
    resolver = get_resolver()
    patterns = _walk(resolver)
    resolver.reverse_dict  # noqa: B018 - populates the reverse lookup tables
    _import_first_request_modules()
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

"""Load at start-up what Django would otherwise load on a worker's first request."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.template import TemplateDoesNotExist, engines
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

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
            count += _walk(entry)
        elif isinstance(entry, URLPattern):
            count += 1
    return count


def warm_up() -> None:
    """Import every URL module and view, build the reverse tables, load both languages'
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

"""Answers while the database is unreachable: a styled 503 with Retry-After, not a bare 500.

Django turns an exception raised anywhere below a middleware into a 500 response before the
outer middleware sees it, so the exception is noted on the request from the
`got_request_exception` signal (sent for every unhandled exception, with the exception still
being handled) and the outermost middleware (config/middleware.py `EdgeMiddleware`, through
`outage_answer`) swaps that 500 for a 503. Nothing here touches the database: the page is rendered without context processors (which
read the office), and the connection is closed so the next request opens a fresh one; Django's
CONN_HEALTH_CHECKS would otherwise reuse the broken one once. Recovery needs no restart.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from aduan.config.errors import error_area

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Paths machines call: they get a short plain answer, never an HTML page.
MACHINE_PREFIXES = ("/intake/", "/healthz", "/readyz", "/metrics")
OUTAGE_FLAG = "_aduan_database_error"


def is_database_outage(exc: BaseException | None) -> bool:
    """True for the errors a lost or refused database connection raises (both backends)."""
    return isinstance(exc, OperationalError | InterfaceError)


def note_database_error(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """`got_request_exception` receiver: mark the request when the exception is a database
    outage (the signal is sent inside the `except` block, so sys.exc_info() holds it)."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_outage(exc):
        setattr(request, OUTAGE_FLAG, exc)


def _drop_broken_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # the server is gone; Django forgets the connection anyway
            logger.debug("closing a broken %s connection failed", conn.alias, exc_info=True)
    close_old_connections()


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 for the request's kind: the API's JSON error envelope (config/errors.py), plain text
    for webhooks and probes, the styled Indonesian page for people."""
    path = request.path_info
    if path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": {
            "code": "service_unavailable",
            "message": "Layanan sedang tidak tersedia sementara; coba lagi beberapa saat lagi.",
            "message_en": "The service is temporarily unavailable; try again shortly."}},
            status=503)
    elif path.startswith(MACHINE_PREFIXES):
        response = HttpResponse("database unavailable\n", status=503,
                                content_type="text/plain; charset=utf-8")
    else:
        html = loader.get_template("errors/503.html").render(
            {"retry_after": RETRY_AFTER_SECONDS, "area": error_area(request)})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def note_outage(request: HttpRequest, exc: BaseException) -> None:
    """Mark the request for a database error raised past Django's handlers."""
    setattr(request, OUTAGE_FLAG, exc)


def outage_answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """`response`, or the 503 when a database outage below produced it: the outermost step of
    the request stack (config/middleware.py `EdgeMiddleware`)."""
    exc = getattr(request, OUTAGE_FLAG, None)
    if exc is None or response.status_code < 500:
        return response
    logger.error("database unavailable for %s %s: %s", request.method, request.path, exc)
    _drop_broken_connections()
    return outage_response(request)

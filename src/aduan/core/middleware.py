"""The request-size limit of the whole app: a request whose Content-Length passes
ADUAN_MAX_REQUEST_BYTES is answered 413 before a byte of its body is read (a readable page,
or the API's JSON error envelope under /api/). The reverse proxy should refuse the same size
first (nginx `client_max_body_size`); this is the app's own guarantee behind it. Bodies the
app does read are capped again per file (portal/uploads.py) and per form
(DATA_UPLOAD_MAX_MEMORY_SIZE)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        limit = settings.ADUAN_MAX_REQUEST_BYTES
        if length < 0 or length > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest, limit: int) -> HttpResponse:
        mb = limit // (1024 * 1024)
        message = _("Kiriman terlalu besar (lebih dari %(mb)s MB). Kirim paling banyak lima "
                    "lampiran, masing-masing paling besar %(each)s MB.") % {
            "mb": mb, "each": settings.ADUAN_MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"error": {
                "code": "request_too_large", "message": message,
                "message_en": f"The request is larger than {mb} MB."}}, status=413)
        else:
            from aduan.config.errors import render_error

            response = render_error(request, "errors/413.html", 413, message=message)
        # The body was not read: the connection cannot carry another request.
        response["Connection"] = "close"
        return response

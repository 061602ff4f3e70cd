"""Error pages (403, 404, 500, CSRF failure) for the portal, the desk and the API.

Staff pages (the desk, the admin, the login) get the desk's navigation, everything else the
portal's; the API answers with its JSON error envelope. The 500 page is rendered from a plain
dict: no request context, no context processor and no query, so it still renders when the
database is what failed.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

STAFF_PREFIXES = ("/desk/", "/admin/", "/akun/")
API_PREFIX = "/api/"
API_CODES = {403: "permission_denied", 404: "not_found", 500: "server_error"}
API_MESSAGES = {
    403: ("Anda tidak berwenang melakukan tindakan ini.", "You are not allowed to do this."),
    404: ("Data tidak ditemukan.", "Not found."),
    500: ("Terjadi gangguan pada sistem; coba lagi nanti.",
          "An internal error occurred; try again later."),
}


def error_area(request: HttpRequest, *, by_login: bool = False) -> str:
    """'desk' for staff pages, else 'portal', by the path; with `by_login` also 'desk' for a
    signed-in staff member anywhere (that reads the session: not for the 500 page)."""
    if request.path_info.startswith(STAFF_PREFIXES):
        return "desk"
    if by_login:
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.office_id:
                return "desk"
        except Exception:  # the page must render whatever failed
            logger.warning("error page: user not readable", exc_info=True)
    return "portal"


def _office_names(request: HttpRequest) -> dict[str, str]:
    """The names of the request's office (else the default office) for the header, or nothing
    when they cannot be read."""
    office = getattr(request, "office", None)
    try:
        if office is None:
            from aduan.offices.selectors import office_default

            office = office_default()
    except Exception:  # the page must render whatever failed
        logger.warning("error page: office not readable", exc_info=True)
        return {}
    if office is None:
        return {}
    return {"office_name": office.short_name or office.name,
            "government_name": office.government_name}


def _api_response(status: int, message: str = "") -> HttpResponse:
    import json

    message_id, message_en = API_MESSAGES[status]
    body = {"error": {"code": API_CODES[status], "message": message or message_id,
                      "message_en": message_en}}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def render_error(request: HttpRequest, template: str, status: int, *,
                 message: str = "", with_office: bool = True) -> HttpResponse:
    """The styled error page, rendered from a plain dict (no context processors)."""
    context = {"area": error_area(request, by_login=with_office), "message": message,
               **(_office_names(request) if with_office else {})}
    return HttpResponse(loader.get_template(template).render(context), status=status)


def _denial_message(exception: Exception | None) -> str:
    """The message our own code gave the denial (Indonesian, translated); never a library's."""
    message = getattr(exception, "user_message", "")
    return str(message) if message else ""


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _denial_message(exception)
    if request.path_info.startswith(API_PREFIX):
        return _api_response(403, message)
    return render_error(request, "errors/403.html", 403, message=message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith("/api/open311/"):
        from aduan.api.middleware import open311_format
        from aduan.api.open311 import render

        return render.error(open311_format(request.path_info), 404,
                            "Alamat tidak ditemukan (not found).")
    if request.path_info.startswith(API_PREFIX):
        return _api_response(404)
    return render_error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return _api_response(500)
    try:
        return render_error(request, "errors/500.html", 500, with_office=False)
    except Exception:  # the last resort must not fail in turn
        logger.exception("error page: the 500 template failed")
        return HttpResponse(_("Terjadi gangguan pada sistem; coba lagi nanti."),
                            status=500, content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page went stale (or from another site): say what to do."""
    return render_error(request, "errors/403.html", 403, message=_(
        "Formulir ini sudah kedaluwarsa atau tidak dikirim dari halaman kami. Muat ulang "
        "halaman, lalu kirim kembali."))

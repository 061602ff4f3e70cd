"""Every answer under /api/ that Django or a view decorator writes itself (405 Method Not
Allowed from `require_GET`/`require_POST` or django-ninja's path views) comes out in the API's
own error shape: the JSON envelope of docs/api.md for the REST API, the GeoReport error format
for Open311. Unknown paths are handled the same way by the 404 handler (config/errors.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"
OPEN311_PREFIX = "/api/open311/"

METHOD_NOT_ALLOWED = ("Metode HTTP %(method)s tidak diizinkan untuk alamat ini; gunakan "
                      "%(allowed)s.")


def open311_format(path: str) -> str:
    return "json" if path.endswith(".json") else "xml"


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """405 in the shape of the API the path belongs to, with the Allow header kept."""
    from aduan.api.errors import error_body
    from aduan.api.open311 import render

    message = METHOD_NOT_ALLOWED % {"method": request.method, "allowed": allowed or "-"}
    if request.path_info.startswith(OPEN311_PREFIX):
        response = render.error(open311_format(request.path_info), 405,
                                f"{message} (method not allowed)")
    else:
        import json

        body = error_body("method_not_allowed", message)
        response = HttpResponse(json.dumps(body), status=405, content_type="application/json")
    response["Allow"] = allowed
    return response


def api_error_shape(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A 405 under /api/ that is not in the API's shape yet, in its shape; any other response
    as it is (a step of config/middleware.py `EdgeMiddleware`, inside the office step)."""
    if (response.status_code == 405 and request.path_info.startswith(API_PREFIX)
            and not _is_shaped(response)):
        return method_not_allowed(request, response.get("Allow", ""))
    return response


def _is_shaped(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "")
    return content_type.startswith(("application/json", "text/xml"))

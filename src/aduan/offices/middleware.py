"""The office a public request is for: `request.office` (decision 0013, issue 18).

One instance serves a regency's offices; each office's public pages answer

- at the root of its own host name, when `Office.host` is set (the host must also be in
  ALLOWED_HOSTS: docs/deployment.md), and
- on every host under `/instansi/<code>/...`. The prefix is taken off `path_info` and becomes
  the script prefix, so every `reverse()`, `{% url %}`, redirect and form action on the page
  stays under the office's path. The prefix wins over the host name: the regency's list of
  offices links to `/instansi/<code>/` on whichever host shows it.

A request that names no office gets the default office (`office_default`): the central intake
if there is one, else the first active office, which is the one office of a single-office
deployment, whose URLs are therefore unchanged.

Only the public surfaces are mounted under the prefix (PUBLIC_PATHS): the portal, the tracking
pages (with the automatic-answer and personal-data pages under /lacak/), the language switch,
the public API endpoints and Open311. Staff pages take their office from the user, never from
the request: under the prefix a GET of /desk/, /akun/ or /admin/ is redirected to the same page
without the prefix, and anything else there is the normal 404 page. `request.office` is set on
the public paths only; staff pages, the staff API, webhooks, probes and static files get none
and cost no query here (page chrome there falls back to the default office).

The map of hosts and codes is memoised per process (offices/selectors.py, core/refcache.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import get_script_prefix, set_script_prefix

from aduan.offices.models import Office
from aduan.offices.selectors import normal_host, office_routes

OFFICE_PATH = "/instansi/"
# Paths (after the prefix) that an office's public side serves.
PUBLIC_PATHS = (
    "/pengaduan/", "/lacak/", "/survei/", "/informasi/", "/statistik/", "/i18n/",
    "/api/open311/", "/api/v1/complaints", "/api/v1/service-types", "/api/v1/health",
    "/api/v1/openapi.json", "/api/v1/docs",
)
# Staff pages: redirected to their unprefixed address (a GET), never served under an office.
STAFF_PATHS = ("/desk/", "/akun/", "/admin/")
# Public, but answering without the office (a probe must answer while the database is away).
NO_OFFICE_PATHS = frozenset({"/api/v1/health"})
# The deployment's own SCRIPT_NAME, kept in META when the office's path is added to it.
ROOT_SCRIPT_NAME = "aduan.root_script_name"


def request_office(request: HttpRequest) -> Office:
    """The request's office, or the 404 page when the instance has no active office yet."""
    from django.utils.translation import gettext as _

    office: Office | None = getattr(request, "office", None)
    if office is None:
        raise Http404(_("Kantor belum dikonfigurasi."))
    return office


def office_home_url(request: HttpRequest, office: Office) -> str:
    """The address of `office`'s public home under its path, from any page."""
    root = request.META.get(ROOT_SCRIPT_NAME, request.META.get("SCRIPT_NAME", ""))
    return f"{root.rstrip('/')}{OFFICE_PATH}{office.code}/"


def _is_public(rest: str) -> bool:
    return rest == "/" or rest.startswith(PUBLIC_PATHS)


def office_dispatch(request: HttpRequest,
                    get_response: Callable[[HttpRequest], HttpResponse]) -> HttpResponse:
    """Set `request.office` (and, under /instansi/<code>/, the script prefix) and answer with
    `get_response`, or answer the prefix's redirect or 404 itself: the office step of the
    request stack (config/middleware.py `EdgeMiddleware`), before anything reading the path or
    the office."""
    path = request.path_info
    if path.startswith(OFFICE_PATH):
        return _under_prefix(request, path, office_routes().by_code, get_response)
    if not _is_public(path) or path in NO_OFFICE_PATHS:
        return get_response(request)
    routes = office_routes()
    office = routes.default
    if routes.by_host:
        # get_host() checks ALLOWED_HOSTS (DisallowedHost: 400) and honours
        # USE_X_FORWARDED_HOST; only asked when some office has a host name.
        office = routes.by_host.get(normal_host(request.get_host()), office)
    request.office = office  # type: ignore[attr-defined]
    return get_response(request)


def _under_prefix(request: HttpRequest, path: str, by_code: dict[str, Office],
                  get_response: Callable[[HttpRequest], HttpResponse]) -> HttpResponse:
    code, slash, rest = path[len(OFFICE_PATH):].partition("/")
    office = by_code.get(code)
    if office is None:
        raise Http404
    rest = slash + rest
    query = request.META.get("QUERY_STRING", "")
    if not rest:  # /instansi/<code> -> /instansi/<code>/
        return HttpResponseRedirect(request.path + "/" + (f"?{query}" if query else ""),
                                    status=301)
    if not _is_public(rest):
        if rest.startswith(STAFF_PATHS) and request.method in {"GET", "HEAD"}:
            root = request.META.get("SCRIPT_NAME", "").rstrip("/")
            return HttpResponseRedirect(root + rest + (f"?{query}" if query else ""))
        raise Http404
    root = request.META.get("SCRIPT_NAME", "")
    script = root.rstrip("/") + OFFICE_PATH + code
    request.META[ROOT_SCRIPT_NAME] = root
    request.path_info = rest
    request.META["PATH_INFO"] = rest
    request.META["SCRIPT_NAME"] = script
    if hasattr(request, "script_name"):  # ASGIRequest
        request.script_name = script
    request.office = office  # type: ignore[attr-defined]
    previous = get_script_prefix()
    set_script_prefix(script)
    try:
        return get_response(request)
    finally:
        # The prefix is thread-local and Django's test client does not reset it per request:
        # the next request or job in this thread must not inherit the office's path.
        set_script_prefix(previous)

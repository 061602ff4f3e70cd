"""The request-size limit of the whole app: a request whose Content-Length passes
ADUAN_MAX_REQUEST_BYTES is answered 413 before a byte of its body is read (a readable page,
or the API's JSON error envelope under /api/). The reverse proxy should refuse the same size
first (nginx `client_max_body_size`); this is the app's own guarantee behind it. Bodies the
app does read are capped again per file (portal/uploads.py) and per form
(DATA_UPLOAD_MAX_MEMORY_SIZE)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _


def request_too_large(request: HttpRequest) -> HttpResponse | None:
    """The 413 answer for a request past ADUAN_MAX_REQUEST_BYTES (or with a malformed
    Content-Length), else None; checked before any body is read (config/middleware.py)."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        length = -1
    limit = settings.ADUAN_MAX_REQUEST_BYTES
    if length < 0 or length > limit:
        return too_large(request, limit)
    return None


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    mb = limit // (1024 * 1024)
    message = _("Kiriman terlalu besar (lebih dari %(mb)s MB). Kirim paling banyak lima "
                "lampiran, masing-masing paling besar %(each)s MB.") % {
        "mb": mb, "each": settings.ADUAN_MAX_ATTACHMENT_BYTES // (1024 * 1024)}
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": {
            "code": "request_too_large", "message": message,
            "message_en": f"The request is larger than {mb} MB."}}, status=413)
    else:
        from aduan.config.errors import render_error

        response = render_error(request, "errors/413.html", 413, message=message)
    # The body was not read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response


# --- Per-request cost of the stack (issue 17) ----------------------------------------------
# django-csp builds the policy string from the settings twice per response (policy and
# report-only: copies, dataclass conversions, sorting): about a fifth of a minimal request.
# The policy is the same for every response that no decorator changed and that carries no
# nonce, so it is built once per process (and again when a test changes the setting).
# Django's LocaleMiddleware parses Accept-Language and checks the URL patterns for language
# prefixes on every request; the site has no prefixed URLs, so the choice depends only on the
# language cookie and the Accept-Language header, and is memoised per pair (bounded).

from csp.constants import HEADER, HEADER_REPORT_ONLY  # noqa: E402
from csp.middleware import CheckableLazyObject, CSPMiddleware  # noqa: E402
from csp.utils import build_policy  # noqa: E402
from django.core.signals import setting_changed  # noqa: E402
from django.dispatch import receiver  # noqa: E402
from django.middleware.common import CommonMiddleware  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.cache import patch_vary_headers  # noqa: E402

# What django-csp's decorators set on a response (instance attributes).
_CSP_RESPONSE_ATTRS = frozenset({"_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro",
                                 "_csp_update_ro", "_csp_replace_ro"})
# (header, policy, excluded path prefixes) for the policy and the report-only policy.
_csp_built: list[tuple[str, str, tuple[str, ...]]] | None = None
# (language cookie, Accept-Language) -> (language, its code as get_language() gives it once
# active); at most LANGUAGE_MEMO_SIZE pairs.
LANGUAGE_MEMO_SIZE = 256
_language_memo: dict[tuple[str, str], tuple[str, str]] = {}
# Host headers (as sent) that CommonMiddleware's request step let through: get_host() accepted
# them (ALLOWED_HOSTS) with no user agent refused and no www. redirect configured; at most
# HOST_MEMO_SIZE, forgotten when a setting that step or get_host() reads changes.
HOST_MEMO_SIZE = 64
_hosts_allowed: set[str] = set()
_HOST_SETTINGS = frozenset({"ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST",
                            "USE_X_FORWARDED_PORT", "DISALLOWED_USER_AGENTS", "PREPEND_WWW"})


@receiver(setting_changed)
def _forget_built_headers(*, setting: str, **_: object) -> None:
    global _csp_built  # noqa: PLW0603
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _csp_built = None
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LANGUAGE_COOKIE_NAME", "USE_I18N"}:
        _language_memo.clear()
    if setting in _HOST_SETTINGS:
        _hosts_allowed.clear()


def _csp_headers() -> list[tuple[str, str, tuple[str, ...]]]:
    global _csp_built  # noqa: PLW0603
    if _csp_built is None:
        built = []
        for header, name, report_only in ((HEADER, "CONTENT_SECURITY_POLICY", False),
                                          (HEADER_REPORT_ONLY,
                                           "CONTENT_SECURITY_POLICY_REPORT_ONLY", True)):
            policy = build_policy(report_only=report_only)
            if policy:
                prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                built.append((header, policy, tuple(prefixes or ())))
        _csp_built = built
    return _csp_built


class PolicyHeaderMiddleware(CSPMiddleware):
    """django-csp's middleware with the common case (no decorator, no nonce) from a string
    built once per process; anything else goes through django-csp unchanged (in the stack as
    a step of config/middleware.py `FrontMiddleware`)."""

    async_capable = False  # the sync __call__ below; Django adapts it under ASGI

    def __call__(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        # MiddlewareMixin's __call__ without its per-request hasattr() checks (issue 17).
        self.process_request(request)
        return self.process_response(request, self.get_response(request))  # type: ignore[arg-type]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:  # type: ignore[override]
        if (getattr(request, "_csp_nonce", None) is not None
                or not _CSP_RESPONSE_ATTRS.isdisjoint(response.__dict__)
                or (settings.DEBUG and response.status_code in (404, 500))):
            return super().process_response(request, response)  # type: ignore[return-value]
        for header, policy, prefixes in _csp_headers():
            exempt = getattr(response, "_csp_exempt_ro" if header == HEADER_REPORT_ONLY
                             else "_csp_exempt", False)
            if (not exempt and header not in response
                    and not (prefixes and request.path_info.startswith(prefixes))):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


def language_activate(request: HttpRequest) -> None:
    """Activate the request's language: the `django_language` cookie or Accept-Language, as
    Django's LocaleMiddleware chooses it for a site without language-prefixed URLs (memoised
    per pair, with the code `get_language()` gives for it)."""
    key = (request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
           request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    chosen = _language_memo.get(key)
    if chosen is None:
        language = translation.get_language_from_request(request)
        translation.activate(language)
        chosen = (language, translation.get_language())
        if len(_language_memo) >= LANGUAGE_MEMO_SIZE:
            _language_memo.clear()
        _language_memo[key] = chosen
    else:
        translation.activate(chosen[0])
    request.LANGUAGE_CODE = chosen[1]


def language_headers(response: HttpResponseBase) -> None:
    """LocaleMiddleware's response step: Vary on Accept-Language, Content-Language."""
    headers = response.headers
    vary = headers.get("Vary")
    if vary is None:  # what patch_vary_headers writes when there is no Vary yet
        headers["Vary"] = "Accept-Language"
    elif vary == "Cookie":  # and when Vary is just the cookie (the pages with a CSRF token)
        headers["Vary"] = "Cookie, Accept-Language"
    else:
        patch_vary_headers(response, ("Accept-Language",))
    if "Content-Language" not in headers:
        headers["Content-Language"] = translation.get_language()


def common_request(request: HttpRequest, common: CommonMiddleware) -> HttpResponse | None:
    """Django's CommonMiddleware request step (refused user agents, the host check of
    `get_host()`: DisallowedHost, the www. redirect), without its work for a Host header it
    already let through in this process when that step could do nothing else (the host check
    is a regular expression and a walk over the ALLOWED_HOSTS patterns per request; a refused
    host is never remembered, so it is refused every time)."""
    host = request.META.get("HTTP_HOST")
    if host is not None and host in _hosts_allowed:
        return None
    response: HttpResponse | None = common.process_request(request)
    if (response is None and host is not None and not settings.USE_X_FORWARDED_HOST
            and not settings.DISALLOWED_USER_AGENTS and not settings.PREPEND_WWW):
        if len(_hosts_allowed) >= HOST_MEMO_SIZE:
            _hosts_allowed.clear()
        _hosts_allowed.add(host)
    return response


class LanguageMiddleware:
    """The language of a request from the `django_language` cookie or Accept-Language, as
    Django's LocaleMiddleware chooses it for a site without language-prefixed URLs (in the
    stack as a step of config/middleware.py `FrontMiddleware`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language_activate(request)
        response = self.get_response(request)
        language_headers(response)
        return response


# --------------------------------------------------------------------------------------------
# Messages storage made on first use (issue 17: the minimal request's cost)

from django.contrib.messages.middleware import MessageMiddleware  # noqa: E402
from django.contrib.messages.storage import default_storage  # noqa: E402
from django.utils.functional import SimpleLazyObject, empty  # noqa: E402


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware with its storage built on first use.

    Most requests never add or read a message (static files, the API, the public pages served
    from the per-process memos, the health check), yet Django built the fallback storage for
    each of them: a cookie signer and the session storage, about a tenth of a minimal request's
    CPU. Here `request._messages` is a lazy object: the first `messages.add_message`, or a
    template reading `messages`, builds the real storage, and only then does the response
    update it. A request that never touched it left nothing to store, exactly as Django's
    `update()` does nothing for storage neither read nor added to (a message kept from an
    earlier request stays where it was until a page reads it)."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]  # Django's own private slot for the storage

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        storage = request.__dict__.get("_messages")
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response
        return super().process_response(request, response)  # type: ignore[no-any-return]

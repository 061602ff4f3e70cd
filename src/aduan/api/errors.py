"""One error envelope for the whole API: `{"error": {"code", "message", "message_en"}}`.

`ApplicationError` from the services, request validation, authentication and rate limits all
come out in the same shape, with the status code the error class carries (Zulip's
`JsonableError`). The Indonesian `message` is the one the services wrote; `message_en` is the
English text for the machine-readable `code`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from aduan.audit.services import audit_denial
from aduan.core.exceptions import FORBIDDEN_CODES, ApplicationError, NotFound
from aduan.core.ratelimit import RateLimited


class ErrorBody(Schema):
    code: str
    message: str
    message_en: str
    details: list[dict[str, Any]] | None = None


class ErrorEnvelope(Schema):
    error: ErrorBody


# Steps refused for the actor's role or unit are "forbidden" (FORBIDDEN_CODES); refused for the
# case's state they are a "conflict" (the foundation's TransitionNotAllowed is 409 for both).

MESSAGES_ID = {
    "not_found": "Data tidak ditemukan.",
    "permission_denied": "Anda tidak berwenang melakukan tindakan ini.",
    "validation_failed": "Data yang dikirim tidak valid.",
    "unauthenticated": "Token API wajib dikirim (Authorization: Bearer <token>).",
    "bad_request": "Permintaan tidak dapat dibaca.",
}

MESSAGES_EN = {
    "not_found": "Not found.",
    "unauthenticated": "Authentication required: send a valid, unexpired API token "
                       "(Authorization: Bearer <token>).",
    "invalid_api_key": "Invalid api_key.",
    "permission_denied": "You are not allowed to do this.",
    "role_not_allowed": "Your role may not perform this action.",
    "unit_not_allowed": "This complaint is not dispositioned to your unit.",
    "transition_not_allowed": "This action is not allowed in the complaint's current status.",
    "validation_failed": "The data is not valid.",
    "text_required": "A required text is missing.",
    "date_before_received": "The date may not be before the complaint was received.",
    "use_refer": "Not within the office's authority: use the refer action instead.",
    "unit_required": "Choose the unit to disposition the complaint to.",
    "unit_unknown": "Unknown unit.",
    "agency_unknown": "Unknown referral agency.",
    "service_type_unknown": "Unknown service type.",
    "attachment_too_large": "An attachment is too large.",
    "attachment_type": "An attachment is not of an accepted kind (PDF, JPG, PNG, WebP, DOCX, "
                       "XLSX).",
    "attachment_empty": "An attachment is empty.",
    "too_many_attachments": "Too many attachments.",
    "attachments_required": "Choose at least one file.",
    "note_too_long": "The note is too long.",
    "channel_missing": "The office has no API or web channel configured.",
    "invalid_cursor": "The pagination cursor is not valid.",
    "rate_limited": "Too many requests; try again later.",
    "method_not_allowed": "This HTTP method is not allowed here; see the Allow header.",
    "bad_request": "The request could not be read.",
    "request_too_large": "The request is too large.",
    "storage_full": "The server's storage is full; try again later.",
    "idempotency_key_reused": "This Idempotency-Key was used for a different request.",
    "attachment_unsafe": "An attachment is damaged or inflates too much.",
    "attachment_image_too_large": "An image has too many pixels.",
}


def error_body(code: str, message: str, *, details: list[dict[str, Any]] | None = None
               ) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code, "message": message,
        "message_en": MESSAGES_EN.get(code, "The request could not be processed."),
    }
    if details is not None:
        body["details"] = details
    return {"error": body}


def status_for(exc: ApplicationError) -> int:
    return 403 if exc.code in FORBIDDEN_CODES else exc.status_code


def _audit(request: HttpRequest, exc: ApplicationError, message: str) -> None:
    """A staff token refused for its role or unit, or asking for a case outside its scope
    (the access door's NotFound), leaves an audit record; public lookups do not."""
    user = getattr(request, "auth", None)
    if not getattr(user, "is_authenticated", False):
        return
    status = status_for(exc)
    if status == 403 or isinstance(exc, NotFound):
        audit_denial(request, status_code=status, user=user, reason=f"{exc.code}: {message}")


def install_error_handlers(api: NinjaAPI) -> None:
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        message = exc.message
        if message == str(type(exc).default_message) and exc.code in MESSAGES_ID:
            message = MESSAGES_ID[exc.code]
        _audit(request, exc, message)
        details = [{"field": k, "messages": v} for k, v in exc.extra.get("errors", {}).items()]
        response = api.create_response(
            request, error_body(exc.code, message, details=details or None),
            status=status_for(exc))
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if oversized := getattr(request, "oversized_files", None):
            # The upload handler skipped a file past the size limit while it streamed.
            limit = settings.ADUAN_MAX_ATTACHMENT_BYTES // (1024 * 1024)
            return api.create_response(request, error_body(
                "attachment_too_large",
                _("Berkas \u201c%(name)s\u201d terlalu besar (maksimal %(max)s MB).")
                % {"name": oversized[0], "max": limit}), status=422)
        details = [
            {"loc": [str(p) for p in err.get("loc", [])], "msg": str(err.get("msg", "")),
             "type": str(err.get("type", ""))}
            for err in exc.errors
        ]
        return api.create_response(
            request, error_body("validation_failed", MESSAGES_ID["validation_failed"],
                                details=details), status=422)

    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request, error_body("unauthenticated", MESSAGES_ID["unauthenticated"]), status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "bad_request", 401: "unauthenticated", 403: "permission_denied",
                404: "not_found"}.get(exc.status_code, "bad_request")
        return api.create_response(
            request, error_body(code, MESSAGES_ID.get(code, str(exc))), status=exc.status_code)

    api.add_exception_handler(ApplicationError, application_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(HttpError, http_error)


ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 422, 429), ErrorEnvelope)
STAFF_ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 401, 403, 404, 409, 422, 429), ErrorEnvelope)

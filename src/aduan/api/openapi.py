"""The business rules in the OpenAPI document, so that a schema-driven client is not refused on
input that looks valid (issue #20): the codes a field accepts are listed as enums from the
office's current reference data (units, referral agencies, service types, channels), the
attachments a step needs are counted (`minItems`/`maxItems`), and the opaque pagination cursor
says where its values come from. Applied to the generated document on every request, so the
enums follow the office's configuration."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

# Request fields (bodies and query parameters) whose value is an office code, and the query
# that lists the accepted codes.
CODE_FIELDS = ("unit", "agency", "service_type", "channel")


# The office of the request asking for the document (offices/middleware.py), set around the
# document's view by `with_request_office` (django-ninja builds the document without the request).
_request_office: ContextVar[Any] = ContextVar("aduan_openapi_office", default=None)


def with_request_office(view: Callable[..., Any]) -> Callable[..., Any]:
    """The API's `docs_decorator`: the document lists the codes of the request's office."""

    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        token = _request_office.set(getattr(request, "office", None))
        try:
            return view(request, *args, **kwargs)
        finally:
            _request_office.reset(token)

    return wrapper


def _codes() -> dict[str, list[str]]:
    from django.db import DatabaseError

    from aduan.offices.selectors import office_default

    try:
        office = _request_office.get() or office_default()
        if office is None:
            return {}
        return _office_codes(office)
    except (DatabaseError, RuntimeError):  # no database to read (build time, test collection)
        return {}


def _office_codes(office: Any) -> dict[str, list[str]]:
    return {
        "unit": sorted(office.units.filter(is_active=True).values_list("code", flat=True)),
        "agency": sorted(office.agencies.filter(is_active=True).values_list("code", flat=True)),
        "service_type": sorted(office.service_types.filter(is_active=True)
                               .values_list("code", flat=True)),
        "channel": sorted(office.channels.filter(is_active=True).values_list("code", flat=True)),
    }


def _with_enum(schema: dict[str, Any], codes: list[str]) -> None:
    """Set the enum on a string schema (or the string branch of an anyOf with null); an empty
    default (meaning "none" or "the proposed one") stays allowed."""
    if "anyOf" in schema:
        for branch in schema["anyOf"]:
            if branch.get("type") == "string":
                _with_enum(branch, codes)
        return
    if schema.get("type") != "string":
        return
    allowed = list(codes)
    if schema.get("default") == "" or schema.get("minLength", 1) == 0:
        allowed = ["", *allowed]
    for key in ("pattern", "minLength", "maxLength"):
        schema.pop(key, None)
    schema["enum"] = allowed


def _request_schemas(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object schema a request body uses (inline, or a component it refers to)."""
    components = document.get("components", {}).get("schemas", {})
    found: list[dict[str, Any]] = []
    for methods in document.get("paths", {}).values():
        for operation in methods.values():
            body = (operation.get("requestBody") or {}).get("content", {})
            for media in body.values():
                schema = media.get("schema", {})
                ref = schema.get("$ref", "")
                found.append(components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema)
    return found


def add_business_rules(document: dict[str, Any]) -> dict[str, Any]:
    from aduan.complaints.attachments import MAX_ATTACHMENTS

    codes = _codes()
    for schema in _request_schemas(document):
        properties = schema.get("properties", {})
        for name in CODE_FIELDS:
            if name in properties and codes.get(name):
                _with_enum(properties[name], codes[name])
                properties[name]["description"] = (
                    properties[name].get("description", "")
                    + f" One of the office's active {name} codes (GET reference lists).").strip()
        attachments = properties.get("attachments")
        if attachments and attachments.get("type") == "array":
            attachments["description"] = (
                "PDF, JPG, PNG, WebP, DOCX or XLSX files, recognised by their content (not by "
                "name or declared type); images are decoded, so a file of another kind or a "
                f"damaged one is refused with 422 attachment_type. At most {MAX_ATTACHMENTS}.")
            attachments["maxItems"] = MAX_ATTACHMENTS
            if "attachments" in schema.get("required", []):
                attachments["minItems"] = 1
    # The complaint form refuses a field it does not know (api/routers/public.py): say so.
    submit = document.get("paths", {}).get("/api/v1/complaints", {}).get("post", {})
    form = submit.get("requestBody", {}).get("content", {}).get("multipart/form-data", {})
    if "schema" in form:
        form["schema"]["additionalProperties"] = False
    for methods in document.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                name = parameter.get("name")
                if parameter.get("in") == "query" and name in CODE_FIELDS and codes.get(name):
                    _with_enum(parameter["schema"], codes[name])
                if parameter.get("in") == "query" and name == "cursor":
                    parameter["description"] = (
                        "Opaque: only a value returned as `next_cursor` by the previous page; "
                        "any other value is refused with 422 invalid_cursor.")
    return document

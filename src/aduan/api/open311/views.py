"""GeoReport v2 endpoints. Plain Django views: the spec fixes the URLs (`.xml`/`.json`
suffix), the form-encoded POST and the error format, which an OpenAPI framework would not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from aduan.api.open311 import render, selectors
from aduan.api.ratelimit import check_rate, client_address
from aduan.api.services import (
    SubmissionInput,
    Unauthenticated,
    api_channel_for,
    complaint_submit,
    open311_client_authenticate,
)
from aduan.complaints.caselist import CaseQuery, State, case_filter
from aduan.complaints.services import ReporterInput
from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import RateLimited
from aduan.offices.models import Office

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
MAX_DESCRIPTION = 4000


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _param(data: Any, name: str, max_length: int = 500) -> str:
    # NUL bytes cannot be stored (PostgreSQL) and never occur in real input: drop them.
    return (data.get(name) or "").replace("\x00", "").strip()[:max_length]


def _office(request: HttpRequest) -> Office:
    """The office the request names (offices/middleware.py): /instansi/<code>/api/open311/...
    or the office's host name, else the default office. A client's POST goes to the client's
    own office (its api_key), whatever the path."""
    office: Office | None = getattr(request, "office", None)
    if office is None:
        raise Open311Error(404, "jurisdiction_id tidak ditemukan (jurisdiction not found).")
    return office


def geo_view(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Unsupported formats, our errors and rate limits all in the GeoReport error format."""

    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in render.FORMATS:
            return render.error("xml", 400, "Format tidak didukung; gunakan .xml atau .json "
                                            "(unsupported format).")
        try:
            return func(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return render.error(fmt, exc.status, exc.description)
        except RateLimited as exc:
            response = render.error(fmt, 429, f"{exc.message} (too many requests)")
            response["Retry-After"] = str(exc.retry_after)
            return response
        except Unauthenticated:
            return render.error(fmt, 403, "api_key tidak valid (invalid api_key).")
        except ApplicationError as exc:
            fields = "; ".join(f"{name}: {' '.join(messages)}"
                               for name, messages in exc.extra.get("errors", {}).items())
            return render.error(fmt, 400, f"{exc.message} {fields}".strip())

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


# --- Services ----------------------------------------------------------------------------------


def service_description(s: Any) -> str:
    """The service type's own description, or one written from what the office knows of it:
    its name, the unit that handles it and the words that point at it."""
    if s.description:
        return str(s.description)
    text = f"Pengaduan tentang layanan {s.name}"
    if s.default_unit_id:
        text += f", ditangani oleh {s.default_unit.name}"
    text += "."
    if s.keywords:
        text += f" Contoh kata kunci: {s.keywords}."
    return text


def _service(s: Any) -> dict[str, Any]:
    return {
        "service_code": s.code, "service_name": s.name, "description": service_description(s),
        "metadata": False, "type": "realtime", "keywords": s.keywords or None,
        "group": s.default_unit.name if s.default_unit_id else None,
    }


@require_GET
@geo_view
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """GET services.{fmt}: the office's service types."""
    check_rate("open311_read", client_address(request))
    office = _office(request)
    services = office.service_types.filter(is_active=True).select_related("default_unit")
    return render.respond(fmt, "services", [_service(s) for s in services.order_by("name")])


@require_GET
@geo_view
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    """GET services/{code}.{fmt}: no extra attributes (every service has metadata=false)."""
    check_rate("open311_read", client_address(request))
    office = _office(request)
    if not office.service_types.filter(code=code, is_active=True).exists():
        raise Open311Error(404, "service_code tidak ditemukan (service_code not found).")
    return render.respond(fmt, "service_definition", {"service_code": code, "attributes": []})


# --- Requests ----------------------------------------------------------------------------------


def _parse_datetime(value: str, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Open311Error(400, f"{name} harus dalam format W3C dengan zona waktu, mis. "
                                f"2010-01-01T00:00:00Z ({name} must be a W3C datetime).")
    return moment


@csrf_exempt
@require_http_methods(["GET", "POST"])
@geo_view
def requests_(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """GET requests.{fmt} (query) and POST requests.{fmt} (create; api_key required)."""
    if request.method == "POST":
        return _create(request, fmt)
    check_rate("open311_read", client_address(request))
    office = _office(request)
    qs = selectors.requests_queryset(office)
    ids = [i.strip() for i in _param(request.GET, "service_request_id", 5000).split(",")
           if i.strip()]
    if ids:  # "This overrides all other arguments."
        qs = qs.filter(public_id__in=ids[:selectors.MAX_RESULTS])
    else:
        codes = [c.strip() for c in _param(request.GET, "service_code").split(",") if c.strip()]
        service_types = tuple(office.service_types.filter(code__in=codes).values_list(
            "pk", flat=True)) or (-1,) if codes else ()
        start_raw, end_raw = _param(request.GET, "start_date"), _param(request.GET, "end_date")
        start = _parse_datetime(start_raw, "start_date") if start_raw else None
        end = _parse_datetime(end_raw, "end_date") if end_raw else None
        if start and end and end - start > selectors.DEFAULT_SPAN:
            raise Open311Error(400, "Rentang start_date–end_date paling lama 90 hari "
                                    "(the range may not span more than 90 days).")
        if start and end and end < start:
            raise Open311Error(400, "end_date sebelum start_date (end_date before start_date).")
        end = end or ((start + selectors.DEFAULT_SPAN) if start else timezone.now())
        start = start or end - selectors.DEFAULT_SPAN
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        statuses = {s.strip() for s in _param(request.GET, "status").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status hanya open atau closed (status must be open or "
                                    "closed).")
        state = {"open": State.OPEN, "closed": State.SETTLED}.get(
            next(iter(statuses)) if len(statuses) == 1 else "", State.ALL)
        # The staff lists' one case-list query (complaints/caselist.py) over the public cases.
        qs = case_filter(qs, CaseQuery(state=state, service_types=service_types),
                         office_id=office.pk)
    complaints = list(qs.order_by("-received_at", "-id")[: selectors.MAX_RESULTS])
    return render.respond(fmt, "service_requests", selectors.service_requests(complaints))


@require_GET
@geo_view
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    """GET requests/{service_request_id}.{fmt}: a list with the one request (named by its
    public id; a tracking code is not a request id)."""
    check_rate("open311_read", client_address(request))
    office = _office(request)
    complaint = selectors.requests_queryset(office).filter(public_id=request_id).first()
    if complaint is None:
        raise Open311Error(404, "service_request_id tidak ditemukan (service_request_id not "
                                "found).")
    return render.respond(fmt, "service_requests", selectors.service_requests([complaint]))


def _coordinate(value: str, name: str, limit: float) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not -limit <= number <= limit:
        raise Open311Error(400, f"{name} bukan koordinat WGS84 yang sah ({name} is not a "
                                f"valid WGS84 coordinate).")
    return number


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST requests.{fmt}: the standard fields become a complaint on the client's channel."""
    check_rate("open311_read", client_address(request))  # also bounds key guessing
    data = request.POST
    api_key = _param(data, "api_key", 200)
    if not api_key:
        # No key is no permission, as a wrong key is (GeoReport: 403 for api_key problems).
        raise Open311Error(403, "api_key wajib dikirim (api_key was not provided).")
    client = open311_client_authenticate(api_key)
    check_rate("open311_post", str(client.pk))
    service_code = _param(data, "service_code", 50)
    if not service_code:
        raise Open311Error(400, "service_code wajib dikirim (service_code was not provided).")
    service = client.office.service_types.filter(code=service_code, is_active=True).first()
    if service is None:
        raise Open311Error(404, "service_code tidak ditemukan (service_code not found).")
    lat_raw, long_raw = _param(data, "lat", 40), _param(data, "long", 40)
    address_string = _param(data, "address_string", 300)
    address_id = _param(data, "address_id", 100)
    submitted: dict[str, Any] = {"client": client.name}
    if lat_raw or long_raw:
        submitted["lat"] = _coordinate(lat_raw, "lat", 90)
        submitted["long"] = _coordinate(long_raw, "long", 180)
    elif not (address_string or address_id):
        raise Open311Error(400, "Lokasi wajib: lat dan long, address_string atau address_id "
                                "(a location parameter is required).")
    description = (data.get("description") or "").replace("\x00", "").strip()
    if not description:
        raise Open311Error(400, "description wajib diisi (description is required).")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, "description paling banyak 4.000 karakter (description is "
                                "limited to 4,000 characters).")
    media_url = _param(data, "media_url", 500)
    if media_url and not media_url.lower().startswith(("http://", "https://")):
        raise Open311Error(400, "media_url harus berupa URL http(s) (media_url must be an "
                                "http(s) URL).")
    submitted.update({"address_string": address_string, "address_id": address_id,
                      "media_url": media_url,
                      "attributes": {k: data.getlist(k) for k in data
                                     if k.startswith("attribute[")}})
    if lat_raw and not address_string:
        location = f"{submitted['lat']}, {submitted['long']}"
    else:
        location = address_string or address_id
    name = " ".join(p for p in (_param(data, "first_name", 100),
                                _param(data, "last_name", 100)) if p)
    reporter = ReporterInput(name=name, phone=_param(data, "phone", 30),
                             email=_param(data, "email", 254))
    if reporter.email and "@" not in reporter.email:
        raise Open311Error(400, "email tidak valid (invalid email).")
    complaint = complaint_submit(
        office=client.office, channel=client.channel or api_channel_for(client.office),
        data=SubmissionInput(subject="", description=description, reporter=reporter,
                             service_type_code=service.code, location=location),
        files=[], extra={"via": "open311", "open311": submitted})
    notice = (f"Pengaduan dicatat dengan nomor {complaint.register_number} dan diselesaikan "
              f"paling lambat {complaint.due_on:%d-%m-%Y}.")
    return render.respond(fmt, "service_requests", [{
        # The public id: the tracking code goes to the reporter alone, in their receipt.
        "service_request_id": complaint.public_id, "service_notice": notice,
        "account_id": None}])


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service discovery (http://wiki.open311.org/Service_discovery)."""
    if fmt not in render.FORMATS:
        return render.error("xml", 400, "Format tidak didukung (unsupported format).")
    office: Office | None = getattr(request, "office", None)
    base = request.build_absolute_uri(reverse("open311:root"))
    return render.respond(fmt, "discovery", {
        "changeset": "2026-01-01T00:00:00+07:00",
        "contact": office.email if office else "",
        "key_service": "Minta api_key kepada administrator kantor (ask the office's "
                       "administrator for an api_key).",
        "endpoints": [{"specification": SPEC_URL, "url": base.rstrip("/"),
                       "changeset": "2026-01-01T00:00:00+07:00", "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    })

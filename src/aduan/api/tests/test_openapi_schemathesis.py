"""Schemathesis against the served OpenAPI document: no server error, no schema violation.

Every operation is exercised with generated input (bounded: a few examples each) as an
officer with a real API token, through Django's WSGI application and the test database.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from aduan.api.services import api_token_create
from aduan.complaints import services
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint


@pytest.fixture
def api_schema(db, office, users, settings):  # type: ignore[no-untyped-def]
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from aduan.config.wsgi import application

    # Generated traffic must reach the endpoints, not the rate limiter.
    settings.ADUAN_API_RATE_LIMITS = dict.fromkeys(("submit", "track", "staff"), (1000000, 60))
    # As Django's test client does: the WSGI handler must not close the test transaction's
    # connection at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    config = SchemathesisConfig.from_dict(
        {"checks": {"positive_data_acceptance": {"enabled": True}}})
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_headers(api_schema, office, officer) -> dict[str, str]:
    # A few real cases so that ids 1..n exist and some steps succeed.
    for _ in range(3):
        complaint = register_complaint(office)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    _token, secret = api_token_create(user=officer, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


def _operations() -> list[tuple[str, str]]:
    from aduan.api.api import api

    return [(method.upper(), path) for path, methods in api.get_openapi_schema()["paths"].items()
            for method in methods]


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def _documented(case):  # type: ignore[no-untyped-def]
    """Generated input within what the document promises to accept: the cursor is opaque (only
    a value from a previous page's next_cursor), and attachments are real files of the listed
    kinds (their content is checked; random bytes are not a PDF or an image)."""
    if case.query and "cursor" in case.query:
        case.query = {k: v for k, v in case.query.items() if k != "cursor"}
    meta = getattr(case, "meta", None)
    modes = {str(meta.generation.mode.value)} if meta is not None else set()
    if meta is not None:
        modes |= {str(c.mode.value) for c in meta.components.values()}
    positive = "negative" not in modes
    if (positive and isinstance(case.body, dict)
            and isinstance(case.body.get("attachments"), list)):
        case.body = {**case.body, "attachments": [PNG for _ in case.body["attachments"]]}
    return case


def _params() -> list[tuple[str, str]]:
    return _operations()


@pytest.mark.parametrize(("method", "path"), _params())
def test_operation_conforms_to_the_openapi_document(api_schema, officer_headers, method, path):  # type: ignore[no-untyped-def]
    # One bounded Hypothesis run per operation, against the document the app serves
    # (schemathesis' pytest plugin cannot take a database fixture with this pytest version).
    operation = api_schema[path][method]

    # Every documented input must be accepted ("Schema-valid request rejected" is a failure).
    strategy = operation.as_strategy().map(_documented)

    @given(case=strategy)
    @settings(max_examples=5, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=officer_headers)

    run()


def test_served_document_lists_every_operation(client, db):  # type: ignore[no-untyped-def]
    served = client.get("/api/v1/openapi.json").json()
    assert {(m.upper(), p) for p, ms in served["paths"].items() for m in ms} == set(
        _operations())
    assert served["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"


def test_docs_page_loads_swagger_from_local_static_files(client, db):  # type: ignore[no-untyped-def]
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_an_unknown_form_field_is_refused_not_dropped(client, db, office):  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/complaints", {"description": "Izin saya belum selesai",
                                               "lokasi_kejadian": "Desa Air Putih"})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_failed"
    assert "lokasi_kejadian" in answer.json()["error"]["message"]
    from aduan.complaints.models import Complaint

    assert not Complaint.objects.exists()
    assert client.post("/api/v1/complaints",
                       {"description": "Izin saya belum selesai"}).status_code == 201

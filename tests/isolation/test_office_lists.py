"""Office isolation of lists, counts, exports and writes (issue 18): office B's users never
see office A's cases or rows in a list, filter or export; B's totals are the same with and
without A's cases; a form or API body naming A's unit, channel, service type, agency or saved
reply is refused, not stored. Every page of `LIST_URLS` is fetched here (checked below)."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from aduan.complaints.models import Complaint
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint
from aduan.core.exceptions import ValidationFailed
from tests.isolation.conftest import B_ROLES, World, b_token
from tests.isolation.test_office_isolation import LIST_URLS

B_USERNAMES = [name for name, _role, _unit in B_ROLES]
PERIOD = {"start": "2025-01-01", "end": "2026-12-31"}

# (URL name, kwargs, query) of every page without an object id.
PAGES = [
    ("desk:inbox", {}, {"state": "all"}),
    ("desk:inbox-counts", {}, {}),
    ("desk:complaint-record", {}, {}),
    ("desk:register", {}, PERIOD),
    ("desk:transfers-out", {}, {}),
    ("documents:complaint-form-blank", {}, {}),
    ("intake_desk:inbound-list", {}, {}),
    ("intake_desk:lapor", {}, {}),
    ("intake_desk:lapor-import", {}, {}),
    ("reports:index", {}, {}),
    ("reports:job-create", {}, {"kind": "semester_docx", **PERIOD}),  # POST
    ("reports:register-xlsx", {}, PERIOD),
    ("reports:register-pdf", {}, PERIOD),
    ("reports:dashboard", {}, PERIOD),
    ("reports:dashboard-chart", {"chart": "status"}, PERIOD),
    ("reports:texts", {}, {}),
    ("audit:denial-list", {}, {}),
    ("assist:settings", {}, {}),
    ("assist:saved-reply-add", {}, {}),
    ("rights:list", {}, {}),
    ("rights:export", {"fmt": "csv"}, {}),
    ("rights:export", {"fmt": "xlsx"}, {}),
    ("rights:breaches", {}, {}),
    ("watch:list", {}, {}),
    ("watch:import", {}, {}),
]
API_LISTS = ["api-v1:case_list", "api-v1:unit_list", "api-v1:agency_list"]


def test_every_list_url_is_fetched_here():
    fetched = {name for name, _kw, _q in PAGES} | set(API_LISTS) | {"open311:requests"}
    assert fetched == LIST_URLS


def _markers(world: World) -> list[str]:
    """Strings only office A's data contains."""
    return ["Rahasia A", "rahasia A", "ahasia kantor A", world.case.register_number, world.case.tracking_code,
            world.referred.register_number, "Penanaman Modal", "Pelapor Rahasia A",
            "A-APP-1", "HAK-A-1", "INS-A-1", "Jawaban A", "lapor-a.csv", "laporan-a.docx"]


def _text(response) -> str:
    """The response as text, whatever its format (HTML, CSV, SVG, XLSX, PDF)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row)
    if "pdf" in kind:
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True,
                              check=True).stdout.decode()
    return body.decode("utf-8", errors="replace")


@pytest.mark.parametrize("username", B_USERNAMES)
def test_b_pages_show_nothing_of_a(world, username):
    client = world.client(username)
    seen = 0
    for name, kwargs, query in PAGES:
        if name == "reports:job-create":  # a job of the user's own office, then its page
            response = client.post(reverse(name), query, follow=True)
        else:
            response = client.get(reverse(name, kwargs=kwargs), query)
        assert response.status_code in (200, 302, 403), (name, response.status_code)
        if response.status_code != 200:
            continue
        seen += 1
        text = _text(response)
        for marker in _markers(world):
            assert marker not in text, (username, name, marker)
    assert seen  # every role opens some of them


@pytest.mark.parametrize("username", ["b_petugas", "b_ketua", "b_kadis", "b_unit"])
def test_b_api_lists_show_nothing_of_a(world, username, client):
    headers = b_token(world, username)
    for name in API_LISTS:
        response = client.get(reverse(name), **headers)
        assert response.status_code == 200, (name, response.content)
        for marker in _markers(world):
            assert marker not in response.content.decode(), (username, name, marker)
    cases = client.get(reverse("api-v1:case_list"), {"limit": 100}, **headers).json()
    assert world.case.pk not in {c["id"] for c in cases["items"]}
    for code_filter in ({"unit": "perizinan-a"}, {"channel": "sms_wa"},
                        {"service_type": "apotek"}, {"q": "Rahasia"},
                        {"q": world.case.register_number}):
        items = client.get(reverse("api-v1:case_list"), code_filter, **headers).json()["items"]
        assert all(Complaint.objects.get(pk=c["id"]).office_id == world.b.pk for c in items)


def test_the_control_a_sees_its_own_in_the_same_lists(world):
    """The markers are there for office A's own staff: the test above can fail."""
    client = world.client("ketua")
    inbox = client.get(reverse("desk:inbox"), {"state": "all"}).content.decode()
    assert world.case.register_number in inbox
    register = client.get(reverse("reports:register-xlsx"), PERIOD)
    assert world.case.register_number in _text(register)


def test_filters_with_a_ids_return_nothing_of_a(world):
    client = world.client("b_ketua")
    a = world.a
    for params in ({"unit": a.units.get(code="perizinan-a").pk},
                   {"channel": a.channels.get(code="sms_wa").pk},
                   {"service_type": a.service_types.get(code="apotek").pk},
                   {"q": world.case.register_number}, {"q": "Rahasia"}):
        for name in ("desk:inbox", "desk:inbox-counts", "desk:register"):
            response = client.get(reverse(name), {"state": "all", **PERIOD, **params})
            assert response.status_code == 200
            # The search box repeats what was asked; the rows must not answer it.
            text = re.sub(r'value="[^"]*"', "", response.content.decode())
            for marker in _markers(world):
                assert marker not in text, (name, params, marker)


def _normalise(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'nonce="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    # matplotlib's SVG: its creation time and random element ids
    text = re.sub(r"<dc:date>[^<]*</dc:date>", "", text)
    text = re.sub(r"\b[mp][0-9a-f]{10}\b", "", text)
    return re.sub(r"<time[^>]*>[^<]*</time>", "", text)  # "n minutes ago" moves on


@pytest.mark.parametrize("username", ["b_ketua", "b_kadis", "b_unit"])
def test_b_counts_are_the_same_with_and_without_more_a_cases(world, username):
    """Totals leak nothing: B's counts, dashboard and register do not move when office A
    receives, verifies and settles cases."""
    pages = [("desk:inbox", {"state": "all"}), ("desk:inbox-counts", {}),
             ("desk:register", PERIOD), ("reports:dashboard", PERIOD),
             ("reports:dashboard-chart", PERIOD), ("reports:index", {})]

    def snapshot(client: Client) -> dict[str, tuple[int, str]]:
        result = {}
        for name, query in pages:
            kwargs = {"chart": "status"} if name == "reports:dashboard-chart" else {}
            response = client.get(reverse(name, kwargs=kwargs), query)
            result[name] = (response.status_code, _normalise(_text(response)))
        return result

    client = world.client(username)
    before = snapshot(client)
    from aduan.complaints import services

    officer = world.a_users["petugas"]
    for n in range(3):
        case = register_complaint(world.a, subject=f"Kasus tambahan A {n}",
                                  description="Tambahan di kantor A.")
        services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=Checklist())
        if n == 0:
            services.complaint_answer(complaint_id=case.pk, actor=officer, answer="Dijawab.")
    after = snapshot(client)
    for name, _query in pages:
        if after[name] != before[name]:
            import difflib

            diff = "\n".join(difflib.unified_diff(before[name][1].splitlines(),
                                                  after[name][1].splitlines(), lineterm=""))
            pytest.fail(f"{name} moved with office A's cases:\n{diff[:3000]}")
    # ... and the same pages of office A do move (the comparison can fail).
    a_client = world.client("ketua")
    a_before = a_client.get(reverse("desk:inbox-counts")).content
    register_complaint(world.a, subject="Satu lagi A", description="Satu lagi di kantor A.")
    assert a_client.get(reverse("desk:inbox-counts")).content != a_before


# --- Writes naming office A's rows ------------------------------------------------------------


def test_record_form_refuses_a_channel_and_service_type(world):
    client = world.client("b_petugas")
    a = world.a
    before = Complaint.objects.count()
    response = client.post(reverse("desk:complaint-record"), {
        "channel": a.channels.get(code="sms_wa").pk, "classification": "complaint",
        "received_at": "2025-05-02T09:00", "subject": "B mencoba",
        "description": "Mencoba memakai saluran kantor A.", "reporter_name": "Uji",
        "service_type": a.service_types.get(code="apotek").pk, "consent": "on"})
    assert response.status_code == 422
    assert Complaint.objects.count() == before


def test_register_service_refuses_another_offices_service_type(world):
    with pytest.raises(ValidationFailed):
        register_complaint(world.b, subject="B", description="Jenis layanan kantor A.",
                           service_type=world.a.service_types.get(code="apotek"))
    assert not Complaint.objects.filter(office=world.b, subject="B").exists()


def _b_verified(world: World) -> Complaint:
    from aduan.complaints import services

    return services.complaint_verify(complaint_id=world.b_case.pk,
                                     actor=world.b_users["b_petugas"], checklist=Checklist())


def test_dispose_and_refer_refuse_a_unit_and_agency(world):
    case = _b_verified(world)
    lead = world.client("b_ketua")
    url = reverse("desk:complaint-action", args=[case.pk, "dispose"])
    response = lead.post(url, {"unit": world.a.units.get(code="perizinan-a").pk,
                               "seen_status": case.status})
    assert response.status_code == 422
    officer = world.client("b_petugas")
    url = reverse("desk:complaint-action", args=[case.pk, "refer"])
    response = officer.post(url, {"agency": world.a.agencies.get(code="bappenda").pk,
                                  "reply": "Silakan ke Bappenda.", "seen_status": case.status})
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.status == "verified" and case.unit_id is None
    assert case.referred_agency_id is None


def test_referral_reply_and_canned_answers_do_not_serve_a_rows(world):
    case = _b_verified(world)
    officer = world.client("b_petugas")
    a_agency = world.a.agencies.get(code="bappenda")
    response = officer.get(reverse("desk:referral-reply", args=[case.pk]),
                           {"refer-agency": a_agency.pk})
    assert response.status_code == 200
    assert a_agency.referral_text not in response.content.decode()
    response = officer.get(reverse("assist:canned-use", args=[case.pk]),
                           {"field": "answer-answer",
                            "key": f"saved:{world.objects['saved_reply']}"})
    assert response.status_code == 404
    response = officer.get(reverse("assist:canned-list", args=[case.pk]),
                           {"field": "answer-answer", "q": "apotek"})
    assert "Rahasia" not in response.content.decode()


def test_api_dispose_by_code_takes_b_own_unit(world, client):
    """The API names units and agencies by code: the same code in B resolves to B's row."""
    case = _b_verified(world)
    headers = b_token(world, "b_ketua")
    response = client.post(reverse("api-v1:case_dispose", kwargs={"case_id": case.pk}),
                           {"unit": "perizinan-a"}, content_type="application/json",
                           **headers)
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.unit.office_id == world.b.pk


def test_open311_key_of_b_posts_into_b_only(world, open311_keys, client):
    from aduan.offices.models import ServiceType

    ServiceType.objects.create(office=world.a, code="hanya_a", name="Hanya kantor A")
    url = reverse("open311:requests", kwargs={"fmt": "json"})
    base = {"api_key": open311_keys["b"], "description": "Jalan rusak di depan kantor B.",
            "first_name": "Warga", "email": "warga@contoh.id",
            "address_string": "Jl. Sudirman 1, Kota B"}
    response = client.post(url, {**base, "service_code": "hanya_a"})
    assert response.status_code == 404
    response = client.post(url, {**base, "service_code": "apotek"})
    assert response.status_code == 200, response.content
    request_id = response.json()[0]["service_request_id"]
    assert Complaint.objects.get(public_id=request_id).office_id == world.b.pk
    # The public read shows the request's office's cases: never A's secret or identity.
    listing = client.get(url).content.decode()
    for marker in ("Pelapor Rahasia A", "081371771234"):
        assert marker not in listing

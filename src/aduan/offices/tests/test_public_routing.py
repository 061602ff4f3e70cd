"""Public pages serve the office the request names (offices/middleware.py, decision 0013):
/instansi/<code>/... and an office's host name, through real requests of the test client; a
single-office deployment keeps its URLs."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import get_script_prefix, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints.models import Complaint
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.offices.models import Channel, ChannelKind, Office, ServiceType, Unit
from aduan.portal import throttle
from aduan.portal.services import web_channel_for

pytestmark = pytest.mark.django_db

DLH_HOST = "pengaduan.dlh.bengkaliskab.go.id"


def make_office(code: str, name: str, *, service: tuple[str, str], **fields) -> Office:
    office = Office.objects.create(
        code=code, name=name, short_name=code.upper(),
        government_name="PEMERINTAH KABUPATEN BENGKALIS", city="Bengkalis",
        register_number_pattern=f"600/{{seq}}/{code.upper()}/{{year}}", **fields)
    unit = Unit.objects.create(office=office, code="tim", name="Tim Pengaduan",
                               is_complaint_team=True)
    Channel.objects.create(office=office, code="website", name="Situs web",
                           kind=ChannelKind.WEB)
    ServiceType.objects.create(office=office, code=service[0], name=service[1],
                               default_unit=unit)
    return office


@pytest.fixture
def dlh(office):
    return make_office("dlh", "Dinas Lingkungan Hidup", service=("amdal", "Persetujuan AMDAL"))


@pytest.fixture
def web_form(fast_form):
    def data(**overrides):
        values = {
            "name": "Rahmi Ayunda", "nik": "", "address": "Jl. Perwira, Bengkalis",
            "occupation": "Bidan", "phone": "0851-5679-1234", "email": "ayunda@example.org",
            "company_name": "", "service_type": "", "subject": "Sampah menumpuk",
            "description": "Sampah di pasar tidak diangkut sejak seminggu.",
            "consent": "on", "website": "", "form_token": throttle.form_token()}
        values.update(overrides)
        return values

    return data


@pytest.fixture
def fast_form(settings):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0


def register(office: Office) -> Complaint:
    return complaint_register(
        office=office, channel=web_channel_for(office), subject="Izin belum terbit",
        description="Sudah dua minggu menunggu.",
        reporter=ReporterInput(name="Rahmi", phone="085156791234", consent=True))


# --- A single office: nothing changes -------------------------------------------------------


def test_single_office_keeps_its_urls_and_pages(client, office):
    assert reverse("portal:submit") == "/pengaduan/kirim/"
    html = client.get("/").content.decode()
    assert office.name in html
    assert "/instansi/" not in html and "office-list" not in html  # no list of offices
    case = register(office)
    page = client.post("/lacak/", {"code": case.tracking_code}).content.decode()
    assert "Ditangani oleh" not in page


def test_single_office_is_reachable_under_its_own_path_too(client, office):
    response = client.get(f"/instansi/{office.code}/")
    assert response.status_code == 200
    assert f'href="/instansi/{office.code}/pengaduan/kirim/"' in response.content.decode()


# --- Under /instansi/<code>/ ------------------------------------------------------------------


def test_office_path_shows_that_office_and_keeps_links_under_it(client, office, dlh):
    html = client.get("/instansi/dlh/").content.decode()
    assert "Dinas Lingkungan Hidup" in html
    assert 'href="/instansi/dlh/pengaduan/kirim/"' in html
    assert 'href="/instansi/dlh/lacak/"' in html
    assert 'action="/instansi/dlh/i18n/setlang/"' in html
    assert 'name="next" type="hidden" value="/instansi/dlh/"' in html
    form = client.get("/instansi/dlh/pengaduan/kirim/").content.decode()
    assert "Persetujuan AMDAL" in form
    assert "SIUP" not in form and "Izin Praktik" not in form  # the seed office's types
    default_form = client.get("/pengaduan/kirim/").content.decode()
    assert "Persetujuan AMDAL" not in default_form


def test_path_without_slash_is_redirected_to_the_office_home(client, dlh):
    response = client.get("/instansi/dlh")
    assert response.status_code == 301
    assert response["Location"] == "/instansi/dlh/"


def test_submission_under_an_office_lands_there_with_its_own_number(client, office, dlh,
                                                                    web_form):
    csrf = Client(enforce_csrf_checks=True)
    page = csrf.get("/instansi/dlh/pengaduan/kirim/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = csrf.post("/instansi/dlh/pengaduan/kirim/", web_form(
        csrfmiddlewaretoken=token, form_token=form_token,
        service_type=str(dlh.service_types.get().pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/instansi/dlh/pengaduan/terkirim/?r=")
    complaint = Complaint.objects.get()
    assert complaint.office == dlh
    assert complaint.channel.office == dlh
    assert complaint.service_type.code == "amdal"
    assert complaint.register_number == f"600/1/DLH/{complaint.register_year}"
    receipt = csrf.get(response["Location"])
    assert complaint.register_number in receipt.content.decode()
    # The seed office's numbering is its own: its first case is number 1 too.
    client.post("/pengaduan/kirim/", web_form())
    seed_case = Complaint.objects.get(office=office)
    assert seed_case.register_sequence == 1


def test_a_form_error_under_an_office_stays_there(client, dlh, web_form):
    response = client.post("/instansi/dlh/pengaduan/kirim/", web_form(consent=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Persetujuan AMDAL" in html
    assert Complaint.objects.count() == 0


def test_unknown_or_inactive_office_is_the_indonesian_404(client, office, dlh):
    Office.objects.filter(pk=dlh.pk).update(is_active=False)
    for path in ("/instansi/tidak-ada/", "/instansi/dlh/", "/instansi//", "/instansi/dlh/lacak/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Halaman tidak ditemukan" in response.content.decode()


def test_staff_paths_are_not_served_under_an_office(client, dlh):
    assert client.get("/instansi/dlh/desk/").status_code == 302
    assert client.get("/instansi/dlh/desk/?x=1")["Location"] == "/desk/?x=1"
    assert client.get("/instansi/dlh/akun/masuk/")["Location"] == "/akun/masuk/"
    assert client.post("/instansi/dlh/desk/").status_code == 404
    for path in ("/instansi/dlh/intake/wa/", "/instansi/dlh/api/v1/cases",
                 "/instansi/dlh/healthz", "/instansi/dlh/desk-palsu/",
                 "/instansi/dlh/media/office/logo.png"):
        assert client.get(path).status_code == 404, path


def test_a_deployment_under_its_own_script_name_keeps_it(client, dlh):
    """Behind a proxy that mounts the app at /aduan (SCRIPT_NAME), the office's path comes
    after it."""
    html = client.get("/instansi/dlh/", SCRIPT_NAME="/aduan").content.decode()
    assert 'href="/aduan/instansi/dlh/pengaduan/kirim/"' in html
    response = client.get("/instansi/dlh/desk/", SCRIPT_NAME="/aduan")
    assert response["Location"] == "/aduan/desk/"


def test_reverse_is_unprefixed_again_after_an_office_request(client, dlh):
    client.get("/instansi/dlh/")
    assert get_script_prefix() == "/"
    assert reverse("portal:track") == "/lacak/"


def test_set_language_under_an_office_goes_back_under_it(client, dlh):
    response = client.post("/instansi/dlh/i18n/setlang/",
                           {"language": "en", "next": "/instansi/dlh/lacak/"})
    assert response.status_code == 302
    assert response["Location"] == "/instansi/dlh/lacak/"
    page = client.get("/instansi/dlh/lacak/")
    assert page["Content-Language"] == "en"


def test_htmx_search_under_an_office_answers_the_partial(client, dlh):
    response = client.get("/instansi/dlh/informasi/?q=izin", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_a_404_inside_an_office_path_names_the_office(client, office, dlh):
    response = client.get("/instansi/dlh/lacak/tidak-ada/")
    assert response.status_code == 404
    assert "DLH" in response.content.decode()


# --- Tracking: one code on every office's path ----------------------------------------------


def test_tracking_code_works_under_any_office_and_names_the_handling_office(client, office,
                                                                            dlh):
    case = register(office)
    for prefix in ("", "/instansi/dlh", f"/instansi/{office.code}"):
        response = client.post(f"{prefix}/lacak/", {"code": case.tracking_code})
        assert response.status_code == 200, prefix
        html = response.content.decode()
        assert case.register_number in html
        assert re.search(r"Ditangani oleh</dt><dd id=\"case-office\">"
                         + re.escape(office.name), html), prefix


def test_tracking_by_number_looks_in_the_requests_office(client, office, dlh):
    case = register(dlh)
    data = {"number": case.register_number, "phone_last4": "1234"}
    assert client.post("/instansi/dlh/lacak/", data).status_code == 200
    assert client.post("/lacak/", data).status_code == 404


# --- Host names -----------------------------------------------------------------------------


@pytest.fixture
def dlh_host(dlh, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, DLH_HOST, "testserver"]
    Office.objects.filter(pk=dlh.pk).update(host=DLH_HOST.upper() + ":8443")
    dlh.refresh_from_db()
    return dlh


@pytest.mark.parametrize("host", [DLH_HOST, DLH_HOST.upper(), f"{DLH_HOST}:8110",
                                  f"{DLH_HOST}."])
def test_host_name_serves_its_office_at_the_root(client, office, dlh_host, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dinas Lingkungan Hidup" in html
    assert 'href="/pengaduan/kirim/"' in html
    assert office.name not in html
    assert office.name in client.get("/").content.decode()


def test_same_path_on_two_hosts_never_shares_a_memoised_form(client, office, dlh_host):
    """The blank form is memoised per path (portal/pagecache.py): the office is in the key."""
    assert "Persetujuan AMDAL" in client.get("/pengaduan/kirim/",
                                             HTTP_HOST=DLH_HOST).content.decode()
    assert "Persetujuan AMDAL" not in client.get("/pengaduan/kirim/").content.decode()
    assert "Persetujuan AMDAL" in client.get("/pengaduan/kirim/",
                                             HTTP_HOST=DLH_HOST).content.decode()


def test_a_host_not_in_allowed_hosts_is_refused(client, dlh_host):
    assert client.get("/", HTTP_HOST="evil.example.org").status_code == 400


def test_office_path_wins_over_the_host(client, office, dlh_host):
    html = client.get(f"/instansi/{office.code}/", HTTP_HOST=DLH_HOST).content.decode()
    assert office.name in html


# --- The default office of a regency lists the offices ---------------------------------------


def test_central_intake_home_lists_the_offices(client, office, dlh):
    central = make_office("lapor-bupati", "Lapor Bupati Bengkalis",
                          service=("umum", "Pengaduan umum"), is_central_intake=True)
    html = client.get("/").content.decode()
    assert "Lapor Bupati Bengkalis" in html
    assert 'href="/instansi/dlh/"' in html
    assert f'href="/instansi/{office.code}/"' in html
    assert f'href="/instansi/{central.code}/"' not in html
    dlh_home = client.get("/instansi/dlh/").content.decode()
    assert "office-list" not in dlh_home  # an office's own home lists none


# --- Public API and Open311 per office ------------------------------------------------------


def test_public_api_and_open311_list_the_offices_own_services(client, office, dlh):
    default = {s["code"] for s in client.get("/api/v1/service-types").json()}
    own = {s["code"] for s in client.get("/instansi/dlh/api/v1/service-types").json()}
    assert own == {"amdal"}
    assert "amdal" not in default and default
    services = client.get("/instansi/dlh/api/open311/v2/services.json").json()
    assert [s["service_code"] for s in services] == ["amdal"]
    seed = client.get("/api/open311/v2/services.json").json()
    assert "amdal" not in {s["service_code"] for s in seed}
    discovery = client.get("/instansi/dlh/api/open311/discovery.json").json()
    assert "/instansi/dlh/api/open311/v2" in discovery["endpoints"][0]["url"]


def test_public_api_submission_under_an_office_lands_there(client, office, dlh):
    response = client.post("/instansi/dlh/api/v1/complaints", {
        "name": "Rahmi", "phone": "085156791234", "subject": "Sampah",
        "description": "Sampah di pasar tidak diangkut.", "consent": "true",
        "service_type": "amdal"})
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert complaint.office == dlh
    tracked = client.get(f"/api/v1/complaints/{response.json()['tracking_code']}")
    assert tracked.status_code == 200


def test_openapi_document_lists_the_requests_office_codes(client, office, dlh):
    document = json.dumps(client.get("/instansi/dlh/api/v1/openapi.json").json())
    assert '"amdal"' in document
    assert '"amdal"' not in json.dumps(client.get("/api/v1/openapi.json").json())


def test_api_404_under_an_office_keeps_the_api_shape(client, dlh):
    response = client.get("/instansi/dlh/api/v1/complaints/ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- Hostile paths and hosts ----------------------------------------------------------------

SEGMENT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                  max_size=30)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.one_of(st.sampled_from(["dlh", "DLH", "", ".", "..", "%2e"]), SEGMENT),
       rest=st.one_of(st.sampled_from(["", "/", "/desk/", "/lacak/", "/api/v1/cases",
                                       "/i18n/setlang/", "//", "/%00"]), SEGMENT),
       host=st.one_of(st.sampled_from([DLH_HOST, "testserver", "", "[::1]:80", "a" * 300,
                                       "dlh:99999", DLH_HOST + ":"]), SEGMENT))
def test_no_path_or_host_gives_a_server_error(dlh_host, code, rest, host):
    client = Client()
    for method in (client.get, client.post):
        response = method("/instansi/" + code + rest, HTTP_HOST=host)
        assert response.status_code < 500, (code, rest, host, response.status_code)
    assert get_script_prefix() == "/"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/", "/lacak/", "/pengaduan/kirim/", "/statistik/",
                             "/api/v1/service-types", "/api/open311/v2/services.json"]),
       host=st.one_of(st.sampled_from([DLH_HOST, DLH_HOST.upper() + ":1", "testserver:0",
                                       "[::1]", "[::1", "x" * 260 + ".go.id", "..",
                                       "pengaduan.dlh.bengkaliskab.go.id.:80"]), SEGMENT))
def test_no_host_header_gives_a_server_error_on_public_paths(dlh_host, path, host):
    response = Client().get(path, HTTP_HOST=host)
    assert response.status_code < 500, (path, host, response.status_code)


# --- Every public page under the office's path -----------------------------------------------


@pytest.mark.parametrize("path", ["survei/", "statistik/", "statistik/data.json",
                                  "informasi/", "lacak/", "lacak/data-pribadi/",
                                  "api/v1/docs", "api/open311/discovery.xml"])
def test_every_public_page_answers_under_an_office(client, dlh, path):
    response = client.get(f"/instansi/dlh/{path}")
    assert response.status_code in {200, 405}, (path, response.status_code)


def test_survey_and_statistics_are_the_offices_own(client, office, dlh):
    survey = client.get("/instansi/dlh/survei/").content.decode()
    assert "Persetujuan AMDAL" in survey
    assert "Persetujuan AMDAL" not in client.get("/survei/").content.decode()
    register(dlh)
    stats = client.get("/instansi/dlh/statistik/data.json").json()
    seed_stats = client.get("/statistik/data.json").json()
    assert json.dumps(stats) != json.dumps(seed_stats)


# --- The administrator's host name ----------------------------------------------------------


def test_admin_stores_a_host_plainly_and_refuses_one_django_would_refuse(settings):
    from django.core.exceptions import ValidationError

    from aduan.offices.admin import OfficeForm

    settings.ALLOWED_HOSTS = [".bengkaliskab.go.id"]
    form = OfficeForm()
    form.cleaned_data = {"host": " Pengaduan.DLH.Bengkaliskab.go.id:443 "}
    assert form.clean_host() == "pengaduan.dlh.bengkaliskab.go.id"
    form.cleaned_data = {"host": ""}
    assert form.clean_host() == ""
    form.cleaned_data = {"host": "pengaduan.dlh.example.org"}
    with pytest.raises(ValidationError, match="ALLOWED_HOSTS"):
        form.clean_host()


def test_probes_and_webhooks_get_no_office_and_no_query(client, office,
                                                        django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/v1/health").status_code == 200
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/tidak-ada").status_code == 404

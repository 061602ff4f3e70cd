"""Open311 GeoReport v2, driven with requests shaped as the specification's examples
(http://wiki.open311.org/GeoReport_v2), in XML and JSON."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote_plus

import pytest
from defusedxml import ElementTree

from aduan.api.services import open311_client_create
from aduan.complaints import services
from aduan.complaints.models import Complaint
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.offices.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db

BASE = "/api/open311/v2"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


@pytest.fixture
def api_key(office):
    _client, key = open311_client_create(office=office, name="Aplikasi Lapor Bengkalis")
    return key


def spec_post_body(api_key: str, **override: str) -> str:
    """The spec's example POST body, field for field, with our api_key and service_code."""
    fields = [
        ("api_key", api_key), ("jurisdiction_id", "city.gov"), ("service_code", "sip_bidan"),
        ("lat", "37.76524078"), ("long", "-122.4212043"), ("address_string", "1234 5th street"),
        ("email", "smit333@sfgov.edu"), ("device_id", "tt222111"), ("account_id", "123456"),
        ("first_name", "john"), ("last_name", "smith"), ("phone", "081234567890"),
        ("description", "A large sinkhole is destroying the street"),
        ("media_url", "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"),
        ("attribute[WHISPAWN]", "123456"), ("attribute[WHISDORN]", "COISL001"),
    ]
    fields = [(k, override.get(k, v)) for k, v in fields if override.get(k, v) is not None]
    return "&".join(f"{k}={quote_plus(v)}" for k, v in fields)


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ElementTree.fromstring(response.content)


# --- Services --------------------------------------------------------------------------------


def test_get_service_list_xml(client, office):
    response = client.get(f"{BASE}/services.xml?jurisdiction_id=city.gov")
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "services"
    services_ = {s.findtext("service_code"): s for s in root.findall("service")}
    sip = services_["sip_bidan"]
    assert sip.findtext("service_name") == "SIP Bidan"
    assert sip.findtext("metadata") == "false" and sip.findtext("type") == "realtime"
    assert sip.findtext("group") == "Bidang Perizinan A"
    assert [c.tag for c in sip] == ["service_code", "service_name", "description", "metadata",
                                    "type", "keywords", "group"]


def test_get_service_list_json(client, office):
    response = client.get(f"{BASE}/services.json?jurisdiction_id=city.gov")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    sip = next(s for s in response.json() if s["service_code"] == "sip_bidan")
    assert sip["metadata"] is False and sip["type"] == "realtime"
    assert sip["keywords"] == "sip bidan, bidan, praktik bidan"


def test_get_service_definition(client, office):
    root = xml(client.get(f"{BASE}/services/sip_bidan.xml?jurisdiction_id=city.gov"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "sip_bidan"
    assert list(root.find("attributes")) == []
    body = client.get(f"{BASE}/services/sip_bidan.json").json()
    assert body == {"service_code": "sip_bidan", "attributes": []}


def test_unknown_service_definition_is_404_in_the_error_format(client, office):
    response = client.get(f"{BASE}/services/033.xml?jurisdiction_id=city.gov")
    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "404"
    assert "service_code" in root.find("error").findtext("description")
    body = client.get(f"{BASE}/services/033.json").json()
    assert body[0]["code"] == 404 and "service_code" in body[0]["description"]


# --- POST requests ---------------------------------------------------------------------------


def test_post_request_xml_as_in_the_spec(client, office, api_key):
    response = client.post(f"{BASE}/requests.xml", spec_post_body(api_key), content_type=FORM)
    assert response.status_code == 200, response.content
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    code = request.findtext("service_request_id")
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    complaint = Complaint.objects.get(public_id=code)
    assert complaint.register_number in request.findtext("service_notice")
    assert complaint.description == "A large sinkhole is destroying the street"
    assert complaint.service_type.code == "sip_bidan"
    assert complaint.location == "1234 5th street"
    assert complaint.reporter.name == "john smith"
    assert complaint.reporter.email == "smit333@sfgov.edu"
    assert complaint.reporter.phone == "+6281234567890"
    # The demo office has no API channel: the web channel is recorded.
    assert complaint.channel.kind == ChannelKind.WEB
    received = complaint.events.get(kind="received").data
    assert received["via"] == "open311"
    assert received["open311"]["lat"] == pytest.approx(37.76524078)
    assert received["open311"]["attributes"] == {"attribute[WHISPAWN]": ["123456"],
                                                 "attribute[WHISDORN]": ["COISL001"]}


def test_post_request_json_records_the_clients_channel(client, office):
    channel = Channel.objects.create(office=office, code="open311", name="Open311",
                                     kind=ChannelKind.API, order=99)
    _client, key = open311_client_create(office=office, name="Mitra", channel=channel)
    response = client.post(f"{BASE}/requests.json",
                           spec_post_body(key, address_string=None), content_type=FORM)
    assert response.status_code == 200
    body = response.json()
    assert list(body[0]) == ["service_request_id", "service_notice", "account_id"]
    assert body[0]["account_id"] is None
    complaint = Complaint.objects.get(public_id=body[0]["service_request_id"])
    assert complaint.channel == channel
    assert complaint.location == "37.76524078, -122.4212043"


@pytest.mark.parametrize(("override", "status", "fragment"), [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "xyz"}, 403, "api_key"),
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "001"}, 404, "service_code"),
    ({"lat": None, "long": None, "address_string": None}, 400, "location"),
    ({"lat": "north"}, 400, "lat"),
    ({"description": None}, 400, "description"),
    ({"description": "x" * 4001}, 400, "4,000"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    # The spec's own example phone number is not a valid Indonesian number.
    ({"phone": "111111111"}, 400, "phone: "),
])
def test_post_request_errors(client, office, api_key, override, status, fragment):
    key = override.pop("api_key", api_key) if "api_key" in override else api_key
    body = spec_post_body(key or "", **override)
    if key is None:
        body = body.replace("api_key=&", "")
    response = client.post(f"{BASE}/requests.json", body, content_type=FORM)
    assert response.status_code == status
    error = response.json()
    assert error[0]["code"] == status and fragment in error[0]["description"]
    assert not Complaint.objects.exists()
    # The same failure in XML.
    root = xml(client.post(f"{BASE}/requests.xml", body, content_type=FORM))
    assert root.tag == "errors" and root.find("error").findtext("code") == str(status)


def test_post_request_is_rate_limited_per_client(client, office, api_key, settings):
    settings.ADUAN_API_RATE_LIMITS = {"open311_post": (1, 3600)}
    assert client.post(f"{BASE}/requests.json", spec_post_body(api_key),
                       content_type=FORM).status_code == 200
    response = client.post(f"{BASE}/requests.json", spec_post_body(api_key), content_type=FORM)
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429
    assert Complaint.objects.count() == 1


def test_deactivated_client_is_refused(client, office, api_key):
    from aduan.api.models import Open311Client

    Open311Client.objects.update(is_active=False)
    response = client.post(f"{BASE}/requests.xml", spec_post_body(api_key), content_type=FORM)
    assert response.status_code == 403


# --- GET requests ----------------------------------------------------------------------------


@pytest.fixture
def cases(office, officer):
    """An open case with personal data in its text, and a settled one (answered)."""
    jakarta = dt.timezone(dt.timedelta(hours=7))
    open_case = register_complaint(
        office, received=dt.datetime(2025, 5, 26, 9, 0, tzinfo=jakarta),
        service_type=office.service_types.get(code="sip_bidan"),
        reporter=ReporterInput(name="Ayunda Rahmi", phone="087863741234"),
        description="Saya Ayunda Rahmi (NIK 1403024104900003, HP 0878-6374-1234, "
                    "ayunda@contoh.id): SIP bidan belum terbit.")
    closed_case = register_complaint(
        office, received=dt.datetime(2025, 6, 2, 10, 0, tzinfo=jakarta),
        description="Di mana mengurus OSS?")
    services.complaint_answer(complaint_id=closed_case.pk, actor=officer,
                              answer="OSS diurus di oss.go.id.",
                              at=dt.datetime(2025, 6, 3, 10, 0, tzinfo=jakarta))
    secret = register_complaint(office, received=dt.datetime(2025, 6, 2, 11, 0, tzinfo=jakarta),
                                is_secret=True)
    return open_case, closed_case, secret


SPEC_QUERY = "start_date=2025-05-24T00:00:00Z&end_date=2025-06-24T00:00:00Z&jurisdiction_id=city.gov"


def test_get_requests_xml_as_in_the_spec(client, cases):
    open_case, _closed_case, _secret = cases
    root = xml(client.get(f"{BASE}/requests.xml?{SPEC_QUERY}&status=open"))
    requests = root.findall("request")
    assert [r.findtext("service_request_id") for r in requests] == [open_case.public_id]
    r = requests[0]
    assert [c.tag for c in r] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url"]
    assert r.findtext("status") == "open"
    assert r.findtext("service_code") == "sip_bidan"
    assert r.findtext("requested_datetime") == "2025-05-26T09:00:00+07:00"
    assert r.findtext("expected_datetime").startswith(open_case.due_on.isoformat())
    # No personal data: name, NIK, phone and e-mail in the text are removed (core.redaction).
    description = r.findtext("description")
    for secret in ("Ayunda", "Rahmi", "1403024104900003", "0878-6374", "ayunda@", "contoh.id"):
        assert secret not in description
    assert description == ("Saya [dihapus] (NIK [dihapus], HP [dihapus], [dihapus]): SIP bidan "
                           "belum terbit.")


def test_get_requests_json_status_mapping(client, cases):
    open_case, closed_case, _secret = cases
    body = client.get(f"{BASE}/requests.json?{SPEC_QUERY}").json()
    by_id = {r["service_request_id"]: r for r in body}
    assert set(by_id) == {open_case.public_id, closed_case.public_id}  # secret hidden
    closed = by_id[closed_case.public_id]
    assert closed["status"] == "closed"  # answered is a settled state
    assert closed["status_notes"] == "OSS diurus di oss.go.id."
    assert closed["updated_datetime"] == "2025-06-03T10:00:00+07:00"
    assert by_id[open_case.public_id]["status"] == "open"
    closed_only = client.get(f"{BASE}/requests.json?{SPEC_QUERY}&status=closed").json()
    assert [r["service_request_id"] for r in closed_only] == [closed_case.public_id]


def test_get_requests_filters(client, cases):
    open_case, closed_case, secret = cases
    ids = lambda q: [r["service_request_id"] for r in  # noqa: E731
                     client.get(f"{BASE}/requests.json?{q}").json()]
    assert ids(f"service_request_id={closed_case.public_id},{secret.public_id}") == [
        closed_case.public_id]
    assert ids(f"{SPEC_QUERY}&service_code=sip_bidan") == [open_case.public_id]
    assert ids("start_date=2025-06-01T00:00:00%2B07:00") == [closed_case.public_id]
    # Without dates: the most recent 90 days (these cases are older).
    assert ids("") == []


@pytest.mark.parametrize("query", [
    "start_date=yesterday", "start_date=2025-01-01T00:00:00", "status=pending",
    "start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z",
])
def test_get_requests_bad_arguments_are_400(client, office, query):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_get_one_request(client, cases):
    _open, closed_case, secret = cases
    root = xml(client.get(f"{BASE}/requests/{closed_case.public_id}.xml"
                          "?jurisdiction_id=city.gov"))
    assert root.tag == "service_requests"
    assert root.find("request").findtext("status") == "closed"
    body = client.get(f"{BASE}/requests/{closed_case.public_id}.json").json()
    assert len(body) == 1 and body[0]["service_request_id"] == closed_case.public_id
    for missing in (secret.public_id, "638344"):
        response = client.get(f"{BASE}/requests/{missing}.json")
        assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_posted_request_is_readable_with_its_location(client, office, api_key):
    created = client.post(f"{BASE}/requests.json", spec_post_body(api_key),
                          content_type=FORM).json()[0]
    body = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()[0]
    assert body["lat"] == pytest.approx(37.76524078)
    assert body["long"] == pytest.approx(-122.4212043)
    assert body["address"] == "1234 5th street"
    assert body["media_url"].endswith("2212426634_5ed477a060.jpg")
    assert "smith" not in str(body) and "smit333" not in str(body)


def test_unsupported_format_and_method(client, office):
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 400 and xml(response).tag == "errors"
    assert client.delete(f"{BASE}/requests.json").status_code == 405


def test_discovery(client, office):
    body = client.get("/api/open311/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/api/open311/v2")
    assert "text/xml" in endpoint["formats"]
    assert xml(client.get("/api/open311/discovery.xml")).tag == "discovery"
    # The services list answers at the discovered URL.
    assert client.get(endpoint["url"].split("testserver")[1] + "/services.json").status_code \
        == 200


def test_closing_a_case_shows_closed(client, office, officer, api_key):
    created = client.post(f"{BASE}/requests.json", spec_post_body(api_key),
                          content_type=FORM).json()[0]
    complaint = Complaint.objects.get(public_id=created["service_request_id"])
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    url = f"{BASE}/requests/{complaint.public_id}.json"
    assert client.get(url).json()[0]["status"] == "open"
    services.complaint_respond(complaint_id=complaint.pk, actor=officer, response="Selesai.")
    assert client.get(url).json()[0]["status"] == "open"  # responded is not settled
    services.complaint_close(complaint_id=complaint.pk, actor=officer)
    assert client.get(url).json()[0]["status"] == "closed"


def test_control_characters_never_break_the_xml(client, office):
    register_complaint(office, received=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
                       description="Teks dari SMS\x01\x0b dengan karakter kendali")
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.find("request").findtext("description") == \
        "Teks dari SMS dengan karakter kendali"


def test_request_list_query_count_does_not_grow(client, office, django_assert_max_num_queries):
    for _ in range(6):
        register_complaint(office, received=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    with django_assert_max_num_queries(4):
        body = client.get(f"{BASE}/requests.json").json()
    assert len(body) == 6


def test_guessing_api_keys_is_rate_limited_per_address(client, office, settings):
    settings.ADUAN_API_RATE_LIMITS = {"open311_read": (3, 60)}
    statuses = [client.post(f"{BASE}/requests.json", spec_post_body(f"tebak-{i}"),
                            content_type=FORM).status_code for i in range(5)]
    assert statuses == [403, 403, 403, 429, 429]


# --- Public ids and identity-protected cases (issue 11) ----------------------------------------


def test_requests_are_named_by_public_id_and_a_tracking_code_is_no_request_id(client, office,
                                                                             api_key):
    created = client.post(f"{BASE}/requests.json", spec_post_body(api_key),
                          content_type=FORM).json()[0]
    complaint = Complaint.objects.get(public_id=created["service_request_id"])
    assert complaint.tracking_code not in str(created)
    listed = client.get(f"{BASE}/requests.json").content.decode()
    assert complaint.public_id in listed and complaint.tracking_code not in listed
    for missing in (complaint.tracking_code, complaint.tracking_code.replace("-", "")):
        assert client.get(f"{BASE}/requests/{missing}.json").status_code == 404
        assert client.get(f"{BASE}/requests.json?service_request_id={missing}").json() == []


def test_a_confidential_reporters_case_shows_no_text_place_or_unit(client, office, api_key):
    unit = office.units.order_by("pk").first()
    complaint = register_complaint(
        office, received=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
        reporter=ReporterInput(name="Siti Aminah", phone="081234567890", is_confidential=True,
                               consent=True),
        location="Desa Teluk Latak RT 02",
        description="Pungutan liar oleh petugas loket di kecamatan saya.")
    Complaint.objects.filter(pk=complaint.pk).update(unit=unit, response_text="Sudah ditindak.")
    for fmt in ("json", "xml"):
        text = client.get(f"{BASE}/requests/{complaint.public_id}.{fmt}").content.decode()
        assert complaint.public_id in text
        for leak in ("Pungutan", "Teluk Latak", "Sudah ditindak", unit.name, "Siti",
                     complaint.tracking_code):
            assert leak not in text, (fmt, leak)
    body = client.get(f"{BASE}/requests/{complaint.public_id}.json").json()[0]
    assert body["agency_responsible"] == office.name
    assert body["description"] is None and body["address"] is None

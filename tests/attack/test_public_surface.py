"""The public surface attacked from outside, over real HTTP against the running app (issue 11).

An attacker without an account crawls everything reachable without login: the portal pages,
the statistics (HTML, CSV, JSON), Open311 (discovery, services, requests in JSON and XML,
each request on its own), the public REST API and its OpenAPI description, and every URL the
URL configuration serves without parameters. From all of it (bodies and headers) they collect
every token-like string and try each, in the spellings a lookup accepts, against every
reporter action (portal lookup, satisfaction, reopen, rating; API status, satisfaction,
reopen) and as the signed receipt link. None may succeed, and no case may change.

The same harness then proves it could have noticed: the reporter's real code and receipt,
sent the same way, do succeed. Rate limits are switched off for the run (they would only
slow the attacker down; what is tested here is that nothing public is a credential).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from urllib.parse import quote, unquote, urljoin, urlsplit

import httpx
import pytest
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver

from aduan.api.services import open311_client_create
from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.complaints.services import (
    Checklist,
    ReporterInput,
    complaint_register,
    complaint_respond,
    complaint_verify,
)
from aduan.ikm.models import ServiceRating
from aduan.offices.models import ChannelKind
from aduan.portal import throttle

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# What a credential could look like: 8+ characters of the URL-safe and signing alphabets with
# a digit in them, or 12+ without (random tokens of our formats always qualify).
TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:\-]{7,199}")
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
RECEIPT_SALT = "aduan.portal.receipt"
ACTION_KINDS = (EventKind.SATISFACTION_CONFIRMED, EventKind.REOPENED, EventKind.RATED)
# Identity the public must never see (the reporters below); 3+ characters each.
IDENTITY = ("Rahmi", "Ayunda", "Sulastri", "Wibowo", "Darmawan", "rahmi.ayunda@contoh.id",
            "sulastri.w@contoh.id", "085156791234", "5679-1234", "081377001122",
            "1403021104907328", "1403025505880001", "Jl. Perwira 7", "Gang Mawar 12")


def _token_like(text: str) -> set[str]:
    found = set()
    for match in TOKEN.findall(text):
        token = match.strip(".:-")
        for piece in {token, *re.split(r"[.:]", token)}:
            if len(piece) >= 12 or (len(piece) >= 8 and any(ch.isdigit() for ch in piece)):
                found.add(piece)
    return found


def _spellings(token: str) -> set[str]:
    """The token and what a lookup would also read it as (case, separators)."""
    bare = token.replace("-", "")
    return {token, token.upper(), token.lower(), bare, bare.upper(), bare.lower()}


# --- The victims ------------------------------------------------------------------------------


@pytest.fixture
def victims(office, officer, settings):
    """Cases of every kind of reporter, in states where every reporter action is allowed."""
    settings.SECRET_KEY = secrets.token_urlsafe(50)  # not the repository's test key
    channel = office.channels.get(kind=ChannelKind.WEB)
    unit = office.units.order_by("pk").first()

    def case(reporter: ReporterInput, *, respond: bool = True, **kwargs) -> Complaint:
        complaint = complaint_register(
            office=office, channel=channel, subject=kwargs.pop("subject", "SIP belum terbit"),
            description=kwargs.pop("description", "Sudah dua minggu menunggu."),
            reporter=reporter, **kwargs)
        if respond:
            complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
            complaint_respond(complaint_id=complaint.pk, actor=officer,
                              response="Izin sudah terbit; silakan unduh.")
        complaint.refresh_from_db()
        return complaint

    named = case(ReporterInput(
        name="Rahmi Ayunda", nik="1403021104907328", phone="085156791234",
        email="rahmi.ayunda@contoh.id", address="Jl. Perwira 7", consent=True),
        description="Saya Rahmi Ayunda (HP 0851-5679-1234, rahmi.ayunda@contoh.id) menunggu.")
    confidential = case(ReporterInput(
        name="Sulastri Wibowo", nik="1403025505880001", phone="081377001122",
        email="sulastri.w@contoh.id", address="Gang Mawar 12", is_confidential=True,
        consent=True), description="Pungutan oleh petugas loket; saya Sulastri Wibowo.")
    Complaint.objects.filter(pk=confidential.pk).update(unit=unit)
    anonymous = case(ReporterInput(is_anonymous=True),
                     description="Antrean loket tidak tertib setiap Senin.")
    secret = case(ReporterInput(name="Darmawan", phone="081377001199", consent=True),
                  is_secret=True, description="Laporan rahasia Darmawan.")
    legacy = case(ReporterInput(is_anonymous=True), description="Kasus lama.")
    Complaint.objects.filter(pk=legacy.pk).update(tracking_code=secrets.token_urlsafe(12))
    unanswered = case(ReporterInput(is_anonymous=True), respond=False)
    cases = [Complaint.objects.get(pk=c.pk) for c in
             (named, confidential, anonymous, secret, legacy, unanswered)]
    _client, api_key = open311_client_create(office=office, name="Aplikasi mitra")
    return {"cases": cases, "unit": unit, "api_key": api_key}


@pytest.fixture
def no_limits(settings):
    settings.ADUAN_PORTAL_TRACK_LIMIT = None
    settings.ADUAN_PORTAL_SUBMIT_LIMIT = None
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    settings.ADUAN_API_RATE_LIMITS = dict.fromkeys(
        ("submit", "track", "track_code", "reporter_action", "reporter_action_code",
         "open311_read", "open311_post"), (10**9, 60))


# --- The crawl --------------------------------------------------------------------------------


def _parameterless_paths(patterns=None, prefix: str = "") -> Iterator[str]:
    """Every path the URL configuration serves that needs no parameter."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if "<" not in route and "(?P" not in route:
                yield from _parameterless_paths(entry.url_patterns, prefix + route.lstrip("^"))
        elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
            path = prefix + route.lstrip("^").rstrip("$").replace("\\", "")
            if not any(ch in path for ch in "()[]*+?{}|"):
                yield "/" + path


def _crawl(base: str, http: httpx.Client, open311_ids: list[str]) -> dict[str, str]:
    """GET everything public; the body and headers of each 2xx/3xx answer, by URL."""
    seeds = ["/", "/robots.txt", "/sitemap.xml", "/favicon.ico",
             "/api/v1/openapi.json", "/api/v1/docs", "/statistik/data.csv",
             "/statistik/data.json", "/informasi/?q=izin",
             "/api/v1/service-types", "/api/open311/discovery.json",
             "/api/open311/discovery.xml", "/api/open311/v2/services.json",
             "/api/open311/v2/services.xml", "/api/open311/v2/requests.json",
             "/api/open311/v2/requests.xml",
             "/api/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z"
             "&end_date=2000-03-01T00:00:00Z",
             *(f"/api/open311/v2/requests/{i}.{fmt}" for i in open311_ids
               for fmt in ("json", "xml")),
             *_parameterless_paths()]
    seen: dict[str, str] = {}
    queue = list(dict.fromkeys(seeds))
    while queue:
        url = queue.pop(0)
        if url in seen or len(seen) > 400:
            continue
        response = http.get(base + url)
        text = "\n".join([response.text, *(f"{k}: {v}" for k, v in response.headers.items())])
        seen[url] = text
        if response.status_code >= 400 or "html" not in response.headers.get("content-type", ""):
            continue
        for link in LINK.findall(response.text):
            target = urlsplit(urljoin(base + url, unescape(link)))
            if target.netloc != urlsplit(base).netloc or target.path.startswith("/static/"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path not in seen and not path.startswith(("/desk/", "/admin/", "/akun/")):
                queue.append(path)
    return seen


# --- The attempts -----------------------------------------------------------------------------


class Reporter:
    """Everything a reporter can do with a code or receipt, as raw HTTP requests; each method
    says whether the attempt succeeded."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(timeout=30)
        page = self.http.get(f"{base}/lacak/")
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def close(self) -> None:
        self.http.close()

    def _portal(self, path: str, data: dict[str, str]) -> httpx.Response:
        return self.http.post(f"{self.base}{path}", data={"csrfmiddlewaretoken": self.csrf,
                                                          **data})

    def attempts(self, code: str) -> dict[str, httpx.Response]:
        api = f"{self.base}/api/v1/complaints/{quote(code, safe='')}"
        ratings = {f"u{i}": "4" for i in range(1, 10)}
        return {
            "portal lookup": self._portal("/lacak/", {"code": code}),
            "portal rating": self._portal("/lacak/nilai/",
                                          {"code": code, "comment": "", **ratings}),
            "portal satisfied": self._portal("/lacak/puas/", {"code": code, "agree": "on"}),
            "portal reopen": self._portal("/lacak/tidak-puas/",
                                          {"code": code, "reason": "Belum selesai."}),
            "api status": self.http.get(api),
            "api satisfied": self.http.post(f"{api}/satisfaction", json={"statement": ""}),
            "api reopen": self.http.post(f"{api}/reopen", json={"reason": "Belum selesai."}),
            "receipt": self.http.get(f"{self.base}/pengaduan/terkirim/",
                                     params={"r": code}),
        }


def _succeeded(name: str, response: httpx.Response) -> bool:
    if response.status_code in (200, 201):
        return True
    # The portal shows a case (and its forms) only for a valid code.
    return name.startswith("portal") and 'id="case-title"' in response.text


def _submit_as_reporter(base: str) -> tuple[str, str]:
    """A reporter sends the web form; returns their receipt path and tracking code."""
    with httpx.Client(timeout=30) as http:
        return _submit_form(base, http)


def _submit_form(base: str, http: httpx.Client) -> tuple[str, str]:
    page = http.get(f"{base}/pengaduan/kirim/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = http.post(f"{base}/pengaduan/kirim/", data={
        "csrfmiddlewaretoken": csrf, "name": "Rahmi Ayunda", "phone": "085156791234",
        "email": "rahmi.ayunda@contoh.id", "subject": "Izin reklame belum terbit",
        "description": "Sudah sebulan menunggu.", "consent": "on", "website": "",
        "form_token": throttle.form_token()})
    assert response.status_code == 302, response.text[:2000]
    receipt = response.headers["location"]
    code = re.search(r'id="tracking-code"[^>]*>([^<]+)<', http.get(base + receipt).text).group(1)
    return receipt, code


@pytest.fixture
def quiet_logs():
    """One log line per attempt would cost more than the attempt: the 404s are expected."""
    loggers = [logging.getLogger(name) for name in ("httpx", "django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def clients() -> Iterator[list]:
    """HTTP clients closed at the end (an open keep-alive connection keeps a server thread,
    and its database connection, alive past the test)."""
    opened: list = []
    yield opened
    for client in opened:
        client.close()


def test_nothing_public_works_as_a_reporters_credential(live_server, victims, no_limits,
                                                        quiet_logs, clients):
    base = live_server.url
    cases = victims["cases"]
    # A partner application files a case through Open311 (it holds an api_key; we do not).
    created = httpx.post(f"{base}/api/open311/v2/requests.json", data={
        "api_key": victims["api_key"], "service_code": "sip_bidan",
        # The place of the problem (published, as GeoReport intends), not the reporter's home.
        "address_string": "Kantor Camat Bantan", "description": "Saya Rahmi Ayunda, HP 085156791234.",
        "first_name": "Rahmi", "last_name": "Ayunda", "phone": "085156791234"}).json()
    assert created[0]["service_request_id"] == Complaint.objects.latest("pk").public_id
    receipt, submitted_code = _submit_as_reporter(base)
    everything = [*Complaint.objects.all()]
    before = {c.pk: (c.status, c.updated_at) for c in everything}

    http = httpx.Client(timeout=30)
    clients.append(http)
    corpus = _crawl(base, http, [c.public_id for c in everything])
    text = "\n".join(corpus.values())
    # The crawl reached the feeds: every non-secret case is listed by its public id.
    for complaint in everything:
        assert (complaint.public_id in text) is (not complaint.is_secret), complaint
    assert corpus["/statistik/data.csv"].count("\n") > 5

    # Nothing public is, or contains, a credential or an identity.
    for complaint in everything:
        for spelling in _spellings(complaint.tracking_code):
            assert spelling not in text, f"tracking code of {complaint} is public"
    assert receipt.split("r=")[1] not in text
    for fragment in IDENTITY:
        leaks = [url for url, body in corpus.items() if fragment.lower() in body.lower()]
        assert not leaks, f"{fragment!r} is public at {leaks}"
    # The unit handling the confidential reporter's case (the only case with a unit) is not
    # named with it (the unit list of the services is public, and tied to no case).
    unit_leaks = [url for url, body in corpus.items()
                  if "/requests" in url and victims["unit"].name in body]
    assert not unit_leaks

    # Every token-like string, in every spelling, against every reporter action.
    tokens = _token_like(unquote(text))
    assert len(tokens) > 50
    reporters = [Reporter(base) for _ in range(3)]
    clients.extend(reporters)

    def attack(job: tuple[int, str]) -> list[str]:
        index, token = job
        answers = reporters[index % len(reporters)].attempts(token)
        return [f"{name} with {token!r}: {r.status_code}" for name, r in answers.items()
                if _succeeded(name, r) or r.status_code == 429 or r.status_code >= 500]

    with ThreadPoolExecutor(max_workers=3) as pool:
        successes = [hit for hits in pool.map(attack, enumerate(sorted(tokens))) for hit in hits]
    assert successes == []

    # A receipt forged with anything public (or the repository's keys) is refused.
    keys = ["change-me", "dev-insecure-aduan-key-change-me-in-production",
            "test-secret-key-not-for-production-0123456789", *sorted(tokens)[:200]]
    for key in keys:
        forged = signing.dumps(cases[0].pk, key=key, salt=RECEIPT_SALT)
        assert http.get(f"{base}/pengaduan/terkirim/", params={"r": forged}).status_code == 404

    # No case changed, and no reporter action was recorded.
    assert {c.pk: (c.status, c.updated_at) for c in Complaint.objects.all()} == before
    assert not CaseEvent.objects.filter(kind__in=ACTION_KINDS).exists()
    assert not ServiceRating.objects.exists()

    # The harness would have noticed: the real credentials work through the same requests.
    named = cases[0]
    assert _succeeded("portal lookup", reporters[0].attempts(named.tracking_code.lower())[
        "portal lookup"])
    assert http.get(base + receipt).status_code == 200
    assert _succeeded("api status", http.get(
        f"{base}/api/v1/complaints/{submitted_code.replace('-', ' ').lower()}"))
    legacy = cases[4]
    assert http.get(f"{base}/api/v1/complaints/{legacy.tracking_code}").status_code == 200
    assert set(named.events.filter(kind__in=ACTION_KINDS).values_list("kind", flat=True)) == {
        EventKind.SATISFACTION_CONFIRMED, EventKind.REOPENED, EventKind.RATED}

"""The complaint form shown again from the memoised skeleton (pagecache.refill_page, issue 17):
for a submission refused by a rate limit (429) and for a form token posted too fast (422), the
page equals the full render of the bound form (only the CSRF and a fresh form token told apart)
for generated values, in both languages, on a single office's and an office's path."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.offices.models import Channel, ChannelKind, Office, ServiceType, Unit
from aduan.portal import pagecache, throttle

pytestmark = pytest.mark.django_db

SINGLE = "/pengaduan/kirim/"
OFFICE_PATH = "/instansi/dlh/pengaduan/kirim/"

# Free text with what an escaper can get wrong, and anything else but NUL (refused by every
# CharField) and lone surrogates (not UTF-8).
_free = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                max_size=30)
_tricky = st.sampled_from(['<b>"x"</b>', "O'Brien & <Co>", "{{ form }}{% csrf_token %}",
                           "&amp; &lt;", "a\r\nb", "\n", "\r\n\r\nsatu", "é 你好 🙂", "\t "])
TEXT = st.lists(st.one_of(_tricky, _free), max_size=3).map("".join)
BOX = st.sampled_from([None, "on", "true", "false", "0", ""])


@st.composite
def values(draw: st.DrawFn) -> dict[str, object]:
    """A valid submission's fields (valid, so only a limit or the token refuses it)."""
    anonymous = draw(st.sampled_from([None, "on", "true"]))
    email = draw(st.sampled_from(["", "ayunda@example.org", "o'brien+x@example.org"]))
    phone = draw(st.sampled_from(["0851-5679-1234", " +62 812 6861 0005 ", ""]
                                 if email else ["0851-5679-1234", "081268610005"]))
    return {
        "name": draw(st.sampled_from(["Rahmi", " <i>Rahmi</i>", '"Ayu"'])) + draw(TEXT),
        "nik": draw(st.sampled_from(["", "1403021104907328", " 1403 0211 0490 7328 "])),
        "address": draw(st.sampled_from(["", "\n", "\r\n"])) + draw(TEXT),
        "occupation": draw(TEXT), "phone": phone, "email": email,
        "company_name": draw(TEXT), "subject": draw(TEXT),
        "description": draw(st.sampled_from(["", "\n", "\r\n  "])) + "Isi " + draw(TEXT),
        "service_type": draw(st.integers(-1, 3)),
        "is_anonymous": anonymous, "is_confidential": draw(BOX),
        "consent": draw(st.sampled_from(["on", "true", "1"])),
        "website": draw(st.sampled_from([None, ""])),
    }


def _normalised(html: str) -> str:
    html = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": "CSRF"', html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"',
                  'name="csrfmiddlewaretoken" value="CSRF"', html)
    return re.sub(r'name="form_token" value="[^"]+"', 'name="form_token" value="TOKEN"', html)


@pytest.fixture
def dlh(office: Office) -> Office:
    """A second office, so the instance serves offices under /instansi/<code>/."""
    dlh = Office.objects.create(
        code="dlh", name="Dinas Lingkungan Hidup", short_name="DLH",
        government_name="PEMERINTAH KABUPATEN BENGKALIS", city="Bengkalis",
        register_number_pattern="600/{seq}/DLH/{year}")
    unit = Unit.objects.create(office=dlh, code="tim", name="Tim Pengaduan",
                               is_complaint_team=True)
    Channel.objects.create(office=dlh, code="website", name="Situs web", kind=ChannelKind.WEB)
    for code, name in [("amdal", "Persetujuan <AMDAL> & \"UKL\""), ("pbg", "PBG")]:
        ServiceType.objects.create(office=dlh, code=code, name=name, default_unit=unit)
    return dlh


def _post(client: Client, url: str, data: dict[str, object], language: str):  # type: ignore[no-untyped-def]
    return client.post(url, {k: v for k, v in data.items() if v is not None},
                       HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("where", ["single", "office_path"])
@pytest.mark.parametrize("refusal", ["limited", "too_fast"])
def test_the_refilled_page_equals_the_full_render(request, office, settings_fixture_for,
                                                  language, where, refusal):
    url = SINGLE
    if where == "office_path":
        request.getfixturevalue("dlh")
        url = OFFICE_PATH
    settings_fixture_for(refusal)
    target = Office.objects.get(code="dlh") if where == "office_path" else office
    types = [str(pk) for pk in ServiceType.objects.filter(
        office=target, is_active=True).order_by("name").values_list("pk", flat=True)]
    assert types
    client = Client()
    client.get(url)  # the CSRF cookie, as a browser has it
    pagecache.clear()

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values())
    def check(fields: dict[str, object]) -> None:
        index = fields["service_type"]
        data = {**fields, "service_type": "" if index == -1 else types[index % len(types)],
                "form_token": throttle.form_token()}
        built = bool(pagecache._refills)
        cheap = _post(client, url, data, language)
        with mock.patch.object(pagecache, "refill_page", return_value=None):
            full = _post(client, url, data, language)
        status = 429 if refusal == "limited" else 422
        assert cheap.status_code == full.status_code == status, full.content.decode()[:3000]
        assert pagecache._refills and None not in pagecache._refills.values()
        if built:
            assert cheap.templates == []  # from the skeleton, not the template
        assert _normalised(cheap.content.decode()) == _normalised(full.content.decode())
        for header in ("Content-Type", "Vary", "Cache-Control", "Content-Language"):
            assert cheap.get(header) == full.get(header), header
        if refusal == "limited":
            assert abs(int(cheap["Retry-After"]) - int(full["Retry-After"])) <= 1
        else:
            assert "Retry-After" not in cheap
            # A fresh form token, valid once the minimum time has passed.
            token = re.search(r'name="form_token" value="([^"]+)"',
                              cheap.content.decode()).group(1)
            assert token != data["form_token"] and throttle.form_token_nonce(token)

    check()


@pytest.fixture
def settings_fixture_for(settings):  # type: ignore[no-untyped-def]
    def apply(refusal: str) -> None:
        if refusal == "limited":
            settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
            settings.ADUAN_RATE_LIMITS = {"web_submit": (0, 3600)}
        else:
            settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 3600

    return apply


def test_the_refused_page_keeps_what_the_reporter_typed(client, office, settings):
    """A plain reading of one refused page, besides the comparison above."""
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    settings.ADUAN_RATE_LIMITS = {"web_submit": None, "submit_contact": (0, 3600)}
    chosen = ServiceType.objects.filter(office=office, is_active=True).order_by("name").last()
    data = {"name": 'Rahmi "Ayu" <b>', "phone": "081268610005", "email": "",
            "address": "\nJl. Perwira\r\nBengkalis", "description": "Isi & <script>",
            "service_type": str(chosen.pk), "is_confidential": "on", "consent": "on",
            "form_token": throttle.form_token()}
    for _ in range(2):  # the first renders the skeleton, the second uses it
        response = client.post(SINGLE, data)
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        # The reporter's personal data on the page: no cache keeps it.
        assert response["Cache-Control"] == "no-store"
    assert response.templates == []
    html = response.content.decode()
    assert 'value="Rahmi &quot;Ayu&quot; &lt;b&gt;"' in html
    assert ">\n\nJl. Perwira\r\nBengkalis</textarea>" in html
    assert "Isi &amp; &lt;script&gt;</textarea>" in html
    assert f'<option value="{chosen.pk}" selected>' in html
    assert html.count(" selected>") == 1
    assert re.search(r'<input type="checkbox" name="is_confidential"[^>]* checked>', html)
    assert not re.search(r'<input type="checkbox" name="is_anonymous"[^>]* checked>', html)
    assert f'name="form_token" value="{data["form_token"]}"' in html
    assert "Terlalu banyak pengaduan" in html and re.search(r"dalam \d+ menit", html)
    assert "Pengaduan belum terkirim." in html
    csrf = client.cookies["csrftoken"].value
    assert csrf  # the page's token is the visitor's own (the next POST is accepted)
    settings.ADUAN_RATE_LIMITS = {"web_submit": None, "submit_contact": None}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    accepted = strict.post(SINGLE, {**data, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302


def test_the_refill_memo_is_bounded(client, office, settings):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    settings.ADUAN_RATE_LIMITS = {"web_submit": (0, 3600)}
    data = {"name": "Rahmi", "phone": "081268610005", "description": "Isi", "consent": "on"}
    for i in range(pagecache.FORM_ENTRIES * 2):
        response = client.post(f"{SINGLE}?from={i}", {**data, "form_token": throttle.form_token()})
        assert response.status_code == 429
        assert 0 < len(pagecache._refills) <= pagecache.FORM_ENTRIES


def test_a_visitor_with_a_session_gets_the_full_render(client, office, officer, settings):
    from aduan.accounts.testing import login_verified

    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    settings.ADUAN_RATE_LIMITS = {"web_submit": (0, 3600)}
    login_verified(client, officer)
    data = {"name": "Rahmi", "phone": "081268610005", "description": "Isi", "consent": "on"}
    for _ in range(2):
        response = client.post(SINGLE, {**data, "form_token": throttle.form_token()})
        assert response.status_code == 429
        assert [t.name for t in response.templates][:1] == ["portal/submit.html"]
    assert not pagecache._refills


class _EmptiedAfterTheCheck(dict):  # type: ignore[type-arg]
    """The refill memo as a gthread worker's other thread can leave it: emptied (full, by a
    refusal under another path) right after this thread saw the key in it."""

    def __contains__(self, key: object) -> bool:
        found = super().__contains__(key)
        self.clear()
        return found


def test_a_memo_emptied_by_another_thread_still_answers(client, office, settings, monkeypatch):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    settings.ADUAN_RATE_LIMITS = {"web_submit": (0, 3600)}
    data = {"name": "Rahmi", "phone": "081268610005", "description": "Isi", "consent": "on"}
    memo = _EmptiedAfterTheCheck()
    monkeypatch.setattr(pagecache, "_refills", memo)
    for _ in range(3):  # the first builds the skeleton, the others find it, then lose it
        response = client.post(SINGLE, {**data, "form_token": throttle.form_token()})
        assert response.status_code == 429
        assert 'value="Rahmi"' in response.content.decode()

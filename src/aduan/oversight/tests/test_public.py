"""The public statistics of the whole regency: the figures each office's own page publishes,
one row per active office, with nothing of a case."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.offices.models import Office
from aduan.oversight.selectors import regency_public_stats
from aduan.oversight.tests.test_http import SECRETS
from aduan.portal.selectors import public_stats

pytestmark = pytest.mark.django_db


def _own(office: Office, year: int | None) -> dict:
    own = public_stats(office, year)
    return {"total": own.total, "settled": own.settled, "in_process": own.in_process,
            "settled_within_deadline": own.settled_within_deadline,
            "share_within_deadline_percent": own.share_within_deadline,
            "ikm": None if own.ikm is None or own.ikm.ikm is None else float(own.ikm.ikm),
            "ikm_respondents": own.ikm.respondents if own.ikm else 0}


@pytest.mark.parametrize("year", [2025, 2024, None])
def test_each_row_is_what_the_offices_own_page_publishes(regency, year):
    stats = regency_public_stats(year)
    assert [r.code for r in stats.rows] == ["dinas-a", "dinas-b", "dinas-c"]
    for row in stats.rows:
        published = row.as_dict()
        assert {k: published[k] for k in _own(Office.objects.get(code=row.code), year)} == \
            _own(Office.objects.get(code=row.code), year)


def test_hand_computed_year(regency):
    rows = {r.code: r for r in regency_public_stats(2025).rows}
    assert (rows["dinas-a"].total, rows["dinas-a"].settled,
            rows["dinas-a"].share_within_deadline) == (4, 2, 50.0)
    assert (rows["dinas-b"].total, rows["dinas-b"].settled,
            rows["dinas-b"].share_within_deadline) == (4, 3, 100.0)
    assert rows["dinas-b"].ikm.respondents == 2
    assert rows["dinas-c"].share_within_deadline is None
    total = regency_public_stats(2025).total
    assert (total.total, total.settled, total.share_within_deadline) == (8, 5, 80.0)
    assert regency_public_stats(2024).total.total == 1  # A's case of December 2024
    assert regency_public_stats(None).total.total == 9


def test_page_csv_and_json(regency):
    client = Client()
    page = client.get(reverse("portal:statistics-regency"))
    assert page.status_code == 200
    body = page.content.decode()
    assert '<option value="2025" selected>' in body  # the newest year by default
    assert "Dinas A" in body and "Dinas D" not in body
    assert 'id="stat-total">8<' in body
    data = client.get(reverse("portal:statistics-regency-json"), {"tahun": "2025"}).json()
    assert data["year"] == 2025
    assert [o["code"] for o in data["offices"]] == ["dinas-a", "dinas-b", "dinas-c"]
    assert data["total"]["total"] == 8 and data["total"]["share_within_deadline_percent"] == 80.0
    text = client.get(reverse("portal:statistics-regency-csv"), {"tahun": "2025"}) \
        .content.decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("code,name,total,settled")
    assert lines[2].startswith("dinas-b,Dinas B,4,3,1,3,100.0,")
    for output in (body, json.dumps(data, ensure_ascii=False), text):
        for secret in SECRETS:
            assert secret not in output
    assert "regency-link" in client.get(reverse("portal:statistics")).content.decode()


def test_each_office_links_to_its_own_page_with_the_same_figures(regency):
    client = Client()
    body = client.get(reverse("portal:statistics-regency"), {"tahun": "2025"}).content.decode()
    for office, total, share in ((regency.a, "4", "50,0%"), (regency.b, "4", "100,0%"),
                                 (regency.c, "0", "–")):
        link = f'href="/instansi/{office.code}/statistik/?tahun=2025"'
        assert link in body
        own = client.get(f"/instansi/{office.code}/statistik/", {"tahun": "2025"})
        assert own.status_code == 200
        page = own.content.decode()
        assert f'id="stat-total">{total}<' in page
        assert f'id="stat-share">{share}<' in page
        row = body.split(f'data-key="{office.code}"')[1].split("</tr>")[0]
        assert f">{total}<" in row and f">{share}<" in row


def test_a_single_office_instance_has_no_regency_page(regency):
    Office.objects.exclude(pk=regency.a.pk).update(is_active=False)
    client = Client()
    response = client.get(reverse("portal:statistics-regency"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:statistics")
    assert client.get(reverse("portal:statistics-regency-csv")).status_code == 404
    assert client.get(reverse("portal:statistics-regency-json")).status_code == 404
    assert "regency-link" not in client.get(reverse("portal:statistics")).content.decode()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.one_of(st.text(max_size=8), st.integers(-10, 10_000).map(str)),
       name=st.sampled_from(["portal:statistics-regency", "portal:statistics-regency-csv",
                             "portal:statistics-regency-json"]))
def test_any_year_parameter_answers(regency, year, name):
    assert Client().get(reverse(name), {"tahun": year}).status_code == 200

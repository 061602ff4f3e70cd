"""Knowledge pages (stemmed search over FAQ and referral directory) and open statistics."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from aduan.complaints.services import (
    Checklist,
    ReporterInput,
    complaint_answer,
    complaint_register,
    complaint_verify,
)
from aduan.portal.models import FaqEntry
from aduan.portal.services import web_channel_for

pytestmark = pytest.mark.django_db


def test_home_shows_every_active_channel_with_contact_and_office_hours(client, portal_office):
    html = client.get("/").content.decode()
    for channel in portal_office.channels.filter(is_active=True):
        assert channel.name in html
        if channel.contact:
            assert channel.contact.replace("<", "&lt;").replace(">", "&gt;") in html
    assert portal_office.office_hours in html
    assert "Cara menyampaikan pengaduan" in html


def test_faq_lists_the_seeded_questions(client, portal_office):
    html = client.get(reverse("portal:faq")).content.decode()
    assert FaqEntry.objects.filter(office=portal_office).count() >= 10
    assert "e-Pinter" in html and "OSS" in html and "izin penelitian" in html.lower()


@pytest.mark.parametrize(("query", "expected_first"), [
    ("perpanjangan izin praktik bidan", "sip-online"),
    ("epinter tidak bisa dibuka", "epinter-error"),
    ("mengurus surat riset", "izin-penelitian"),
    ("jam berapa kantor buka", "jam-layanan"),
    ("toko obat", "oss-nib"),
])
def test_faq_search_uses_indonesian_stems(portal_office, query, expected_first):
    from aduan.portal.selectors import faq_search

    results = faq_search(portal_office, query)
    assert results and results[0].code == expected_first


def test_referral_directory_is_searchable(client, portal_office):
    html = client.get(reverse("portal:faq"), {"q": "kartu keluarga"}).content.decode()
    assert "Disdukcapil" in html or "Kependudukan" in html
    nothing = client.get(reverse("portal:faq"), {"q": "zzzqqq"}).content.decode()
    assert "Tidak ada jawaban yang cocok" in nothing


def test_search_answers_htmx_with_the_fragment_only(client, portal_office):
    response = client.get(reverse("portal:faq"), {"q": "oss"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "OSS" in html


def test_faq_edits_are_searchable_at_once(portal_office):
    from aduan.portal.selectors import faq_search

    FaqEntry.objects.create(office=portal_office, code="pbb", question="Pajak bumi?",
                            answer="Ke Bappenda.", keywords="perpajakan")
    assert faq_search(portal_office, "pajak")[0].code == "pbb"


@pytest.fixture
def some_cases(portal_office, officer):
    channel = web_channel_for(portal_office)
    cases = [complaint_register(office=portal_office, channel=channel, subject=f"S{i}",
                                description="Tanya", reporter=ReporterInput(
                                    name="Secret Person", phone="081234567890"))
             for i in range(3)]
    complaint_verify(complaint_id=cases[0].pk, actor=officer, checklist=Checklist())
    complaint_answer(complaint_id=cases[0].pk, actor=officer, answer="Dijawab.")
    return cases


def test_statistics_page_counts_by_channel_and_status(client, some_cases):
    html = client.get(reverse("portal:statistics")).content.decode()
    assert 'id="stat-total">3<' in html
    assert 'id="stat-settled">1<' in html
    assert 'id="stat-share">100,0%<' in html


def test_statistics_csv_and_json_are_open_data_without_personal_data(client, some_cases):
    year = some_cases[0].received_on.year
    data = client.get(reverse("portal:statistics-json"), {"tahun": year}).json()
    assert data["total"] == 3 and data["settled"] == 1 and data["in_process"] == 2
    assert data["share_within_deadline_percent"] == 100.0
    assert data["average_working_days_to_settle"] == 1.0
    assert {"code": "website", "label": "Website", "count": 3} in data["by_channel"]
    assert sum(m["count"] for m in data["by_month"]) == 3
    response = client.get(reverse("portal:statistics-csv"), {"tahun": year})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["dimension", "key", "label", "value"]
    assert ["summary", "total", "Jumlah pengaduan", "3"] in rows
    assert ["channel", "website", "Website", "3"] in rows
    for body in (response.content.decode(), json.dumps(data)):
        assert "Secret Person" not in body and "81234567890" not in body


def test_statistics_for_a_year_without_cases_are_zero(client, some_cases):
    data = client.get(reverse("portal:statistics-json"), {"tahun": "2001"}).json()
    assert data["total"] == 0 and data["share_within_deadline_percent"] is None

"""The desk's record form says what is optional, the location has no silent default, and
the verification note says when the reporter sees it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db


def test_location_is_not_filled_in_silently(office):
    complaint = register_complaint(office)
    assert complaint.location == ""
    complaint = register_complaint(office, location="Desa Sebauk")
    assert complaint.location == "Desa Sebauk"


def test_record_form_marks_optional_fields_and_describes_location(client_for, office):
    html = client_for("petugas").get(reverse("desk:complaint-record")).text
    assert "Lokasi kejadian (opsional)" in html
    assert "tidak diisi otomatis" in html
    assert "Nama perusahaan (opsional)" in html
    assert "Isi pengaduan (opsional)" not in html
    assert "kecuali pengaduan anonim" in html
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for value in re.findall(r'aria-describedby="([^"]+)"', html):
        assert set(value.split()) <= ids


def test_verification_note_says_when_the_reporter_sees_it(client_for, office):
    complaint = register_complaint(office)
    html = client_for("petugas").get(
        reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk})).text
    assert "tampil untuk pelapor pada riwayat pengaduan" in html

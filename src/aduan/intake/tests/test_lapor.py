"""SP4N-LAPOR!: the desk record form and the file import, with the LAPOR! limits shown."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.complaints.selectors import complaint_get_by_tracking_code
from aduan.core.exceptions import NotFound
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.tests.conftest import fixture_bytes

LAPOR = reverse("intake_desk:lapor")
IMPORT = reverse("intake_desk:lapor-import")


def form(**overrides):
    data = {"tracking_id": "LPR-2025-0100", "received_on": "2025-06-02",
            "classification": "complaint", "subject": "Izin PBG lama",
            "description": "PBG saya belum terbit sejak April.", "service_text": "PBG",
            "reporter_name": "Dewi", "phone": "081234500000", "email": "",
            "is_anonymous": "", "is_secret": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.django_db
def test_officer_records_a_lapor_report_with_its_tracking_id(client, office, officer):
    login_verified(client, officer)
    response = client.post(LAPOR, form())
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.lapor_tracking_id == "LPR-2025-0100"
    assert complaint.channel.kind == "lapor"
    assert complaint.service_type.code == "pbg_imb"
    assert complaint.received_on == dt.date(2025, 6, 2)
    # LAPOR! limit: verify and dispose within 3 working days (Tue-Thu after Mon 2 June 2025).
    assert complaint.verify_due_on == dt.date(2025, 6, 5)
    assert complaint.created_by == officer
    page = client.get(LAPOR).content.decode()
    assert "LPR-2025-0100" in page and complaint.register_number in page
    assert '<time datetime="2025-06-05">5 Juni 2025</time>' in page
    assert "3 hari kerja" in page


@pytest.mark.django_db
def test_anonim_keeps_no_identity_and_rahasia_hides_the_case(client, office, officer):
    login_verified(client, officer)
    client.post(LAPOR, form(tracking_id="LPR-A", is_anonymous="on", is_secret="on",
                            classification="aspiration"))
    complaint = Complaint.objects.get()
    assert complaint.reporter.is_anonymous and complaint.reporter.name == ""
    assert complaint.is_secret
    assert complaint.classification == "aspiration"
    with pytest.raises(NotFound):
        complaint_get_by_tracking_code(complaint.tracking_code)


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, message", [
    ({"tracking_id": "LPR bad id!"}, "ID laporan LAPOR! tidak valid"),
    ({"received_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
     "Tanggal tidak boleh di masa depan"),
    ({"description": ""}, "Bidang ini tidak boleh kosong"),
    ({"phone": "12"}, "Nomor telepon tidak valid"),
])
def test_bad_input_is_refused_with_a_clear_message_and_kept_in_the_form(
        client, office, officer, overrides, message):
    import re

    login_verified(client, officer)
    response = client.post(LAPOR, form(**overrides))
    assert response.status_code == 200
    assert re.search(message, response.content.decode())
    assert "PBG saya belum terbit" in response.content.decode() or "description" in overrides
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_a_tracking_id_is_recorded_once(client, office, officer):
    login_verified(client, officer)
    client.post(LAPOR, form())
    response = client.post(LAPOR, form())
    assert response.status_code == 200
    number = Complaint.objects.get().register_number
    assert f"sudah tercatat sebagai pengaduan {number}" in response.content.decode()


@pytest.mark.django_db
def test_only_the_complaint_team_may_record_or_import(client, office, unit_a_staff, head):
    for user in (unit_a_staff, head):
        login_verified(client, user)
        assert client.get(LAPOR).status_code == 403
        assert client.post(LAPOR, form()).status_code == 403
        assert client.post(IMPORT, {}).status_code == 403
    client.logout()
    assert client.get(LAPOR).status_code == 302
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_csv_export_is_imported_row_by_row(client, office, officer):
    login_verified(client, officer)
    client.post(LAPOR, form(tracking_id="LPR-2025-0003"))
    content = fixture_bytes("lapor", "export.csv")
    upload = io.BytesIO(content)
    upload.name = "lapor-maret.csv"
    response = client.post(IMPORT, {"file": upload})
    # The rows are imported by a background job; the officer lands on its progress page.
    assert response.status_code == 302 and "/impor/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "2 laporan dicatat, 1 sudah ada sebelumnya, 3 baris bermasalah." in page
    assert "Baris 5" in page and "31/02/2025" in page
    assert "Baris 6" in page and "isi wajib diisi" in page.lower()
    assert "Baris 7" in page and "Nomor telepon tidak valid" in page
    first = Complaint.objects.get(lapor_tracking_id="LPR-2025-0001")
    assert first.reporter.name == "Sri Wahyuni"
    assert first.service_type.code == "sip_bidan"
    info = Complaint.objects.get(lapor_tracking_id="LPR-2025-0002")
    assert info.classification == "information_request"
    assert info.reporter.is_anonymous
    assert info.received_on == dt.date(2025, 3, 4)
    kept = InboundMessage.objects.get(provider="lapor-import", subject="lapor-maret.csv")
    assert bytes(kept.raw) == content
    assert kept.parse_status == ParseStatus.NEEDS_REVIEW
    # Importing the same file again adds nothing.
    upload = io.BytesIO(content)
    upload.name = "lapor-maret.csv"
    again = client.post(IMPORT, {"file": upload}, follow=True).content.decode()
    assert "0 laporan dicatat, 3 sudah ada sebelumnya, 3 baris bermasalah." in again
    assert Complaint.objects.count() == 3


@pytest.mark.django_db
def test_xlsx_export_is_imported(client, office, officer):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID Laporan", "Tanggal Laporan", "Judul Laporan", "Isi Laporan", "Kategori",
                  "Nama Pelapor", "No HP", "Email", "Anonim", "Rahasia"])
    sheet.append(["LPR-X-1", dt.datetime(2025, 5, 20), "OSS error", "Tidak bisa login OSS",
                  "Pengaduan", "Tono", 81234511111, "", "Tidak", "Ya"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "ekspor.xlsx"
    login_verified(client, officer)
    page = client.post(IMPORT, {"file": out}, follow=True).content.decode()
    assert "1 laporan dicatat, 0 sudah ada sebelumnya, 0 baris bermasalah." in page
    complaint = Complaint.objects.get()
    assert complaint.reporter.phone == "+6281234511111"
    assert complaint.is_secret
    assert complaint.received_on == dt.date(2025, 5, 20)


@pytest.mark.django_db
@pytest.mark.parametrize("content, message", [
    (b"", "The submitted file is empty|kosong"),
    (b"judul;isi\nA;B\n", "Kolom wajib tidak ada: id_lapor, tanggal"),
    (b"PK\x03\x04garbage", "Berkas XLSX tidak dapat dibaca"),
])
def test_unusable_file_is_refused_with_a_message(client, office, officer, content, message):
    import re

    login_verified(client, officer)
    upload = io.BytesIO(content)
    upload.name = "x.csv"
    page = client.post(IMPORT, {"file": upload}).content.decode()
    assert re.search(message, page)
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_each_import_row_is_stored_before_it_is_read(client, office, officer):
    login_verified(client, officer)
    content = fixture_bytes("lapor", "export.csv")
    upload = io.BytesIO(content)
    upload.name = "lapor-april.csv"
    assert client.post(IMPORT, {"file": upload}).status_code == 302
    rows = InboundMessage.objects.filter(provider="lapor-import").exclude(data__kind="import")
    by_line = {r.data["line"]: r for r in rows}
    created = [r for r in rows if r.parse_status == ParseStatus.CREATED]
    assert len(created) == 3
    assert all(r.complaint_id and r.provider_message_id.startswith("LPR-") for r in created)
    bad = by_line[5]
    assert bad.parse_status == ParseStatus.QUARANTINED
    assert bad.error.startswith("Baris 5:") and "31/02/2025" in bytes(bad.raw).decode()
    assert {by_line[n].parse_status for n in (5, 6, 7)} == {ParseStatus.QUARANTINED}
    # Quarantined rows are in the officers' review list.
    page = client.get("/desk/saluran/").content.decode()
    assert "Baris 6:" in page


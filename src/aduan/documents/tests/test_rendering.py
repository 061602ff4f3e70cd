"""Rendering: Indonesian dates, everything from the Office row, safe text, real rasterising."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from aduan.complaints import services
from aduan.documents.builders.base import date_id
from aduan.documents.builders.complaint_form import build_complaint_form
from aduan.documents.data import ComplaintFormData, Letterhead, ReporterBlock
from aduan.documents.tests.conftest import at, pdf_lines, pdf_text, value_of


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2025, 1, 2), "2 Januari 2025"), (dt.date(2025, 2, 28), "28 Februari 2025"),
    (dt.date(2025, 4, 29), "29 April 2025"), (dt.date(2025, 5, 1), "1 Mei 2025"),
    (dt.date(2025, 8, 17), "17 Agustus 2025"), (dt.date(2025, 12, 31), "31 Desember 2025"),
])
def test_dates_use_indonesian_month_names(day, expected):
    assert date_id(day) == expected


@pytest.mark.django_db
def test_letterhead_and_signatures_come_from_the_office_row(office, walk_in, officer, lead,
                                                            fetch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office.government_name = "PEMERINTAH KOTA CONTOH"
    office.name = "Dinas Penanaman Modal dan PTSP Kota Contoh"
    office.city = "Contoh"
    office.address = "Jl. Merdeka No. 1"
    office.postal_code = "12345"
    office.phone = "0211234567"
    office.fax = "021-7654321"
    office.website = "dpmptsp.contoh.go.id"
    office.email = "dpmptsp@contoh.go.id"
    office.head_title = "KEPALA DINAS PENANAMAN MODAL DAN PTSP KOTA CONTOH"
    office.head_name = "Dr. ANI WIJAYA, M.Si"
    office.head_rank = "PEMBINA UTAMA MUDA (IV/c)"
    office.head_nip = "198001012005012001"
    logo = io.BytesIO()
    Image.new("RGB", (120, 150), (200, 30, 30)).save(logo, format="PNG")
    office.logo.save("logo.png", ContentFile(logo.getvalue()), save=False)
    office.save()
    case = walk_in()
    response = fetch(officer, "complaint-form", case)
    lines = pdf_lines(response.content)
    text = pdf_text(response.content)
    assert "Bengkalis" not in text and "BENGKALIS" not in text
    assert "PEMERINTAH KOTA CONTOH" in lines
    assert "Jl. Merdeka No. 1 Kode Pos 12345 No. Pelayanan 0211234567 Fax 021-7654321" in text
    assert "Website dpmptsp.contoh.go.id E-mail: dpmptsp@contoh.go.id" in text
    assert "Contoh, 28 April 2025" in lines
    assert "substansi Dinas Penanaman Modal dan PTSP Kota Contoh." in text
    # The logo is drawn in the kop surat.
    assert len(PdfReader(io.BytesIO(response.content)).pages[0].images) == 1
    # The head's signature block on a letter.
    services.complaint_verify(complaint_id=case.pk, actor=officer,
                              checklist=services.Checklist(ktp_seen=True),
                              at=at(case.received_on, 10))
    services.complaint_respond(complaint_id=case.pk, actor=officer, response="Sudah selesai.",
                               at=at(case.received_on, 11))
    services.complaint_conclude(complaint_id=case.pk, actor=lead, proven=True,
                                conclusion="Terbukti terlambat.", at=at(case.received_on, 12))
    lines = pdf_lines(fetch(officer, "thank-you-letter", case).content)
    assert "Dr. ANI WIJAYA, M.Si" in lines
    assert "PEMBINA UTAMA MUDA (IV/c)" in lines
    assert "NIP. 198001012005012001" in lines
    assert "Contoh, 28 April 2025" in lines


@pytest.mark.django_db
def test_user_text_is_printed_literally(office, officer, fetch):
    case = services.complaint_register(
        office=office, channel=office.channels.get(code="meja_pengaduan"),
        subject="<b>Izin</b> & 'apotek' <font size=40>",
        description="Baris satu <br/> tetap teks\nBaris dua & <script>",
        reporter=services.ReporterInput(name="O'Neil <Budi>", phone="081234567890"),
        received_at=at(dt.date(2025, 4, 28), 9), created_by=officer)
    response = fetch(officer, "complaint-form", case)
    assert response.status_code == 200
    lines = pdf_lines(response.content)
    assert value_of(lines, "Nama") == "O'Neil <Budi>"
    assert value_of(lines, "Subjek pengaduan") == "<b>Izin</b> & 'apotek' <font size=40>"
    text = pdf_text(response.content)
    assert "Baris satu <br/> tetap teks\nBaris dua & <script>" in text


def test_pdf_is_a4_and_rasterises(tmp_path):
    """Poppler (the PDF renderer used to look at the documents) renders the blank form."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is required (make test installs it)"
    content = build_complaint_form(ComplaintFormData(
        letterhead=Letterhead(government_name="PEMERINTAH KABUPATEN CONTOH",
                              name="Dinas Contoh", city="Contoh"),
        register_number="", reporter=None))
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    source = tmp_path / "form.pdf"
    source.write_bytes(content)
    subprocess.run([pdftoppm, "-png", "-r", "60", str(source), str(tmp_path / "form")],
                   check=True, timeout=60)
    with Image.open(tmp_path / "form-1.png") as image:
        width, height = image.size
        assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
        # Not a blank page: the kop surat and the form put ink on it.
        assert image.convert("L").getextrema()[0] < 50


def test_a_very_long_complaint_continues_over_pages_without_losing_text():
    from aduan.documents.builders.follow_up_form import build_follow_up_form
    from aduan.documents.data import Entry, FollowUpFormData

    head = Letterhead(government_name="PEMERINTAH KABUPATEN CONTOH", name="Dinas Contoh",
                      city="Contoh")
    reporter = ReporterBlock(name="Budi", nik="", address="", phone="", email="",
                             is_masked=False, is_anonymous=False)
    sentence = "Berkas izin belum diproses walaupun sudah lengkap. "
    long_text = sentence * 390  # about 20,000 characters, the service's maximum
    form = build_complaint_form(ComplaintFormData(
        letterhead=head, register_number="1/2025", reporter=reporter, subject="Izin",
        description=long_text, received_on=dt.date(2025, 1, 2)))
    follow_up = build_follow_up_form(FollowUpFormData(
        letterhead=head, register_number="1/2025", received_on=dt.date(2025, 1, 2),
        channel="Website", classification="Pengaduan", status="Diterima", reporter=reporter,
        is_by_proxy=False, checklist=None, within_authority=None, meets_requirements=None,
        description=long_text,
        clarifications=[Entry(on=dt.date(2025, 1, 3), by="Staf", text=long_text)]))
    for content, copies in ((form, 390), (follow_up, 780)):
        reader = PdfReader(io.BytesIO(content))
        assert len(reader.pages) > 3
        text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
        # Counted word by word: page breaks fall inside sentences.
        assert text.count("Berkas") == copies
        assert text.count("walaupun") == copies


def test_emoji_and_letters_outside_the_font_do_not_print_as_boxes():
    reporter = ReporterBlock(name="Şükrü “Budi” 👍🏽", nik="", address="", phone="", email="",
                             is_masked=False, is_anonymous=False)
    content = build_complaint_form(ComplaintFormData(
        letterhead=Letterhead(government_name="PEMERINTAH KABUPATEN CONTOH",
                              name="Dinas Contoh", city="Contoh"),
        register_number="1/2025", reporter=reporter, subject="Tolong 🙏 segera — € 100",
        description="Salam مرحبا", received_on=dt.date(2025, 1, 2)))
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "\u25a0" not in text  # the black box of a missing glyph
    assert "Sükrü “Budi”" in text and "SÜKRÜ “BUDI”" in text
    assert "Tolong segera — € 100" in text
    assert "Salam ?????" in text

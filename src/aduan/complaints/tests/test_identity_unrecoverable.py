"""Acceptance (issue 11): for a confidential case, unit staff and the head of office cannot
recover any part of the reporter's identity from any page, API answer, PDF, DOCX or XLSX.

The reporter's name, phone, e-mail, NIK and address are written into the case's subject,
description, a later message, a staff note and a file name, as people do. Then every output
the two roles can reach is rendered (desk pages, search, the staff API, the printed forms,
every report kind, the register exports), text is extracted from PDF/DOCX/XLSX, and each is
searched for every identity fragment: each word of 3+ characters, and every window of 5 digits
of the phone and NIK (shorter digit windows also match dates and register numbers).
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from aduan.accounts.testing import login_verified
from aduan.api.services import api_token_create
from aduan.complaints import services
from aduan.complaints.attachments import complaint_attachments_add
from aduan.complaints.models import Complaint
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.reports.models import JobStatus, ReportJob

pytestmark = pytest.mark.django_db

NAME = "Wahyuningsih Purbasari"
PHONE = "085719283746"
EMAIL = "purbasari.wahyu77@surelku.id"
NIK = "1403025507880093"
ADDRESS = "Jl. Kenanga Merbabu No. 17"
SEMESTER = {"start": "2025-01-01", "end": "2025-06-30"}


def _png() -> bytes:
    """A real (decodable) small PNG for the attachment named after the reporter."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def identity_fragments() -> set[str]:
    words = set()
    for value in (NAME, EMAIL, ADDRESS):
        words |= {w.lower() for w in re.split(r"[^0-9A-Za-z]+", value) if len(w) >= 3}
    digits = set()
    for number in (PHONE, "62" + PHONE[1:], NIK):
        digits |= {number[i:i + 5] for i in range(len(number) - 4)}
    return words | digits


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return " ".join(re.sub(r"<[^>]+>", " ", z.read(n).decode("utf-8", "replace"))
                        for n in z.namelist() if n.endswith(".xml"))


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(cell) for ws in book.worksheets
                    for row in ws.iter_rows(values_only=True) for cell in row if cell is not None)


def _text_of(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in kind:
        return _pdf_text(body)
    if "wordprocessingml" in kind:
        return _docx_text(body)
    if "spreadsheetml" in kind:
        return _xlsx_text(body)
    return body.decode("utf-8", "replace") + " " + response.get("Content-Disposition", "")


def leaks(text: str) -> set[str]:
    """The identity fragments found in `text` (case-insensitive; PDF text may break lines, so
    digits are also searched with every space and dash removed)."""
    low = text.lower()
    squeezed = re.sub(r"[\s\-.]", "", low)
    return {f for f in identity_fragments() if f in low or (f.isdigit() and f in squeezed)}


@pytest.fixture
def confidential_case(office, officer, lead, unit_a_staff):
    complaint = register_complaint(
        office,
        subject=f"Izin apotek {NAME} belum terbit",
        description=(f"Saya {NAME}, NIK {NIK}, alamat {ADDRESS}. Hubungi saya di "
                     f"{PHONE[:4]}-{PHONE[4:8]}-{PHONE[8:]} atau {EMAIL}. Izin apotek "
                     "sudah 2 bulan belum diverifikasi."),
        reporter=ReporterInput(name=NAME, phone=PHONE, email=EMAIL, nik=NIK, address=ADDRESS,
                               occupation="Apoteker", is_confidential=True, consent=True))
    complaint_attachments_add(complaint_id=complaint.pk, actor=officer,
                              files=[ContentFile(_png(), name=f"KTP_{NAME.replace(' ', '_')}.png")])
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist(),
                              note=f"KTP atas nama {NAME} sudah dilihat.")
    services.complaint_add_message(complaint_id=complaint.pk, data={},
                                   body=f"Ini {NAME.split()[1]} lagi, nomor saya +62{PHONE[1:]}")
    services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                               unit=office.units.get(code="perizinan-a"),
                               note=f"Mohon ditindaklanjuti; pelapor {NAME} minta dirahasiakan.")
    services.complaint_follow_up(complaint_id=complaint.pk, actor=unit_a_staff,
                                 note="Berkas sedang diperiksa.")
    return Complaint.objects.get(pk=complaint.pk)


def _client(user) -> Client:
    return login_verified(Client(), user)  # both login steps, as staff log in


def confidential_case_url(pk: int) -> str:
    return reverse("desk:complaint-detail", args=[pk])


def _outputs(user, complaint, django_capture_on_commit_callbacks) -> dict[str, str]:
    """Every rendering of the case this user can reach, as text, by URL."""
    c = _client(user)
    pk = complaint.pk
    urls = [
        reverse("desk:inbox"),
        reverse("desk:inbox") + "?q=" + NAME.split(maxsplit=1)[0],
        reverse("desk:inbox") + "?q=" + NAME.split()[1],
        reverse("desk:complaint-detail", args=[pk]),
        reverse("desk:register") + "?start=2025-01-01&end=2025-06-30",
        reverse("documents:complaint-form", args=[pk]),
        reverse("documents:follow-up-form", args=[pk]),
        reverse("reports:register-xlsx") + "?start=2025-01-01&end=2025-06-30",
        reverse("reports:register-pdf") + "?start=2025-01-01&end=2025-06-30",
    ]
    attachment = complaint.attachments.get()
    urls.append(reverse("desk:attachment-download", args=[pk, attachment.pk]))
    out: dict[str, str] = {}
    for url in urls:
        response = c.get(url)
        if response.status_code == 200:
            out[url] = _text_of(response)
    # A search for the name must not find the case (that would confirm who filed it); the
    # page shows back what the user typed (search box, filter links), which is not a leak, so
    # that word is cut out of that page; the case itself must not be listed.
    for word in NAME.split():
        url = reverse("desk:inbox") + "?q=" + word
        assert confidential_case_url(pk) not in out[url]
        out[url] = out[url].replace(word, "")
    api = Client()
    _token, secret = api_token_create(user=user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for url in (f"/api/v1/cases/{pk}", "/api/v1/cases", f"/api/v1/cases?q={NAME.split()[1]}"):
        response = api.get(url, **auth)
        assert response.status_code == 200, (url, response.content)
        out[url] = response.content.decode()
    assert f'"id": {pk}' not in out[f"/api/v1/cases?q={NAME.split()[1]}"].replace('"id":', '"id": ')
    for kind in ("semester_docx", "semester_annex", "monthly_pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            created = c.post(reverse("reports:job-create"), {**SEMESTER, "kind": kind})
        job = ReportJob.objects.filter(kind=kind).order_by("-pk").first()
        if job is None:  # unit staff may not run reports
            assert created.status_code in (302, 403)
            continue
        assert job.status == JobStatus.DONE, job.error
        out[kind] = _text_of(c.get(reverse("reports:job-download", args=[job.pk])))
    return out


@pytest.mark.parametrize("username", ["perizinan_a", "kadis"])
def test_unit_staff_and_head_cannot_recover_any_part_of_a_confidential_identity(
        users, confidential_case, django_capture_on_commit_callbacks, username):
    outputs = _outputs(users[username], confidential_case, django_capture_on_commit_callbacks)
    # The outputs really show the case (else the test proves nothing).
    case_page = outputs[reverse("desk:complaint-detail", args=[confidential_case.pk])]
    assert confidential_case.register_number in case_page
    assert "(dirahasiakan)" in case_page
    assert "Izin apotek" in case_page
    assert "sudah 2 bulan belum diverifikasi" in case_page
    pdf = outputs[reverse("documents:follow-up-form", args=[confidential_case.pk])]
    assert "sudah 2 bulan" in pdf
    if username == "kadis":
        assert {"semester_docx", "semester_annex", "monthly_pdf"} <= set(outputs)
    found = {where: sorted(leaks(text)) for where, text in outputs.items() if leaks(text)}
    assert found == {}


def test_the_complaint_team_still_sees_the_identity(users, confidential_case):
    page = _client(users["petugas"]).get(
        reverse("desk:complaint-detail", args=[confidential_case.pk])).content.decode()
    assert NAME in page
    assert NIK in page
    assert EMAIL in page


def test_the_fragment_search_finds_what_it_looks_for():
    """The search itself: each kind of fragment is found, in the forms text takes."""
    assert "purbasari" in leaks("Pelapor: PURBASARI")
    assert "19283" in leaks("0857 1928 3746")
    assert "88009" in leaks("1403-0255-0788-0093")
    assert "kenanga" in leaks("Jl Kenanga")
    assert leaks("Izin apotek (dirahasiakan) 2025 [dihapus]") == set()

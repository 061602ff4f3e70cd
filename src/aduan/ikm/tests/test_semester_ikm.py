"""The semester report (DOCX and PDF) has its IKM section: the index with its sample, the
warning below the regulation's minimum sample, the nine elements and the respondent profile."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import time_machine
from pypdf import PdfReader

from aduan.ikm.models import SurveyPopulation
from aduan.ikm.scoring import ELEMENT_CODES
from aduan.ikm.services import Profile, survey_submit
from aduan.reports.generate import generate_document
from aduan.reports.models import ReportKind

pytestmark = pytest.mark.django_db
START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)


@pytest.fixture
def answered(office):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC)):
        for n, (sex, score) in enumerate([("f", 4), ("m", 3), ("f", 3)]):
            survey_submit(office=office, elements=dict.fromkeys(ELEMENT_CODES, score),
                          profile=Profile(age_band="30-39", sex=sex, education="sma",
                                          occupation="entrepreneur"), nonce=f"s{n}")
    SurveyPopulation.objects.create(office=office, year=2025, half=1, population=120)
    return office


def test_docx_and_pdf_carry_the_ikm_section_with_the_sample_warning(answered, users):
    docx_file = generate_document(answered, ReportKind.SEMESTER_DOCX, START, END,
                                  viewer=users["ketua"], signed_on=dt.date(2025, 7, 2))
    doc = docx.Document(io.BytesIO(docx_file.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "J. Survei Kepuasan Masyarakat (IKM)" in text
    assert "3 responden" in text and "Perhatian: jumlah responden (3)" in text
    assert "92 responden untuk populasi 120" in text
    elements = next(t for t in doc.tables if t.rows[0].cells[1].text == "Unsur Pelayanan")
    assert len(elements.rows) == 1 + 9 + 1
    assert elements.rows[-1].cells[1].text == "IKM"
    # 3.33 average x 0.11 x 9 x 25 = 82.50, grade B.
    assert elements.rows[-1].cells[4].text == "82,50" and elements.rows[-1].cells[5].text == "B"
    profile = next(t for t in doc.tables if t.rows[0].cells[0].text == "Karakteristik")
    cells = [[c.text for c in row.cells] for row in profile.rows]
    assert ["Jenis kelamin", "Perempuan", "2", "66,7%"] in cells
    assert ["Pekerjaan", "Wirausaha", "3", "100%"] in cells

    pdf_file = generate_document(answered, ReportKind.SEMESTER_PDF, START, END,
                                 viewer=users["ketua"], signed_on=dt.date(2025, 7, 2))
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_file.content)).pages)
    assert "Survei Kepuasan Masyarakat (IKM)" in pdf_text
    assert "Perhatian: jumlah responden" in " ".join(pdf_text.split())

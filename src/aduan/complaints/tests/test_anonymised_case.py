"""An anonymised case (issue #20): the desk shows a "dianonimkan" badge, the old tracking code
shows progress only (no reopening, satisfaction or rating), and the subject keeps the place and
the company it is about while the reporter's identity is removed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint, EventKind, Reporter
from aduan.complaints.retention import (
    CaseStillOpen,
    reporter_anonymise_on_request,
)
from aduan.complaints.services import (
    ReporterAnonymised,
    ReporterInput,
    complaint_answer,
    complaint_reopen,
)
from aduan.complaints.tests.factories import JAKARTA, register_complaint
from aduan.complaints.workflow import Status
from aduan.core.redaction import REDACTED
from aduan.ikm.scoring import ELEMENT_CODES
from aduan.portal.services import complaint_rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(office, officer) -> Complaint:
    complaint = register_complaint(
        office, subject="Limbah Apotek Sehat Sentosa di Desa Sebauk, kata Siti Aminah",
        location="Desa Sebauk",
        description="Saya Siti Aminah, hp 081234567890, tinggal di Desa Sebauk.",
        company_name="Apotek Sehat Sentosa",
        reporter=ReporterInput(name="Siti Aminah", phone="081234567890", email="siti@contoh.id",
                               address="Desa Sebauk", consent=True))
    complaint_answer(complaint_id=complaint.pk, actor=officer, answer="Sudah ditinjau.",
                     at=dt.datetime(2025, 4, 29, 9, tzinfo=JAKARTA))
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def anonymised(answered) -> Complaint:
    reporter_anonymise_on_request(reporter_id=answered.reporter_id, reason={"request": "X"})
    answered.refresh_from_db()
    return answered


def test_subject_and_place_keep_their_words_but_lose_the_identity(anonymised):
    assert anonymised.subject == (
        f"Limbah Apotek Sehat Sentosa di Desa Sebauk, kata {REDACTED}")
    assert anonymised.location == "Desa Sebauk"
    # The free text still loses everything the reporter is known by, the address included.
    assert "Sebauk" not in anonymised.description
    assert "081234567890" not in anonymised.description
    assert "Siti" not in anonymised.description
    event = anonymised.events.get(kind=EventKind.ANONYMISED)
    assert event.data["on_request"] == {"request": "X"}
    assert Reporter.objects.get(pk=anonymised.reporter_id).anonymised_at is not None


def test_erasure_on_request_waits_for_open_cases(office):
    open_case = register_complaint(office)
    with pytest.raises(CaseStillOpen):
        reporter_anonymise_on_request(reporter_id=open_case.reporter_id, reason={})
    assert Reporter.objects.get(pk=open_case.reporter_id).name == "Siti Aminah"


def test_the_old_code_cannot_reopen_confirm_or_rate(client, anonymised):
    with pytest.raises(ReporterAnonymised):
        complaint_reopen(complaint_id=anonymised.pk, actor=None, reason="Belum selesai.")
    with pytest.raises(ReporterAnonymised):
        complaint_rate(complaint_id=anonymised.pk, elements=dict.fromkeys(ELEMENT_CODES, 4))

    page = client.post(reverse("portal:track"), {"code": anonymised.tracking_code})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="anonymised-note"' in html
    assert 'id="reopen-submit"' not in html and 'rating-survey' not in html

    response = client.post(reverse("portal:reopen"),
                           {"code": anonymised.tracking_code, "reason": "Belum selesai."})
    assert "telah dianonimkan" in response.content.decode()
    anonymised.refresh_from_db()
    assert anonymised.status == Status.ANSWERED
    assert not anonymised.events.filter(kind=EventKind.REOPENED).exists()


def test_staff_may_still_reopen(anonymised, officer):
    complaint_reopen(complaint_id=anonymised.pk, actor=officer, reason="Tinjau ulang.")
    anonymised.refresh_from_db()
    assert anonymised.status == Status.REOPENED


def test_desk_shows_the_badge_on_the_case_and_in_the_inbox(client, anonymised, answered, officer,
                                                           office):
    other = register_complaint(office, subject="Kasus lain")
    login_verified(client, officer)
    html = client.get(reverse("desk:complaint-detail", kwargs={"complaint_id": anonymised.pk})
                      ).content.decode()
    assert 'id="anonymised-badge"' in html
    # The anonymised case is settled: the inbox's "all" view lists it beside the open one.
    inbox = client.get(reverse("desk:inbox"), {"state": "all"}).content.decode()
    assert inbox.count("badge-anonymised") == 1
    html = client.get(reverse("desk:complaint-detail", kwargs={"complaint_id": other.pk})
                      ).content.decode()
    assert 'id="anonymised-badge"' not in html

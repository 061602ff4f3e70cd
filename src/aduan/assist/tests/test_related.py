"""Related-case hints across channels (same reporter, same issue), who may see them, and the
duplicate link that settles a case with a reference and tells the reporter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.testing import login_verified
from aduan.assist.compute import assist_case, related_compute
from aduan.assist.models import HintKind, HintStatus, RelatedHint
from aduan.complaints.models import EventKind
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.workflow import Status
from aduan.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(users):
    def _client(username: str) -> Client:
        client = Client()
        login_verified(client, users[username])
        return client

    return _client


def _web(office, **kwargs):
    return register_complaint(office, channel_code="website", received=timezone.now()
                              - dt.timedelta(days=2), **kwargs)


def _wa(office, **kwargs):
    return register_complaint(office, channel_code="sms_wa", received=timezone.now(), **kwargs)


APOTEK = ("Izin apotek belum terbit", "Permohonan izin apotek Sehat Selalu sudah satu bulan "
          "belum diverifikasi, mohon dibantu.")


def test_same_reporter_across_web_and_whatsapp_by_phone(office):
    first = _web(office, subject="Izin reklame", description="Bagaimana syarat izin reklame?",
                 reporter=ReporterInput(name="Rahmat Hidayat", phone="0812 6861 0005",
                                        email="rahmat@contoh.id", consent=True))
    second = _wa(office, subject="PBG", description="Kapan PBG rumah saya selesai?",
                 reporter=ReporterInput(name="", phone="+6281268610005", consent=True))
    related_compute(second)
    hint = RelatedHint.objects.get(complaint=second, kind=HintKind.SAME_REPORTER)
    assert hint.related_id == first.pk and hint.reasons == ["phone"]
    # The different texts are no "same issue".
    assert not RelatedHint.objects.filter(complaint=second, kind=HintKind.SAME_ISSUE).exists()


def test_same_reporter_by_email_nik_and_fuzzy_name(office):
    first = _web(office, reporter=ReporterInput(
        name="Bapak Fathul Jannah", nik="1403021104907328", email="FJ@contoh.id", consent=True))
    by_nik = _wa(office, reporter=ReporterInput(name="Orang Lain", nik="1403021104907328",
                                                consent=True))
    by_email = _wa(office, reporter=ReporterInput(name="Orang Ketiga", email="fj@contoh.id",
                                                  consent=True))
    by_name = _wa(office, reporter=ReporterInput(name="Fathul Janah", phone="081299990000",
                                                 consent=True))
    for case, reason in ((by_nik, "nik"), (by_email, "email"), (by_name, "name")):
        related_compute(case)
        hint = RelatedHint.objects.get(complaint=case, related=first,
                                       kind=HintKind.SAME_REPORTER)
        assert reason in hint.reasons


def test_anonymous_reporters_get_no_same_reporter_hint(office):
    _web(office, reporter=ReporterInput(phone="081268610005", is_anonymous=True))
    second = _wa(office, reporter=ReporterInput(phone="081268610005", is_anonymous=True))
    related_compute(second)
    assert not RelatedHint.objects.filter(kind=HintKind.SAME_REPORTER).exists()


def test_same_issue_by_text_from_another_reporter(office):
    first = _web(office, subject=APOTEK[0], description=APOTEK[1])
    second = _wa(office, subject="Apotek belum ada izin",
                 description="Izin apotek saya sudah 1 bulan belum diverifikasi petugas.",
                 reporter=ReporterInput(name="Dewi", phone="081311112222", consent=True))
    unrelated = _wa(office, subject="Jalan rusak", description="Jalan desa berlubang besar.",
                    reporter=ReporterInput(name="Budi", phone="081333334444", consent=True))
    related_compute(second)
    hint = RelatedHint.objects.get(complaint=second, kind=HintKind.SAME_ISSUE)
    assert hint.related_id == first.pk and "text" in hint.reasons
    related_compute(unrelated)
    assert not RelatedHint.objects.filter(complaint=unrelated).exists()


def test_assist_case_is_idempotent(office):
    _web(office, subject=APOTEK[0], description=APOTEK[1])
    second = _wa(office, subject=APOTEK[0], description=APOTEK[1])
    assist_case(second.pk)
    assist_case(second.pk)
    assert RelatedHint.objects.filter(complaint=second).count() == 2  # reporter + issue


def test_officer_links_a_duplicate_and_the_reporter_is_told(client_for, office):
    primary = _web(office, subject=APOTEK[0], description=APOTEK[1])
    duplicate = _wa(office, subject=APOTEK[0], description=APOTEK[1])
    related_compute(duplicate)
    client = client_for("petugas")
    page = client.get(reverse("desk:complaint-detail", args=[duplicate.pk]))
    assert primary.register_number in page.text and 'id="related"' in page.text
    hint = RelatedHint.objects.get(complaint=duplicate, kind=HintKind.SAME_ISSUE)
    response = client.post(reverse("assist:hint-link", args=[duplicate.pk, hint.pk]))
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Status.ANSWERED and duplicate.settled_on is not None
    event = duplicate.events.get(kind=EventKind.ANSWERED)
    assert event.data["duplicate_of"] == primary.register_number
    assert primary.register_number in event.body
    hint.refresh_from_db()
    assert hint.status == HintStatus.LINKED
    # Every other hint of the settled case is closed too.
    assert not RelatedHint.objects.filter(complaint=duplicate, status=HintStatus.OPEN).exists()
    # The reporter hears it on the channel the case came by (WhatsApp / SMS).
    messages = OutboxMessage.objects.filter(complaint=duplicate, case_event=event)
    assert messages.exists()
    assert all(primary.register_number in m.body for m in messages)
    # A second click is refused without a second settlement.
    again = client.post(reverse("assist:hint-link", args=[duplicate.pk, hint.pk]))
    assert again.status_code == 302
    assert duplicate.events.filter(kind=EventKind.ANSWERED).count() == 1
    primary.refresh_from_db()
    assert primary.status == Status.RECEIVED
    # The primary's page lists its duplicate.
    primary_page = client.get(reverse("desk:complaint-detail", args=[primary.pk]))
    assert 'id="duplicates"' in primary_page.text
    assert duplicate.register_number in primary_page.text


def test_a_duplicate_of_another_reporters_case_promises_nothing_through_it(client_for, office):
    primary = _web(office, subject=APOTEK[0], description=APOTEK[1])
    other = _wa(office, subject=APOTEK[0], description=APOTEK[1],
                reporter=ReporterInput(name="Dewi", phone="081311112222", consent=True))
    related_compute(other)
    hint = RelatedHint.objects.get(complaint=other)
    assert hint.kind == HintKind.SAME_ISSUE
    client_for("petugas").post(reverse("assist:hint-link", args=[other.pk, hint.pk]))
    event = other.events.get(kind=EventKind.ANSWERED)
    assert primary.register_number in event.body
    assert "melalui pengaduan tersebut" not in event.body


def test_dismiss_hides_the_hint(client_for, office):
    _web(office, subject=APOTEK[0], description=APOTEK[1])
    case = _wa(office, subject=APOTEK[0], description=APOTEK[1])
    related_compute(case)
    client = client_for("petugas")
    for hint in RelatedHint.objects.filter(complaint=case):
        assert client.post(reverse("assist:hint-dismiss", args=[case.pk, hint.pk])).status_code \
            == 302
    page = client.get(reverse("desk:complaint-detail", args=[case.pk]))
    assert 'id="related"' not in page.text
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_hints_are_not_shown_outside_the_complaint_team_nor_leak_identity(client_for, office,
                                                                          officer, lead):
    from aduan.complaints import services

    confidential = ReporterInput(name="Fathul Jannah", phone="081371771234",
                                 is_confidential=True, consent=True)
    first = _web(office, subject=APOTEK[0], description=APOTEK[1], reporter=confidential)
    second = _wa(office, subject="Izin lain", description="Pertanyaan lain sama sekali.",
                 reporter=confidential)
    related_compute(second)
    assert RelatedHint.objects.filter(complaint=second, kind=HintKind.SAME_REPORTER).exists()
    services.complaint_verify(complaint_id=second.pk, actor=officer,
                              checklist=services.Checklist())
    services.complaint_dispose(complaint_id=second.pk, actor=lead,
                               unit=office.units.get(code="perizinan-a"))
    # Unit staff see the case but no hint (and nothing of the other case).
    page = client_for("perizinan_a").get(reverse("desk:complaint-detail", args=[second.pk]))
    assert page.status_code == 200
    assert 'id="related"' not in page.text and first.register_number not in page.text
    hint = RelatedHint.objects.get(complaint=second)
    refused = client_for("perizinan_a").post(reverse("assist:hint-dismiss",
                                                     args=[second.pk, hint.pk]))
    assert refused.status_code == 403
    hint.refresh_from_db()
    assert hint.status == HintStatus.OPEN
    # An officer who has not confirmed their password recently does not see the
    # "same reporter" hint of a confidential reporter either (may_see_identity).
    from aduan.assist.selectors import hints_for

    officer.auth_is_fresh = False
    assert hints_for(officer, second) == []
    officer.auth_is_fresh = True
    assert [h.hint.kind for h in hints_for(officer, second)] == [HintKind.SAME_REPORTER]

"""Forwarding a case to another office through the desk, over HTTP (issue 18): the receiver
sees it marked and may refuse it, the sender loses the case (404) and keeps the hop in its
list of forwarded cases; the public tracking page names the office now handling it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aduan.accounts.models import User
from aduan.accounts.testing import login_verified
from aduan.complaints.models import CaseTransfer, Complaint, EventKind
from aduan.complaints.tests.factories import make_office, register_complaint
from aduan.complaints.tests.test_transfers import staff
from aduan.complaints.transfers import case_forward
from aduan.complaints.workflow import Action, Status

pytestmark = pytest.mark.django_db

REASON = "Jalan kabupaten rusak: kewenangan Dinas PUPR."


@pytest.fixture
def pupr(office):
    return make_office("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang")


@pytest.fixture
def pupr_client(pupr) -> Client:
    client = Client()
    login_verified(client, staff(pupr, "petugas_pupr"))
    return client


def _action(client: Client, complaint: Complaint, action: str, data: dict):
    return client.post(
        reverse("desk:complaint-action", kwargs={"complaint_id": complaint.pk,
                                                 "action": action}),
        {"seen_status": complaint.status, **{f"{action}-{k}": v for k, v in data.items()}})


def _page(client: Client, complaint: Complaint):
    return client.get(reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk}))


def test_forward_refuse_and_back_through_the_desk(client_for, office, pupr, pupr_client):
    complaint = register_complaint(office)
    officer = client_for("petugas")
    page = _page(officer, complaint)
    assert 'id="action-forward"' in page.content.decode()
    assert pupr.name in page.content.decode()

    response = _action(officer, complaint, Action.FORWARD,
                       {"to_office": pupr.pk, "reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:transfers-out")
    case = Complaint.objects.get(pk=complaint.pk)
    assert case.office == pupr
    # The sender no longer sees the case, but sees where it went.
    assert _page(officer, complaint).status_code == 404
    listing = officer.get(reverse("desk:transfers-out")).content.decode()
    assert complaint.register_number in listing and case.register_number in listing
    assert pupr.name in listing and REASON in listing
    assert complaint.subject not in listing  # the hop, not the case's contents

    # The receiver finds it in its inbox, marked, with the refusal offered.
    inbox = pupr_client.get(reverse("desk:inbox")).content.decode()
    assert case.register_number in inbox and f"Diteruskan dari {office.name}" in inbox
    page = _page(pupr_client, complaint).content.decode()
    assert 'id="forwarded-from"' in page and 'id="action-refuse_forward"' in page
    assert f"No. register pertama: {complaint.register_number}" in page
    assert page.count('class="event-data transfer-hop"') == 1

    response = _action(pupr_client, case, Action.REFUSE_FORWARD,
                       {"reason": "Jalan desa: kewenangan pemerintah desa."})
    assert response.status_code == 302 and response["Location"] == reverse("desk:inbox")
    assert _page(pupr_client, complaint).status_code == 404
    page = _page(officer, complaint)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Penerusan ditolak" in html and "kewenangan pemerintah desa" in html
    assert Complaint.objects.get(pk=complaint.pk).register_number == complaint.register_number
    listing = officer.get(reverse("desk:transfers-out")).content.decode()
    assert "Alasan penolakan" in listing and "kewenangan pemerintah desa" in listing


def test_a_double_click_on_forward_moves_once_and_answers_both(client_for, office, pupr):
    complaint = register_complaint(office)
    officer = client_for("petugas")
    data = {"to_office": pupr.pk, "reason": REASON, "confirm": "on"}
    first = _action(officer, complaint, Action.FORWARD, data)
    second = _action(officer, complaint, Action.FORWARD, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("desk:transfers-out")
    assert CaseTransfer.objects.count() == 1
    assert Complaint.objects.get(pk=complaint.pk).events.filter(
        kind=EventKind.FORWARDED).count() == 1


def test_forward_needs_a_reason_and_the_confirmation(client_for, office, pupr):
    complaint = register_complaint(office)
    officer = client_for("petugas")
    response = _action(officer, complaint, Action.FORWARD, {"to_office": pupr.pk,
                                                            "reason": REASON})
    assert response.status_code == 422
    response = _action(officer, complaint, Action.FORWARD, {"to_office": pupr.pk,
                                                            "reason": "", "confirm": "on"})
    assert response.status_code == 422
    # Not to its own office (not among the choices).
    response = _action(officer, complaint, Action.FORWARD, {"to_office": office.pk,
                                                            "reason": REASON, "confirm": "on"})
    assert response.status_code == 422
    assert not CaseTransfer.objects.exists()
    assert Complaint.objects.get(pk=complaint.pk).office == office


def test_a_case_not_forwarded_offers_no_refusal(client_for, office):
    complaint = register_complaint(office)
    officer = client_for("petugas")
    assert 'id="action-refuse_forward"' not in _page(officer, complaint).content.decode()
    response = _action(officer, complaint, Action.REFUSE_FORWARD, {"reason": "Bukan kami."})
    assert response.status_code == 302  # "not available now", nothing changed
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


def test_the_list_of_forwarded_cases_is_the_offices_own(client_for, office, officer, pupr,
                                                        pupr_client):
    complaint = register_complaint(office)
    case_forward(complaint, pupr, by=officer, reason=REASON)
    listing = pupr_client.get(reverse("desk:transfers-out")).content.decode()
    assert REASON not in listing and complaint.register_number not in listing
    assert client_for("perizinan_a").get(reverse("desk:transfers-out")).status_code == 403


def test_the_tracking_page_names_the_office_handling_it_and_no_staff(office, officer, pupr,
                                                                     client):
    complaint = register_complaint(office)
    case_forward(complaint, pupr, by=officer, reason=REASON)
    response = client.post(reverse("portal:track"), {"code": complaint.tracking_code})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="case-office"' in html and pupr.name in html
    assert REASON in html  # the reason is told to the reporter
    assert officer.get_full_name() not in html and officer.username not in html


def test_the_register_book_keeps_the_numbers_that_left(client_for, office, officer, pupr,
                                                       pupr_client):
    from django.utils import timezone

    complaint = register_complaint(office, received=timezone.now())
    hop = case_forward(complaint, pupr, by=officer, reason=REASON)
    today = timezone.localdate().isoformat()
    url = f"{reverse('desk:register')}?start={today}&end={today}"
    html = client_for("petugas").get(url).content.decode()
    assert 'id="register-hops"' in html and complaint.register_number in html
    assert f"Diteruskan ke {pupr.name} (nomor {hop.to_register_number})" in html
    from aduan.complaints.transfers import case_forward_refuse

    case_forward_refuse(hop, by=User.objects.get(username="petugas_pupr"), reason="Bukan kami.")
    html = pupr_client.get(url).content.decode()
    assert hop.to_register_number in html and f"Penerusan dari {office.name} ditolak" in html

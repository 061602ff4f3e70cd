"""After disposition the unit or the officer asks the reporter for more documents: the case
keeps its status and unit, the reporter gets a message in the same transaction, the 30-day
clock (UU 25/2009) shows on the case and the tracking page, and it lapses without withdrawing
the case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aduan.complaints import services
from aduan.complaints.models import EventKind
from aduan.complaints.services import TransitionNotAllowed
from aduan.complaints.workflow import TRANSITIONS, Status
from aduan.core.exceptions import NotFound, ValidationFailed
from aduan.notifications.models import OutboxMessage, TemplateCode

pytestmark = pytest.mark.django_db


def _act(complaint, action):
    return reverse("desk:complaint-action",
                   kwargs={"complaint_id": complaint.pk, "action": action})


def _detail(complaint):
    return reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk})


def test_the_table_keeps_the_status_for_document_requests():
    for status in (Status.DISPOSITIONED, Status.CLARIFIED, Status.FOLLOWED_UP):
        assert status in TRANSITIONS[status]


def test_unit_staff_ask_for_documents_without_undoing_the_disposition(client_for,
                                                                      disposed_to_a):
    complaint = disposed_to_a
    client = client_for("perizinan_a")
    assert "request_documents" in client.get(_detail(complaint)).text
    response = client.post(_act(complaint, "request_documents"), {
        "seen_status": "dispositioned",
        "request_documents-note": "Fotokopi SIUP dan denah lokasi apotek."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.DISPOSITIONED
    assert complaint.unit.code == "perizinan-a"
    assert complaint.completion_due_on == timezone.localdate() + dt.timedelta(days=30)
    event = complaint.events.get(kind=EventKind.DOCUMENTS_REQUESTED)
    assert event.is_public and event.status_before == event.status_after == "dispositioned"
    message = OutboxMessage.objects.get(case_event=event)
    assert message.template_code == TemplateCode.DOCUMENTS_REQUEST
    assert "Fotokopi SIUP" in message.body
    assert "dianggap dicabut" not in message.body

    page = client.get(_detail(complaint)).text
    assert 'id="documents-clock"' in page
    assert "Menunggu dokumen tambahan dari pelapor" in page
    assert "30 hari lagi" in page

    # The reporter sees the request and its limit on the tracking page.
    track = client.post(reverse("portal:track"), {"code": complaint.tracking_code}).text
    assert "Fotokopi SIUP dan denah lokasi apotek." in track
    assert 'id="documents-due"' in track

    # The unit goes on with the case while waiting (clarify), then records the documents.
    services.complaint_clarify(complaint_id=complaint.pk, actor=_user("perizinan_a"),
                               clarification="Sudah dicek.")
    response = client.post(_act(complaint, "documents_received"), {
        "seen_status": "clarified", "documents_received-note": "Diterima lewat WhatsApp."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLARIFIED
    assert complaint.completion_due_on is None


def _user(username):
    from aduan.accounts.models import User
    return User.objects.get(username=username)


def test_a_second_request_while_one_runs_is_refused_with_a_message(disposed_to_a, officer):
    services.complaint_request_documents(complaint_id=disposed_to_a.pk, actor=officer,
                                         note="KTP")
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_request_documents(complaint_id=disposed_to_a.pk, actor=officer,
                                             note="KK")
    assert "masih berjalan" in exc.value.message


def test_other_units_and_earlier_states_may_not_ask(disposed_to_a, users, office, officer):
    # Another unit does not even see the case (the access door).
    with pytest.raises(NotFound):
        services.complaint_request_documents(complaint_id=disposed_to_a.pk,
                                             actor=users["perizinan_b"], note="KTP")
    from aduan.complaints.tests.factories import register_complaint
    fresh = register_complaint(office)
    with pytest.raises(TransitionNotAllowed):
        services.complaint_request_documents(complaint_id=fresh.pk, actor=officer, note="KTP")


def test_the_request_lapses_after_thirty_days_and_the_case_goes_on(disposed_to_a, officer):
    start = timezone.localdate()
    services.complaint_request_documents(complaint_id=disposed_to_a.pk, actor=officer,
                                         note="Denah lokasi.")
    due = start + dt.timedelta(days=30)
    assert services.complaints_documents_lapse(today=due) == 0
    with time_machine.travel(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(8)),
                             tick=False):
        assert services.complaints_documents_lapse(today=due + dt.timedelta(days=1)) == 1
        assert services.complaints_documents_lapse(today=due + dt.timedelta(days=1)) == 0
    disposed_to_a.refresh_from_db()
    assert disposed_to_a.status == Status.DISPOSITIONED  # not withdrawn
    assert disposed_to_a.completion_due_on is None
    lapsed = disposed_to_a.events.get(kind=EventKind.DOCUMENTS_LAPSED)
    assert lapsed.is_public and "tetap ditindaklanjuti" in lapsed.body
    assert OutboxMessage.objects.filter(case_event=lapsed,
                                        template_code=TemplateCode.DOCUMENTS_LAPSED).exists()
    # The withdrawal of incomplete cases does not touch it.
    assert services.complaints_withdraw_expired(today=due + dt.timedelta(days=2)) == 0

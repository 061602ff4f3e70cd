"""The escalation ladder (issue #20): beyond the complaint team, the unit holding a case is
reminded before and after its deadline and, once it is overdue, the head of office, as the
office configures; once a day per case and person; no reporter identity in the message."""

from __future__ import annotations

import pytest

from aduan.complaints import services as complaint_services
from aduan.notifications import services
from aduan.notifications.models import OutboxMessage, TemplateCode
from aduan.notifications.tests.factories import register
from aduan.offices.calendar import calendar_for_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def disposed(office, web_channel, users, officer, lead, unit_a_staff):
    complaint = register(office, web_channel, email="rina@example.id", name="Rina Wati",
                         description="Saya Rina Wati, izin praktik bidan belum terbit.")
    complaint_services.complaint_verify(complaint_id=complaint.pk, actor=officer,
                                        checklist=complaint_services.Checklist())
    complaint_services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                                         unit=unit_a_staff.unit)
    complaint.refresh_from_db()
    return complaint


def _recipients(rung: str) -> set[str]:
    return set(OutboxMessage.objects.filter(template_code=TemplateCode.ESCALATION,
                                            data__rung=rung).values_list("recipient", flat=True))


def test_unit_before_and_after_the_deadline_and_the_head_once_overdue(office, disposed, users):
    calendar = calendar_for_office(office.pk)
    far = calendar.add_working_days(disposed.received_on, 5)
    assert services.escalations_queue(today=far) == 0

    near = calendar.add_working_days(disposed.received_on, 18)
    assert services.escalations_queue(today=near) == 1
    assert _recipients("unit") == {users["perizinan_a"].email}
    assert _recipients("head") == set()
    assert services.escalations_queue(today=near) == 0  # once a day

    overdue = calendar.add_working_days(disposed.received_on, 22)
    assert services.escalations_queue(today=overdue) == 2
    assert _recipients("head") == {users["kadis"].email}
    message = OutboxMessage.objects.filter(data__rung="head").get()
    assert "telah melewati tenggat" in message.body and "pimpinan kantor" in message.body
    assert f"/desk/pengaduan/{disposed.pk}/" in message.body
    # Unit B and the other roles are never on this case's ladder.
    everyone = set(OutboxMessage.objects.filter(
        template_code=TemplateCode.ESCALATION).values_list("recipient", flat=True))
    assert users["perizinan_b"].email not in everyone
    # Staff outside the complaint team see no identity (docs/privacy.md).
    for m in OutboxMessage.objects.filter(template_code=TemplateCode.ESCALATION):
        assert "Rina" not in m.body + m.subject and "rina@example.id" not in m.body


def test_the_ladder_is_configured_per_office(office, disposed, users):
    calendar = calendar_for_office(office.pk)
    overdue = calendar.add_working_days(disposed.received_on, 22)  # 2 working days overdue
    office.escalate_to_unit = False
    office.escalate_to_head_after_days = 3
    office.save()
    assert services.escalations_queue(today=overdue) == 0
    later = calendar.add_working_days(disposed.received_on, 24)
    assert services.escalations_queue(today=later) == 1
    assert _recipients("head") == {users["kadis"].email} and _recipients("unit") == set()
    office.escalate_to_head_after_days = None
    office.save()
    assert services.escalations_queue(today=calendar.add_working_days(later, 1)) == 0


def test_settled_and_undisposed_cases_do_not_climb_to_the_unit(office, web_channel, users,
                                                              officer):
    open_case = register(office, web_channel, email="a@example.id")
    settled = register(office, web_channel, email="b@example.id")
    complaint_services.complaint_answer(complaint_id=settled.pk, actor=officer, answer="OK.")
    calendar = calendar_for_office(office.pk)
    services.escalations_queue(today=calendar.add_working_days(open_case.received_on, 22))
    assert _recipients("unit") == set()
    assert set(OutboxMessage.objects.filter(template_code=TemplateCode.ESCALATION)
               .values_list("complaint_id", flat=True)) == {open_case.pk}

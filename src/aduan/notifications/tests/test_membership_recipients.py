"""Role-based mail reaches staff by the roles they hold in the case's office (issue 18): a
person whose home is another office but who is an officer (or unit staff, or head) of this one
through an active `accounts.Membership` gets this office's reminders and escalations; a
deactivated membership, or a role held only in the home office, does not."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from aduan.accounts.memberships import staff_with_roles
from aduan.accounts.models import Membership, Role, User
from aduan.accounts.roles import ensure_role_groups
from aduan.complaints import services as complaint_services
from aduan.notifications import services
from aduan.notifications.models import OutboxMessage, TemplateCode
from aduan.notifications.tests.factories import register
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Office, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_office(office) -> Office:
    other = Office.objects.create(code="dinas-lain", name="Dinas Lain", short_name="LAIN",
                                  city="Lain")
    Unit.objects.create(office=other, code="u", name="Bidang U")
    return other


def _staff(username: str, office: Office, role: Role) -> User:
    ensure_role_groups()
    user = User.objects.create_user(username=username, password="x-test-pass-123",
                                    office=office, email=f"{username}@example.id")
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def visitors(office, other_office) -> dict[str, User]:
    """Staff whose home is the other office; some also work in the demo office."""
    unit = office.units.get(code="perizinan-a")
    people = {
        "officer": _staff("tamu_petugas", other_office, Role.UNIT_STAFF),
        "unit": _staff("tamu_bidang", other_office, Role.OFFICER),
        "head": _staff("tamu_kepala", other_office, Role.OFFICER),
        "revoked": _staff("tamu_dicabut", other_office, Role.UNIT_STAFF),
        "home_only": _staff("tamu_rumah", other_office, Role.OFFICER),
    }
    Membership.objects.create(user=people["officer"], office=office, roles=[Role.OFFICER])
    Membership.objects.create(user=people["unit"], office=office, unit=unit,
                              roles=[Role.UNIT_STAFF])
    Membership.objects.create(user=people["head"], office=office, roles=[Role.HEAD])
    Membership.objects.create(user=people["revoked"], office=office, roles=[Role.OFFICER],
                              is_active=False)
    return people


def test_the_selector_reads_home_roles_and_active_memberships(office, other_office, users,
                                                             visitors):
    officers = {u.username for u in staff_with_roles(office.pk, [Role.OFFICER])}
    assert "tamu_petugas" in officers and "petugas" in officers
    assert not officers & {"tamu_dicabut", "tamu_rumah", "tamu_bidang", "tamu_kepala"}
    # In their home office the visitors hold their home roles only.
    home = {u.username for u in staff_with_roles(other_office.pk, [Role.OFFICER])}
    assert home == {"tamu_bidang", "tamu_kepala", "tamu_rumah"}
    unit = visitors["unit"].memberships.get().unit
    in_unit = {u.username for u in staff_with_roles(office.pk, [Role.UNIT_STAFF],
                                                    unit_id=unit.pk)}
    assert "tamu_bidang" in in_unit and "tamu_petugas" not in in_unit
    # One entry per person, whatever the number of their roles.
    both = staff_with_roles(office.pk, [Role.OFFICER, Role.TEAM_LEAD, Role.HEAD])
    assert len(both) == len({u.pk for u in both})


def test_reminders_and_escalations_reach_members_of_the_office(office, users, officer, lead,
                                                               visitors):
    web = office.channels.get(code="website")
    case = register(office, web, email="rina@example.id")
    complaint_services.complaint_verify(complaint_id=case.pk, actor=officer,
                                        checklist=complaint_services.Checklist())
    unit = visitors["unit"].memberships.get().unit
    complaint_services.complaint_dispose(complaint_id=case.pk, actor=lead, unit=unit)
    case.refresh_from_db()
    calendar = calendar_for_office(office.pk)
    overdue = calendar.add_working_days(case.received_on, 22)

    services.reminders_queue(today=overdue)
    reminded = set(OutboxMessage.objects.filter(template_code=TemplateCode.REMINDER)
                   .values_list("recipient", flat=True))
    assert visitors["officer"].email in reminded and officer.email in reminded
    assert visitors["revoked"].email not in reminded
    assert visitors["home_only"].email not in reminded

    services.escalations_queue(today=overdue)
    by_rung: dict[str, set[str]] = {}
    for message in OutboxMessage.objects.filter(template_code=TemplateCode.ESCALATION):
        by_rung.setdefault(message.data["rung"], set()).add(message.recipient)
    assert visitors["unit"].email in by_rung["unit"]
    assert visitors["head"].email in by_rung["head"]
    assert visitors["officer"].email not in by_rung["unit"] | by_rung["head"]


def test_a_deactivated_membership_stops_the_mail(office, users, visitors):
    Membership.objects.filter(user=visitors["officer"]).update(is_active=False)
    assert visitors["officer"] not in staff_with_roles(office.pk, [Role.OFFICER])

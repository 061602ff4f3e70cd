"""The central intake's daily routing reminder (notifications.services.routing_reminders_queue):
one digest per team member and working day of the cases late or near LAPOR!'s 3-working-day
routing limit, through the outbox, never twice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aduan.accounts.models import Role
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.tests.regency import central_intake, staff
from aduan.notifications.models import OutboxChannel, OutboxMessage, TemplateCode
from aduan.notifications.services import routing_reminders_queue
from aduan.notifications.tasks import send_deadline_reminders

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
TUESDAY = dt.date(2025, 5, 6)


@pytest.fixture
def central(office):
    central = central_intake()
    staff(central, "petugas_pusat", Role.OFFICER, email="petugas@lapor.go.id")
    staff(central, "ketua_pusat", Role.TEAM_LEAD, email="ketua@lapor.go.id")
    staff(central, "kepala_pusat", Role.HEAD, email="kepala@lapor.go.id")
    return central


def _received(office, day, subject):
    return register_complaint(office, subject=subject, received=dt.datetime.combine(
        day, dt.time(9), tzinfo=JAKARTA))


def test_one_digest_per_team_member_with_late_and_due_soon_cases(central, office, officer):
    late = _received(central, dt.date(2025, 4, 28), "Jalan berlubang di Jalan Hangtuah")
    soon = _received(central, dt.date(2025, 5, 2), "Sampah menumpuk di pasar")
    _received(central, dt.date(2025, 5, 5), "Lampu jalan mati")  # two working days left
    _received(office, dt.date(2025, 4, 1), "Izin apotek")  # not a central intake's case
    assert routing_reminders_queue(today=TUESDAY) == 2
    messages = OutboxMessage.objects.filter(data__kind="routing").order_by("recipient")
    assert [m.recipient for m in messages] == ["ketua@lapor.go.id", "petugas@lapor.go.id"]
    message = messages[0]
    assert message.channel == OutboxChannel.EMAIL
    assert message.template_code == TemplateCode.REMINDER
    assert message.subject == "Rute pengaduan: 1 terlambat, 1 mendekati batas"
    body = message.body
    assert late.register_number in body and "terlambat 2 hari kerja" in body
    assert soon.register_number in body and "Lampu jalan mati" not in body
    assert body.index("Terlambat dirutekan:") < body.index(late.register_number)
    assert body.index(late.register_number) < body.index(soon.register_number)
    assert "/desk/rute/" in body
    assert "Izin apotek" not in body
    # The hourly job runs again that day: nothing new.
    assert routing_reminders_queue(today=TUESDAY) == 0
    assert OutboxMessage.objects.filter(data__kind="routing").count() == 2
    # The next working day is another day's digest.
    assert routing_reminders_queue(today=TUESDAY + dt.timedelta(days=1)) == 2


def test_no_digest_on_a_day_off_nor_without_anything_due(central):
    _received(central, dt.date(2025, 4, 28), "Jalan berlubang")
    assert routing_reminders_queue(today=dt.date(2025, 5, 10)) == 0  # a Saturday
    assert routing_reminders_queue(today=dt.date(2025, 4, 28)) == 0  # three days left
    assert not OutboxMessage.objects.filter(data__kind="routing").exists()


def test_an_office_that_is_no_central_intake_gets_no_routing_digest(central, office):
    central.is_central_intake = False
    central.save()
    _received(central, dt.date(2025, 4, 28), "Jalan berlubang")
    assert routing_reminders_queue(today=TUESDAY) == 0


def test_the_hourly_reminder_job_sends_it(central, settings, time_machine):
    settings.ADUAN_REMINDER_HOUR = 7
    _received(central, dt.date(2025, 4, 28), "Jalan berlubang")
    time_machine.move_to(dt.datetime(2025, 5, 6, 8, tzinfo=JAKARTA))
    send_deadline_reminders.call()
    assert OutboxMessage.objects.filter(data__kind="routing").count() == 2

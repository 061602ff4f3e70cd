"""The breach register (issue #20): record a suspected breach, list the reporters in its scope
(date range, channel, unit or case), notify them on their own channels through the outbox and
draft the authority's notice from editable texts; the 72-hour clock on the dashboard; the audit
trail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.testing import login_verified
from aduan.audit.models import AuditRecord
from aduan.complaints.retention import reporter_anonymise_on_request
from aduan.complaints.services import ReporterInput, complaint_answer, complaint_register
from aduan.complaints.tests.factories import JAKARTA
from aduan.core.exceptions import PermissionDenied
from aduan.notifications.models import OutboxMessage, TemplateCode
from aduan.rights.breaches import (
    Scope,
    breach_affected,
    breach_clock,
    breach_notify_reporters,
    breach_record,
    breach_update_notices,
)

pytestmark = pytest.mark.django_db


def _case(office, day, channel="website", email="", phone="", name="Warga"):
    return complaint_register(
        office=office, channel=office.channels.get(code=channel), subject="Izin",
        description="Izin belum terbit.",
        received_at=dt.datetime(2025, 5, day, 9, tzinfo=JAKARTA),
        reporter=ReporterInput(name=name, email=email, phone=phone, consent=True))


@pytest.fixture
def cases(office):
    return {
        "may_a": _case(office, 5, email="a@example.id", name="Ani"),
        "may_b": _case(office, 6, channel="sms_wa", phone="081211112222", name="Budi"),
        "may_c": _case(office, 20, email="c@example.id", name="Citra"),
    }


def test_scope_by_dates_channel_and_case_lists_each_reporter_once(office, cases, officer):
    again = complaint_register(  # Ani's second case, same reporter
        office=office, channel=office.channels.get(code="website"), subject="Lagi",
        description="Lagi.", received_at=dt.datetime(2025, 5, 7, 9, tzinfo=JAKARTA),
        reporter=cases["may_a"].reporter)
    now = timezone.now()
    by_dates = breach_record(actor=officer, title="Laptop hilang", description="Laptop hilang.",
                             discovered_at=now, scope=Scope(start=dt.date(2025, 5, 1),
                                                            end=dt.date(2025, 5, 10)))
    assert sorted(c.pk for c in breach_affected(by_dates)) == sorted(
        [again.pk, cases["may_b"].pk])
    by_channel = breach_record(actor=officer, title="Akun WA", description="Diretas.",
                               discovered_at=now,
                               scope=Scope(channel=office.channels.get(code="sms_wa")))
    assert [c.pk for c in breach_affected(by_channel)] == [cases["may_b"].pk]
    by_case = breach_record(actor=officer, title="Salah kirim", description="Salah kirim.",
                            discovered_at=now, scope=Scope(complaint=cases["may_c"]))
    assert [c.pk for c in breach_affected(by_case)] == [cases["may_c"].pk]
    assert "Jumlah subjek data (pelapor) yang terdampak: 1" in by_case.authority_notice
    assert by_case.notify_by - by_case.discovered_at == dt.timedelta(hours=72)


def test_reporters_are_notified_on_their_channels_once(office, cases, officer):
    breach = breach_record(actor=officer, title="Laptop hilang", description="Laptop hilang.",
                           discovered_at=timezone.now(), data_concerned="nama dan kontak",
                           scope=Scope(start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 31)))
    breach_update_notices(breach_id=breach.pk, actor=officer,
                          reporter_notice="Data Anda mungkin terdampak. Kami mohon maaf.",
                          authority_notice=breach.authority_notice)
    assert breach_notify_reporters(breach_id=breach.pk, actor=officer) == 3
    rows = OutboxMessage.objects.filter(template_code=TemplateCode.BREACH_NOTICE)
    assert {r.recipient for r in rows} >= {"a@example.id", "c@example.id"}
    assert all("Kami mohon maaf" in r.body for r in rows)
    # Sending again reaches nobody twice.
    assert breach_notify_reporters(breach_id=breach.pk, actor=officer) == 0
    actions = list(AuditRecord.objects.filter(object_type="breach", object_id=str(breach.pk))
                   .order_by("created_at", "id").values_list("action", flat=True))
    assert actions == ["rights.breach.recorded", "rights.breach.notices_edited",
                       "rights.breach.reporters_notified", "rights.breach.reporters_notified"]


def test_anonymised_reporters_are_out_of_scope(office, cases, officer):
    complaint_answer(complaint_id=cases["may_c"].pk, actor=officer, answer="Sudah.")
    reporter_anonymise_on_request(reporter_id=cases["may_c"].reporter_id, reason={})
    breach = breach_record(actor=officer, title="X", description="Y",
                           discovered_at=timezone.now(), scope=Scope(complaint=cases["may_c"]))
    assert not breach_affected(breach).exists()


def test_unit_staff_may_not_record_and_the_clock_runs_from_discovery(office, cases, officer,
                                                                     unit_a_staff):
    with pytest.raises(PermissionDenied):
        breach_record(actor=unit_a_staff, title="X", description="Y",
                      discovered_at=timezone.now(), scope=Scope(start=dt.date(2025, 5, 1)))
    found = timezone.now() - dt.timedelta(hours=70)
    breach = breach_record(actor=officer, title="X", description="Y", discovered_at=found,
                           scope=Scope(start=dt.date(2025, 5, 1)))
    clock = breach_clock(breach)
    assert clock.hours_left == 1 and not clock.is_overdue
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        assert breach_clock(breach).is_overdue


def test_desk_pages_and_the_dashboard_clock(client, office, cases, lead, users):
    login_verified(client, lead)
    response = client.post(reverse("rights:breaches"), {
        "title": "Map berkas hilang", "description": "Map berisi formulir hilang.",
        "discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "scope_case": cases["may_a"].register_number})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert 'id="breach-count">1<' in detail and "jam lagi" in detail
    response = client.post(response["Location"], {"action": "notify"})
    assert "Pemberitahuan dikirim kepada 1 pelapor" in response.content.decode()
    # Without a scope nothing is recorded.
    bad = client.post(reverse("rights:breaches"), {
        "title": "X", "description": "Y",
        "discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert bad.status_code == 422 and "Tentukan cakupan" in bad.content.decode()

    login_verified(client, users["kadis"])
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="breaches"' in dashboard and "Map berkas hilang" in dashboard
    login_verified(client, users["perizinan_a"])
    assert client.get(reverse("rights:breaches")).status_code == 403

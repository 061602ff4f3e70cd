"""bench/desk_scale.py, the documented route to a 1M-case database: it multiplies the generated
cases and fails loudly (non-zero exit) instead of reporting success with nothing inserted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aduan.complaints.models import Complaint
from aduan.demo.synthetic import generate


@pytest.fixture
def desk_scale():
    from bench import desk_scale

    return desk_scale


def test_empty_database_exits_non_zero(desk_scale, office):
    with pytest.raises(SystemExit) as exit_info:
        desk_scale.main(100)
    assert exit_info.value.code  # a message: SystemExit exits with status 1
    assert "no complaints" in str(exit_info.value.code)


def test_scales_a_database_generated_up_to_today(desk_scale, users, office):
    """The generator's default end is today: the copies go back in time, none is empty."""
    today = timezone.localdate()
    generate(office, 40, start=today - dt.timedelta(days=200), end=today)
    desk_scale.main(130)
    complaints = Complaint.objects.filter(office=office)
    assert complaints.count() == 160  # 40 and three copies
    assert complaints.filter(received_on__gt=today).count() == 0
    assert complaints.values("tracking_code").distinct().count() == 160
    assert complaints.values("register_number").distinct().count() == 160


def test_scales_forward_when_the_originals_leave_room(desk_scale, users, office):
    today = timezone.localdate()
    generate(office, 30, start=today - dt.timedelta(days=1000),
             end=today - dt.timedelta(days=900))
    desk_scale.main(60)
    complaints = Complaint.objects.filter(office=office)
    assert complaints.count() == 60
    assert complaints.filter(received_on__gt=today - dt.timedelta(days=800)).count() == 30
    assert complaints.filter(received_on__gt=today).count() == 0

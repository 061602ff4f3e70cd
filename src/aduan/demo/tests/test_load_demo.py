"""The demo office holds exactly the 32 seed complaints with the seed's counts (SPEC §7)."""

from collections import Counter

import pytest
from django.core.management import call_command

from aduan.complaints.models import Complaint
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.core.masking import mask_phone

pytestmark = pytest.mark.django_db


def test_load_demo_matches_tabel_1_and_is_idempotent():
    call_command("load_demo")
    call_command("load_demo")
    complaints = Complaint.objects.filter(office__code="dpmptsp-bengkalis")
    assert complaints.count() == 32
    per_channel = Counter(complaints.values_list("channel__code", flat=True))
    assert per_channel == {"sms_wa": 26, "website": 3, "meja_pengaduan": 2, "sp4n_lapor": 1}
    settled = sum(1 for s in complaints.values_list("status", flat=True)
                  if s in SETTLED_STATUSES)
    assert (settled, 32 - settled) == (31, 1)
    in_process = complaints.exclude(status__in=SETTLED_STATUSES).get()
    assert in_process.reporter.name == "DENNY SAPUTRA"
    assert in_process.unit.code == "perizinan-a"


def test_seed_case_26_date_error_is_refused_and_corrected():
    call_command("load_demo")
    case = Complaint.objects.get(events__data__seed_no=26)
    assert case.settled_on == case.received_on
    assert case.events.filter(kind="corrected").exists()


def test_seed_phones_mask_to_the_report():
    call_command("load_demo")
    first = Complaint.objects.get(events__data__seed_no=1)
    assert mask_phone(first.reporter.phone) == "0878-6374-xxxx"

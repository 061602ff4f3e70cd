"""The IKM section of the dashboard: the satisfaction index of the ratings given in the period,
element by element, and a plain statement when there are none."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.ikm.models import ServiceRating
from aduan.ikm.scoring import ELEMENT_CODES

pytestmark = pytest.mark.django_db

SEMESTER = {"start": "2025-01-01", "end": "2025-06-30"}
# Two respondents: element totals 7, 6, 8, 8, 6, 7, 8, 5, 6 (61); NRR sum 30.5;
# 30.5 x 0.11 x 25 = 83.875 -> 83.88, grade B.
ANSWERS = [[4, 3, 4, 4, 3, 4, 4, 3, 3], [3, 3, 4, 4, 3, 3, 4, 2, 3]]


@pytest.fixture
def ratings(demo):
    complaints = Complaint.objects.filter(office=demo).order_by("pk")[:3]
    for complaint, scores in zip(complaints, ANSWERS, strict=False):
        rating = ServiceRating.objects.create(
            complaint=complaint, score=3, elements=dict(zip(ELEMENT_CODES, scores, strict=True)))
        ServiceRating.objects.filter(pk=rating.pk).update(
            created_at=dt.datetime(2025, 5, 2, 10, tzinfo=ZoneInfo("Asia/Jakarta")))
    old = ServiceRating.objects.create(complaint=complaints[2], score=4, elements={})
    ServiceRating.objects.filter(pk=old.pk).update(
        created_at=dt.datetime(2025, 4, 2, 10, tzinfo=ZoneInfo("Asia/Jakarta")))


def test_dashboard_shows_the_ikm_of_the_period(client, demo_users, ratings, settings):
    settings.ADUAN_IKM_ELEMENT_WEIGHT = "0.11"
    login_verified(client, demo_users["kadis"])
    page = client.get(reverse("reports:dashboard"), SEMESTER).content.decode()
    assert 'id="ikm-value">83,88<' in page
    assert 'id="ikm-grade">B <small>(Baik)</small>' in page
    assert 'id="ikm-respondents">2<' in page
    assert "<td>U3 Waktu penyelesaian</td><td>8</td><td>4,00</td><td>0,440</td>" in page
    assert "<td>U8 Penanganan pengaduan, saran dan masukan</td><td>5</td><td>2,50</td>" in page
    assert "1 penilaian lama hanya berisi nilai keseluruhan" in page

    later = client.get(reverse("reports:dashboard"),
                       {"start": "2025-07-01", "end": "2025-12-31"}).content.decode()
    assert 'id="ikm-empty"' in later and 'id="ikm-value"' not in later

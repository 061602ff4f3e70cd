"""The dashboard's chart SVGs (reports/dashboard_charts.py): drawn once per content, read from
the cache after, drawn again as soon as a figure changes."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.tests.factories import register_complaint
from aduan.reports.builders import charts
from aduan.reports.dashboard_charts import dashboard_chart_svg

pytestmark = pytest.mark.django_db
SEMESTER = {"start": "2025-01-01", "end": "2025-06-30"}


def _chart(client, chart: str) -> bytes:
    response = client.get(reverse("reports:dashboard-chart", args=[chart]), SEMESTER)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    return response.content


def test_the_same_figures_are_drawn_once_and_served_from_the_cache(client, demo_users):
    login_verified(client, demo_users["kadis"])
    with mock.patch.object(charts, "bar_chart", wraps=charts.bar_chart) as draw:
        first = _chart(client, "status")
        again = _chart(client, "status")
        assert draw.call_count == 1
        _chart(client, "channel")
        assert draw.call_count == 2
    assert again == first and first.lstrip().startswith(b"<?xml")


def test_a_new_case_redraws_the_chart_with_its_count(client, demo, demo_users):
    login_verified(client, demo_users["kadis"])
    before = _chart(client, "channel")
    register_complaint(demo)
    with mock.patch.object(charts, "bar_chart", wraps=charts.bar_chart) as draw:
        after = _chart(client, "channel")
        assert draw.call_count == 1
    assert after != before


def test_the_key_is_the_whole_content():
    with mock.patch.object(charts, "bar_chart", wraps=charts.bar_chart) as draw:
        a = dashboard_chart_svg(["Website", "SMS / WA"], [3, 26], horizontal=True)
        assert dashboard_chart_svg(["Website", "SMS / WA"], [3, 26], horizontal=True) == a
        dashboard_chart_svg(["Website", "SMS / WA"], [3, 26], horizontal=False)
        dashboard_chart_svg(["Website", "Surel"], [3, 26], horizontal=True)
        dashboard_chart_svg(["Website", "SMS / WA"], [4, 26], horizontal=True)
        assert draw.call_count == 4

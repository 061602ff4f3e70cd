"""The regency dashboard and the public regency statistics in a real browser: the oversight
login lands on the dashboard, the tables read on a phone and a desktop, axe finds nothing
serious (screenshots in docs/screenshots/ with ADUAN_SCREENSHOTS=1)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from aduan.accounts.models import Role, User
from aduan.offices.models import Office
from aduan.oversight import selectors
from aduan.reports.forms import semester_of
from aduan.reports.selectors import Period
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _patient_pages(request):
    for name in ("page", "phone_page"):
        if name in request.fixturenames:
            request.getfixturevalue(name).set_default_timeout(60_000)


@pytest.fixture
def regency_demo(db) -> list[Office]:
    """The demo regency (load_demo): the seed office, the central intake and three offices,
    with the oversight login "inspektorat"."""
    call_command("load_demo", stdout=io.StringIO())
    assert User.objects.get(username="inspektorat").has_role(Role.OVERSIGHT)
    return selectors.regency_offices()


def _expected(offices: list[Office]) -> selectors.RegencyFigures:
    latest = selectors.regency_latest_received_on(offices)
    period = Period(*semester_of(latest))
    return selectors.regency_figures(period, as_of=timezone.localdate(), offices=offices)


def _no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_oversight_lands_on_the_regency_dashboard_on_a_desktop(page, live_server,
                                                              regency_demo, login):
    expected = _expected(regency_demo)
    login(page, "inspektorat")
    page.goto(f"{live_server.url}/desk/")
    page.wait_for_selector("#offices")
    assert page.url.endswith("/desk/kabupaten/")
    assert page.inner_text("#kpi-total") == str(expected.total.total)
    assert expected.total.total > 0
    assert page.locator("#offices tbody tr").count() == len(regency_demo) >= 5
    text = page.inner_text("main")
    from aduan.complaints.models import Complaint

    for case in Complaint.objects.select_related("reporter"):  # nothing of any case
        assert case.subject not in text and case.register_number not in text
        if case.reporter.name:
            assert case.reporter.name not in text
    assert axe_violations(page) == []
    save_screenshot(page, "regency-dashboard-desktop.png", full_page=True)
    busiest = max(expected.rows, key=lambda r: r.total)
    page.click(f'#offices tr[data-key="{busiest.key}"] th a')
    page.wait_for_selector("#units")
    assert page.inner_text("#kpi-total") == str(busiest.total)
    assert axe_violations(page) == []
    save_screenshot(page, "regency-office-desktop.png", full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.startswith(f"rekap-{busiest.key}-")


def test_regency_dashboard_on_a_phone(phone_page, live_server, regency_demo, login):
    login(phone_page, "inspektorat")
    phone_page.goto(f"{live_server.url}/desk/kabupaten/")
    phone_page.wait_for_selector("#offices")
    assert _no_horizontal_scroll(phone_page)
    # The table keeps its headings on a phone and scrolls inside its own region.
    assert phone_page.locator("#offices thead").is_visible()
    assert axe_violations(phone_page) == []
    save_screenshot(phone_page, "regency-dashboard-phone.png", full_page=True)


def test_public_regency_statistics(page, phone_page, live_server, regency_demo):
    total = selectors.regency_public_stats(
        selectors.regency_years(regency_demo)[0], offices=regency_demo).total.total
    for viewer, name in ((page, "desktop"), (phone_page, "phone")):
        viewer.goto(f"{live_server.url}/statistik/")
        viewer.click("#regency-link")
        viewer.wait_for_selector("#regency-offices")
        assert viewer.inner_text("#stat-total") == str(total)
        assert _no_horizontal_scroll(viewer)
        assert axe_violations(viewer) == []
        save_screenshot(viewer, f"regency-statistics-{name}.png", full_page=True)

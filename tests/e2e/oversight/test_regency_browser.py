"""The regency dashboard and the public regency statistics in a real browser: the oversight
login lands on the dashboard, the tables read on a phone and a desktop, axe finds nothing
serious (screenshots in docs/screenshots/ with ADUAN_SCREENSHOTS=1)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from aduan.accounts.models import Role, User
from aduan.accounts.testing import totp_device_for
from aduan.demo.users import DEMO_PASSWORD
from aduan.offices.models import Office
from aduan.oversight.tests.conftest import REPORTER_NAME, SUBJECT, make_case, make_office, survey
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _patient_pages(request):
    for name in ("page", "phone_page"):
        if name in request.fixturenames:
            request.getfixturevalue(name).set_default_timeout(60_000)


@pytest.fixture
def regency_demo(db) -> Office:
    """The seed office's 32 cases and two more offices of a small regency."""
    call_command("load_demo", stdout=io.StringIO())
    seed = Office.objects.get(code="dpmptsp-bengkalis")
    pupr = make_office("dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang")
    dlh = make_office("dlh", "Dinas Lingkungan Hidup")
    for received, due, settled, unit in [
            ("2025-01-06", "2025-02-03", "2025-01-30", 1), ("2025-02-03", "2025-03-03", None, 1),
            ("2025-03-03", "2025-03-31", "2025-04-08", 2), ("2025-04-07", "2025-05-05", None, 2),
            ("2025-05-05", "2025-06-02", "2025-05-20", None), ("2025-06-16", "2025-07-14", None,
                                                                 None)]:
        make_case(pupr, received, due, settled=settled, unit=unit)
    for received, due, settled in [("2025-02-10", "2025-03-10", "2025-02-20"),
                                   ("2025-05-12", "2025-06-10", "2025-06-09")]:
        make_case(dlh, received, due, settled=settled, unit=1)
    survey(dlh, 4, make_case(dlh, "2025-03-03", "2025-03-31", settled="2025-03-20").received_on)
    user = User.objects.create_user(username="pengawas", password=DEMO_PASSWORD, office=seed,
                                    first_name="Inspektorat", last_name="Kabupaten")
    user.groups.add(Group.objects.get(name=Role.OVERSIGHT.value))
    totp_device_for(user)  # two factors: the oversight role is in every office's policy
    return seed


def _no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_oversight_lands_on_the_regency_dashboard_on_a_desktop(page, live_server,
                                                              regency_demo, login):
    login(page, "pengawas")
    page.goto(f"{live_server.url}/desk/")
    page.wait_for_selector("#offices")
    assert page.url.endswith("/desk/kabupaten/")
    assert page.inner_text("#kpi-total") == "41"  # 32 + 6 + 3
    rows = page.locator("#offices tbody tr")
    assert rows.count() == 3
    text = page.inner_text("main")
    assert REPORTER_NAME not in text and SUBJECT not in text
    assert axe_violations(page) == []
    save_screenshot(page, "regency-dashboard-desktop.png", full_page=True)
    page.click("text=Dinas Pekerjaan Umum dan Penataan Ruang")
    page.wait_for_selector("#units")
    assert page.inner_text("#kpi-total") == "6"
    assert axe_violations(page) == []
    save_screenshot(page, "regency-office-desktop.png", full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.startswith("rekap-dinas-pupr-")


def test_regency_dashboard_on_a_phone(phone_page, live_server, regency_demo, login):
    login(phone_page, "pengawas")
    phone_page.goto(f"{live_server.url}/desk/kabupaten/?start=2025-01-01&end=2025-06-30")
    phone_page.wait_for_selector("#offices")
    assert _no_horizontal_scroll(phone_page)
    # The table keeps its headings on a phone and scrolls inside its own region.
    assert phone_page.locator("#offices thead").is_visible()
    assert axe_violations(phone_page) == []
    save_screenshot(phone_page, "regency-dashboard-phone.png", full_page=True)


def test_public_regency_statistics(page, phone_page, live_server, regency_demo):
    for viewer, name in ((page, "desktop"), (phone_page, "phone")):
        viewer.goto(f"{live_server.url}/statistik/")
        viewer.click("#regency-link")
        viewer.wait_for_selector("#regency-offices")
        assert viewer.inner_text("#stat-total") == "41"
        assert _no_horizontal_scroll(viewer)
        assert axe_violations(viewer) == []
        save_screenshot(viewer, f"regency-statistics-{name}.png", full_page=True)

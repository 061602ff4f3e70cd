"""The audit view in a real browser: a unit staff member's refusals appear for the team lead,
the filter narrows them; phone and desktop screenshots, nothing serious for axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aduan.complaints.tests.factories import register_complaint
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_team_lead_reads_and_filters_the_denials(viewport, request, live_server, users, office,
                                                 login):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    complaint = register_complaint(office)
    login(page, "perizinan_b")  # a unit staff member tries what is not theirs
    for path in [f"/desk/pengaduan/{complaint.pk}/", "/desk/laporan/", "/desk/catat/"]:
        page.goto(live_server.url + path)
    page.context.clear_cookies()
    login(page, "ketua")
    page.click("text=Jejak audit")
    expect(page.locator("#audit-count")).to_have_text("3 catatan.")
    expect(page.locator(".audit-table")).to_contain_text("desk:complaint-detail")
    expect(page.locator(".audit-table")).to_contain_text(f"complaint {complaint.pk}")
    page.fill("#id_action", "reports")
    page.click("#audit-filter-submit")
    expect(page.locator("#audit-count")).to_have_text("1 catatan.")
    expect(page.locator(".audit-table tbody tr")).to_have_count(1)
    page.fill("#id_action", "")
    page.click("#audit-filter-submit")
    # The filter submits a GET; wait for the new page before axe reads the document.
    expect(page.locator("#audit-count")).to_have_text("3 catatan.")
    page.wait_for_load_state("load")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    save_screenshot(page, "audit-denials-phone.png" if viewport == "phone"
                    else "audit-denials.png", full_page=True)

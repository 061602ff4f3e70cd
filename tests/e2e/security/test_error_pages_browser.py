"""The 403, 404 and 500 pages in a real browser, on a phone and a desktop: the portal's or the
desk's navigation, no horizontal scrolling, nothing serious for axe-core, and screenshots
(docs/screenshots/errors-*.png with ADUAN_SCREENSHOTS=1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.urls("aduan.core.tests.urls_boom")]

# name, user (None: a visitor), path, status, heading, link expected in the page
PAGES = [
    ("404-portal", None, "/pengaduan/tidak-ada/", 404, "Halaman tidak ditemukan", "/lacak/"),
    ("500-portal", None, "/boom/", 500, "Terjadi gangguan pada sistem", "/lacak/"),
    ("403-desk", "perizinan_a", "/desk/laporan/", 403, "Akses ditolak", "/desk/"),
    ("404-desk", "perizinan_b", "/desk/pengaduan/999999/", 404, "Halaman tidak ditemukan",
     "/desk/"),
    ("500-desk", "petugas", "/desk/boom/", 500, "Terjadi gangguan pada sistem", "/desk/"),
]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_error_pages_are_styled_navigable_and_accessible(viewport, request, live_server, users,
                                                        login):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    problems: list[str] = []
    for name, username, path, status, heading, link in PAGES:
        page.context.clear_cookies()
        if username:
            login(page, username)
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == status, name
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator(f'.error-actions a[href="{link}"]')).to_be_visible()
        # Fits the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        problems += [f"{name}: {v}" for v in axe_violations(page)]
        suffix = "-phone" if viewport == "phone" else ""
        save_screenshot(page, f"errors-{name}{suffix}.png", full_page=True)
    assert problems == []

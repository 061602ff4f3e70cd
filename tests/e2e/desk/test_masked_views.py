"""A confidential case as unit staff see it in the browser, phone and desktop: the reporter is
"(dirahasiakan)" and the free text is redacted (docs/privacy.md, "Who sees what"). The
screenshots are the ones docs/privacy.md refers to."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aduan.complaints.tests.test_identity_unrecoverable import (
    NAME,
    leaks,
)
from aduan.complaints.tests.test_identity_unrecoverable import (
    confidential_case as confidential_case,  # noqa: PLC0414 - a fixture, re-exported
)
from tests.e2e.shots import save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "shot"), [
    ("phone_page", "desk-case-unit-masked-phone.png"),
    ("page", "desk-case-unit-masked.png"),
])
def test_unit_staff_see_a_confidential_case_masked(request, live_server, login,
                                                   confidential_case, viewport, shot):
    page = request.getfixturevalue(viewport)
    login(page, "perizinan_a")
    page.goto(f"{live_server.url}/desk/pengaduan/{confidential_case.pk}/")
    reporter = page.locator(".reporter-card")
    expect(reporter).to_contain_text("(dirahasiakan)")
    expect(page.locator(".case-text")).to_contain_text("[dihapus]")
    assert leaks(page.content()) == set()
    assert NAME not in page.inner_text("body")
    save_screenshot(page, shot, full_page=True)

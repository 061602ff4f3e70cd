"""A web submission refused by the per-contact limit, in a real browser (phone 390 px and
desktop 1280 px): the page from the memoised skeleton (portal/pagecache.refill_page) keeps
every value typed, chosen and ticked, says when to try again, and a second refusal (from the
memo) keeps them too. With ADUAN_SCREENSHOTS=1 the pages are saved as
docs/screenshots/portal-submit-limited*.png."""

from __future__ import annotations

import pytest

from aduan.offices.models import ServiceType
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "Jl. Perwira No. 7\nRT 02 / RW 03 <Bengkalis>"
DESCRIPTION = '\nSIP bidan "belum" terbit & {{ status }} sejak 2 minggu.\nTerima kasih.'


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_refused_submission_keeps_what_was_typed(size, request, live_server, portal,
                                                    settings):
    settings.ADUAN_RATE_LIMITS = {"web_submit": None, "submit_contact": (0, 3600)}
    chosen = ServiceType.objects.filter(office=portal, is_active=True).order_by("name").last()
    page = request.getfixturevalue("phone_page" if size == "phone" else "page")
    page.set_default_timeout(60_000)  # a bound on a shared, loaded machine; no assert
    page.goto(f"{live_server.url}/pengaduan/kirim/")
    page.fill("#id_name", "Rahmi \"Ayu\" <Ayunda>")
    page.fill("#id_address", ADDRESS)
    page.fill("#id_phone", "0851-5679-1234")
    page.select_option("#id_service_type", str(chosen.pk))
    page.fill("#id_subject", "SIP belum terbit")
    page.fill("#id_description", DESCRIPTION)
    page.check("#id_is_confidential")
    page.check("#id_consent")
    for _ in range(2):  # the second refusal is answered from the memo
        page.click("#submit-complaint")
        page.wait_for_selector("#form-problems")
        problems = page.inner_text("#form-problems")
        assert "Terlalu banyak pengaduan" in problems and "menit" in problems
        assert page.input_value("#id_name") == "Rahmi \"Ayu\" <Ayunda>"
        assert page.input_value("#id_address") == ADDRESS
        assert page.input_value("#id_description") == DESCRIPTION.replace("\r\n", "\n")
        assert page.input_value("#id_service_type") == str(chosen.pk)
        assert page.is_checked("#id_is_confidential") and page.is_checked("#id_consent")
        assert not page.is_checked("#id_is_anonymous")
        assert page.input_value("#id_email") == ""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    suffix = "-phone" if size == "phone" else ""
    save_screenshot(page, f"portal-submit-limited{suffix}.png", full_page=False)

"""The pages a reporter sees while a web submission waits for the worker (decision 0015):
the receipt in its pending state, with a contact and anonymous without one, and the status
lookup answering the pending code. The real form is submitted in Chromium to the live server
with the database task queue and no worker running, so the row stays pending. On a phone
(390x844) and a desktop (1366x900): the visible text, axe (nothing serious or critical), no
sideways scroll. With ADUAN_SCREENSHOTS=1 the pages are saved as
docs/screenshots/portal-pending-*.png (the anonymous receipt and the lookup
also in English)."""

from __future__ import annotations

import pytest

from aduan.complaints.models import Complaint, SubmissionKey
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import PHONE
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                        "QUEUES": ["default"]}}


# The receipt and the lookup on a phone and on a wider desktop than the default.
DEVICES = {"phone": PHONE, "desktop": {"viewport": {"width": 1366, "height": 900}}}


@pytest.fixture
def no_worker(settings):  # type: ignore[no-untyped-def]
    """The database task queue and no worker: an accepted submission waits in its row."""
    settings.TASKS = DB_TASKS
    return settings


def _check(page, name: str) -> None:  # type: ignore[no-untyped-def]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    assert axe_violations(page) == [], name
    save_screenshot(page, f"portal-pending-{name}.png", full_page=True)


def _submit(page, url: str, *, anonymous: bool) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/pengaduan/kirim/")
    if anonymous:
        page.check("#id_is_anonymous")
    else:
        page.fill("#id_name", "Rahmi Ayunda")
        page.fill("#id_phone", "0851-5679-1234")
        page.fill("#id_email", "ayunda@example.org")
    page.fill("#id_subject", "SIP bidan belum terbit")
    page.fill("#id_description", "Sudah dua minggu menunggu SIP bidan, belum ada kabar.")
    page.check("#id_consent")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")


@pytest.mark.parametrize("device", list(DEVICES))
def test_pending_receipt_and_lookup(new_page, live_server, portal, no_worker, device):  # type: ignore[no-untyped-def]
    page = new_page(**DEVICES[device])

    # With a contact: the number will be sent there.
    _submit(page, live_server.url, anonymous=False)
    assert not Complaint.objects.exists()
    key = SubmissionKey.objects.get(complaint__isnull=True)
    assert page.inner_text("#tracking-code") == key.tracking_code
    pending = page.inner_text("#register-pending")
    assert "Nomor register sedang dicatat dan akan dikirim ke kontak Anda." in pending
    assert page.locator("#register-number").count() == 0
    main = page.inner_text("#main")
    assert "SIP bidan belum terbit" in main
    assert "Tanda terima juga dikirim ke e-mail Anda." in main
    _check(page, f"receipt-contact-{device}")

    # Reloaded while the worker is still down: the same pending receipt.
    page.click("#receipt-reload")
    page.wait_for_selector("#register-pending")
    assert page.inner_text("#tracking-code") == key.tracking_code

    # The lookup answers the pending code (typed as people copy it), no contact promised.
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", key.tracking_code.lower().replace("-", " "))
    page.click("#track-submit")
    page.wait_for_selector("#track-pending")
    status = page.inner_text("#track-pending")
    assert "Diterima, sedang dicatat" in status
    assert "sedang dicatat" in status and "kontak" not in status
    assert page.locator("#track-error").count() == 0
    _check(page, f"track-{device}")

    # Anonymous, without a contact: the page says to note the code and reload.
    _submit(page, live_server.url, anonymous=True)
    anonymous = SubmissionKey.objects.exclude(pk=key.pk).get(complaint__isnull=True)
    assert page.inner_text("#tracking-code") == anonymous.tracking_code
    pending = page.inner_text("#register-pending")
    assert "akan tampil di halaman ini sebentar lagi" in pending
    assert "kontak" not in pending
    assert "Anda tidak mencantumkan e-mail atau nomor HP" in page.inner_text("#main")
    _check(page, f"receipt-anonymous-{device}")
    assert not Complaint.objects.exists()

    # The same receipt in English (the language switch in the header): translated, not mixed.
    page.click(".lang-switch button[value=en]")
    page.wait_for_selector("html[lang=en]")
    page.wait_for_selector("#register-pending")
    pending = page.inner_text("#register-pending")
    assert "Your register number is being recorded and will appear on this page" in pending
    assert "Reload this page" in pending and "dicatat" not in pending
    assert page.inner_text("#tracking-code") == anonymous.tracking_code
    _check(page, f"receipt-anonymous-en-{device}")
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", anonymous.tracking_code)
    page.click("#track-submit")
    page.wait_for_selector("#track-pending")
    status = page.inner_text("#track-pending")
    assert "Received, being recorded" in status
    assert "dicatat" not in status and "Pengaduan" not in status
    _check(page, f"track-en-{device}")
    assert not Complaint.objects.exists()

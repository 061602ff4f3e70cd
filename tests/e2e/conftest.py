"""Browser tests: Playwright driving Debian's chromium against Django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from aduan.demo.users import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# test body (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

# Each wait ends as soon as its condition holds; the bound is for a loaded CI machine, where a
# submission's first request in a process also loads the triage model (tasks run in-process).
E2E_TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Browser contexts: Indonesian on a 1280x900 desktop unless a test says otherwise.
DESKTOP: dict[str, Any] = {"locale": "id-ID", "viewport": {"width": 1280, "height": 900}}
# A phone-sized viewport (390x844, like a mid-range Android phone).
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                         "is_mobile": True, "has_touch": True}


@pytest.fixture
def new_page(browser):  # type: ignore[no-untyped-def]
    """`new_page(**options)`: a page in a context of its own (DESKTOP, with Playwright's
    `new_context` options on top: PHONE, another viewport, `java_script_enabled=False`,
    another locale), waiting at most E2E_TIMEOUT_MS; every context it opened is closed when
    the test ends, failed or not."""
    contexts = []

    def _new_page(**options: Any):  # type: ignore[no-untyped-def]
        context = browser.new_context(**{**DESKTOP, **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(E2E_TIMEOUT_MS)
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    return new_page()


@pytest.fixture
def phone_page(new_page):  # type: ignore[no-untyped-def]
    return new_page(**PHONE)


@pytest.fixture
def login(live_server):  # type: ignore[no-untyped-def]
    """Log `page` in as a demo user through the real pages: the password, then the code of
    the user's authenticator (the demo TOTP device that load_demo_users created)."""

    def _login(page, username: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
        from aduan.accounts.models import User
        from aduan.accounts.testing import totp_code_unused, totp_device_for

        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("#login-submit")
        page.wait_for_load_state("networkidle")
        if "/akun/masuk/verifikasi/" in page.url:
            device = totp_device_for(User.objects.get(username=username))
            page.fill("#id_code", totp_code_unused(device))
            page.click("#token-submit")
            page.wait_for_load_state("networkidle")

    return _login

"""Screenshots of the desk with the demo office (docs/screenshots/desk-*.png).

    ADUAN_SQLITE_PATH=var/desk.sqlite3 .venv/bin/python manage.py migrate
    ADUAN_SQLITE_PATH=var/desk.sqlite3 .venv/bin/python manage.py load_demo
    ADUAN_SQLITE_PATH=var/desk.sqlite3 .venv/bin/python manage.py runserver 127.0.0.1:8100 &
    .venv/bin/python bench/desk_screenshots.py http://127.0.0.1:8100 <case id>
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "bengkalis-demo-2025")
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")
    if "/verifikasi/" in page.url:  # the second step: the demo user's current TOTP code
        code = subprocess.run([sys.executable, "manage.py", "demo_totp", username],
                              capture_output=True, text=True, check=True).stdout.strip()
        page.fill("#id_code", code)
        page.click("#token-submit")
        page.wait_for_load_state("networkidle")


def main(base: str, case_id: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desktop = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        login(desktop, base, "petugas")
        desktop.wait_for_selector(".count-list")
        desktop.screenshot(path=OUT / "desk-inbox.png", full_page=False)
        desktop.goto(f"{base}/desk/pengaduan/{case_id}/")
        desktop.click("#action-verify > summary") if desktop.locator(
            "#action-verify").count() else None
        desktop.screenshot(path=OUT / "desk-case.png", full_page=True)
        desktop.goto(f"{base}/desk/register/?start=2025-01-01&end=2025-06-30")
        desktop.screenshot(path=OUT / "desk-register.png", full_page=False)
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="id-ID",
                                 device_scale_factor=2, is_mobile=True, has_touch=True)
        login(phone, base, "perizinan_a")
        phone.screenshot(path=OUT / "desk-inbox-phone.png", full_page=False)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

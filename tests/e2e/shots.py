"""Screenshots from browser tests: kept under var/ normally, and written to docs/screenshots/
(the committed ones) only when ADUAN_SCREENSHOTS=1, so a test run never changes tracked files."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def save_screenshot(page, name: str, *, full_page: bool = False) -> Path:  # type: ignore[no-untyped-def]
    if os.environ.get("ADUAN_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
    else:
        folder = ROOT / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=full_page)
    return path

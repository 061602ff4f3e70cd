"""The inbox opens on open work with counts per state; settled cases are one click away (issue
#20). Phone and desktop screenshots; axe finds nothing serious."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_inbox_opens_on_open_work_with_counts_per_state(request, device, live_server, login,
                                                        users, office, officer):
    from aduan.complaints import services
    from aduan.complaints.tests.factories import register_complaint

    page = request.getfixturevalue(device)
    register_complaint(office, subject="Akun e-Pinter terkunci")
    settled = register_complaint(office, subject="Pertanyaan syarat izin apotek")
    services.complaint_answer(complaint_id=settled.pk, actor=officer, answer="Syaratnya di laman.")
    login(page, "petugas")
    expect(page.locator(".case-link")).to_have_count(1)
    expect(page.locator(".status-counts")).to_contain_text("Dalam proses 1")
    expect(page.locator(".status-counts")).to_contain_text("Selesai 1")
    assert axe_violations(page) == []
    save_screenshot(page, f"desk-inbox-open-work-{'phone' if device == 'phone_page' else 'desktop'}.png")
    page.locator(".state-tabs a", has_text="Selesai").click()
    expect(page.locator("#inbox-results")).to_contain_text("Pertanyaan syarat izin apotek")
    expect(page.locator(".case-link")).to_have_count(1)

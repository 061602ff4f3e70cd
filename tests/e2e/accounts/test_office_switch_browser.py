"""The office switcher in the desk header (issue 18): a user of two offices switches in the
browser and sees the other office's inbox; a single-office user sees no switcher. Phone and
desktop screenshots; axe finds nothing serious."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_office_switcher_in_the_desk_header(request, device, live_server, login, users,
                                            office, officer):
    from aduan.accounts.models import Membership, Role
    from aduan.complaints.models import Complaint
    from aduan.complaints.tests.factories import register_complaint
    from aduan.offices.models import Channel, ChannelKind, Office, Unit

    page = request.getfixturevalue(device)
    other = Office.objects.create(code="dlh", name="Dinas Lingkungan Hidup",
                                  short_name="DLH", city="Bengkalis")
    unit = Unit.objects.create(office=other, code="kebersihan", name="Bidang Kebersihan")
    Channel.objects.create(office=other, code="wa", name="WhatsApp DLH",
                           kind=ChannelKind.WHATSAPP, contact="0811-7600-200")
    Membership.objects.create(user=officer, office=other, unit=unit,
                              roles=[Role.UNIT_STAFF.value])
    register_complaint(office, subject="Izin apotek belum selesai")
    dlh = register_complaint(other, channel_code="wa", subject="Sampah belum diangkut")
    Complaint.objects.filter(pk=dlh.pk).update(unit=unit)

    login(page, "petugas")
    switcher = page.locator("form.office-switch")
    expect(switcher).to_be_visible()
    expect(page.locator("#inbox-results")).to_contain_text("Izin apotek belum selesai")
    page.select_option("#office-switch", str(other.pk))
    switcher.locator("button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#inbox-results")).to_contain_text("Sampah belum diangkut")
    expect(page.locator("#inbox-results")).not_to_contain_text("Izin apotek belum selesai")
    expect(page.locator("#office-switch option:checked")).to_have_text(
        "Dinas Lingkungan Hidup")
    assert axe_violations(page) == []
    suffix = "phone" if device == "phone_page" else "desktop"
    save_screenshot(page, f"desk-office-switcher-{suffix}.png")


def test_single_office_user_has_no_switcher(page, live_server, login, users):
    login(page, "ketua")
    expect(page.locator("#inbox-results")).to_be_visible()
    expect(page.locator("form.office-switch")).to_have_count(0)

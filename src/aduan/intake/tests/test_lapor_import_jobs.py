"""LAPOR! imports run as background jobs: the upload is checked at once, the rows are
imported by the job with its progress written as it goes, and the result page summarises
(counts, then only the rows with problems) instead of listing every row."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.intake.adapters import lapor
from aduan.intake.models import ImportJobStatus, LaporImportJob

pytestmark = pytest.mark.django_db

IMPORT = reverse("intake_desk:lapor-import")
HEADER = "ID Laporan;Tanggal Laporan;Judul Laporan;Isi Laporan;Kategori;Nama Pelapor;No HP\n"


def _csv(n: int, bad: tuple[int, ...] = ()) -> bytes:
    lines = [HEADER]
    for i in range(n):
        day = "31/02/2025" if i in bad else "03/03/2025"
        lines.append(f"LPR-J-{i};{day};Izin {i};Isi laporan {i};Pengaduan;Warga {i};"
                     f"08127700{i:04d}\n")
    return "".join(lines).encode()


def _upload(content: bytes, name: str = "ekspor.csv") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_upload_queues_a_job_and_the_result_page_summarises(client, office, officer):
    login_verified(client, officer)
    response = client.post(IMPORT, {"file": _upload(_csv(25, bad=(3, 17)))})
    job = LaporImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake_desk:lapor-import-job",
                                           kwargs={"job_id": job.pk})
    # The immediate task backend of the tests ran the job already.
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert (job.total_rows, job.processed_rows) == (25, 25)
    assert (job.created_count, job.duplicate_count, job.error_count) == (23, 0, 2)
    assert job.content == b""  # the file is kept (scrubbed) on the inbound item only
    assert Complaint.objects.count() == 23

    page = client.get(response["Location"]).text
    assert "23 laporan dicatat, 0 sudah ada sebelumnya, 2 baris bermasalah." in page
    assert 'id="import-progress"' not in page  # finished: no progress bar, no polling
    assert "hx-trigger" not in page
    # Only the rows with problems are listed, not every row.
    assert page.count('class="problem-error"') == 2
    assert "Baris 5" in page and "Baris 19" in page
    assert "LPR-J-0" not in page and "Warga 1" not in page

    # Again: every row is a duplicate or an error, listed as such.
    client.post(IMPORT, {"file": _upload(_csv(25, bad=(3, 17)))})
    again = LaporImportJob.objects.order_by("-pk").first()
    assert (again.created_count, again.duplicate_count, again.error_count) == (0, 23, 2)
    assert Complaint.objects.count() == 23


def test_progress_page_polls_while_the_job_runs(client, office, officer):
    login_verified(client, officer)
    job = lapor.lapor_import_start(office=office, content=_csv(30), filename="a.csv",
                                   actor=officer)
    url = reverse("intake_desk:lapor-import-job", kwargs={"job_id": job.pk})
    page = client.get(url).text
    assert 'hx-trigger="every 2s"' in page
    assert "0 dari 30 baris diproses" in page
    seen = []

    def watch(done, result):
        seen.append(done)

    lapor.lapor_import(office=office, content=_csv(3), filename="b.csv", actor=officer,
                       progress=watch)
    assert seen == [1, 2, 3]
    LaporImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING,
                                                    processed_rows=10)
    part = client.get(url, HTTP_HX_REQUEST="true").text
    assert part.startswith('<div id="import-status"')
    assert 'value="10"' in part and "10 dari 30 baris diproses" in part


def test_a_job_runs_once(office, officer):
    job = lapor.lapor_import_start(office=office, content=_csv(2), filename="a.csv",
                                   actor=officer)
    lapor.lapor_import_run(job.pk)
    lapor.lapor_import_run(job.pk)
    assert Complaint.objects.count() == 2


def test_an_unusable_file_is_refused_at_once_without_a_job(client, office, officer):
    login_verified(client, officer)
    response = client.post(IMPORT, {"file": _upload(b"judul;isi\nA;B\n")})
    assert response.status_code == 422
    assert "Kolom wajib tidak ada" in response.text
    assert not LaporImportJob.objects.exists()


def test_other_offices_jobs_and_other_roles_are_refused(client, office, officer, users):
    job = lapor.lapor_import_start(office=office, content=_csv(1), filename="a.csv",
                                   actor=officer)
    url = reverse("intake_desk:lapor-import-job", kwargs={"job_id": job.pk})
    login_verified(client, users["perizinan_a"])
    assert client.get(url).status_code == 403

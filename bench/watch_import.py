"""Benchmark: import 100,000 permit applications (issue 16) through the real job path.

Usage (see docs/benchmarks.md, section Watch):
    ADUAN_SQLITE_PATH=var/watch-bench.sqlite3 .venv/bin/python manage.py migrate
    ADUAN_SQLITE_PATH=var/watch-bench.sqlite3 .venv/bin/python manage.py load_demo
    ADUAN_SQLITE_PATH=var/watch-bench.sqlite3 .venv/bin/python bench/watch_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_watch_bench \
        .venv/bin/python bench/watch_import.py
Options: --rows N (default 100000), --format csv|xlsx, --keep (do not delete the rows first).

A file of N rows in the shape of a licensing export (Indonesian dates, blank cells, phones,
NIBs, 12 permit types, 7 holders, 1% bad rows) is written to var/, then imported by
`importers.job_run` exactly as the background task does (mapping, parsing, encrypting the
contacts, working days on the office calendar, batched writes, progress, rejected rows). The
same file is then imported again (nothing changes). Printed: wall and CPU time of each run,
rows per second, and the process's peak resident memory (ru_maxrss, which includes the
rows generated for the file).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")

HEADERS = ["No. Registrasi", "Nama Pemohon", "No HP", "Email", "NIB", "Jenis Izin",
           "Tgl Pengajuan", "Tanggal Berkas Lengkap", "Tahapan", "Posisi Berkas", "Status",
           "Tanggal Terbit"]
TYPES = ["Izin Apotek", "SIP Bidan", "SIP Perawat", "SIP Dokter Gigi", "Izin Toko Obat",
         "Persetujuan Bangunan Gedung (PBG)", "Izin Penelitian", "Izin Reklame",
         "Izin Pertambangan (Galian C)", "Izin Klinik", "Perizinan Berusaha (OSS/NIB)",
         "Izin Lingkungan"]
HOLDERS = ["Bidang Perizinan A", "Bidang Perizinan B", "Bidang Rekomendasi",
           "Dinas Kesehatan Kabupaten Bengkalis", "Dinas PUPR Kabupaten Bengkalis",
           "DPMPTSP Provinsi Riau", "Dinas Lingkungan Hidup Kabupaten Bengkalis"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def _date_text(day: dt.date, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if style == 1:
        return day.strftime("%d/%m/%Y")
    return day.isoformat()


def make_rows(n: int, today: dt.date, seed: int = 16) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(n):
        submitted = today - dt.timedelta(days=rng.randrange(2, 540))
        complete = submitted + dt.timedelta(days=rng.randrange(0, 10))
        if complete > today:
            complete = today
        finished = complete + dt.timedelta(days=rng.randrange(1, 60))
        done = finished <= today and rng.random() < 0.7
        bad = rng.random() < 0.01
        rows.append([
            f"503/{i % 97:02d}/{submitted.year}/{i:07d}",
            f"Pemohon {i}" if not bad else "",
            f"0812{rng.randrange(10**7, 10**8)}" if rng.random() < 0.8 else "",
            f"pemohon{i}@contoh.id" if rng.random() < 0.3 else "",
            f"{rng.randrange(10**12, 10**13)}" if rng.random() < 0.4 else "",
            TYPES[i % len(TYPES)],
            _date_text(submitted, rng),
            _date_text(complete, rng) if rng.random() < 0.95 else "",
            rng.choice(["Verifikasi", "Survei lapangan", "Rekomendasi teknis",
                        "Penandatanganan", ""]),
            HOLDERS[i % len(HOLDERS)],
            "Selesai" if done else "Proses",
            _date_text(finished, rng) if done else "",
        ])
    return rows


def write_file(path: Path, rows: list[list[object]], fmt: str) -> None:
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADERS)
            writer.writerows(rows)
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def main() -> None:
    import django

    django.setup()
    from django.core.files import File
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from aduan.offices.models import Office
    from aduan.watch.importers import guess_mapping, job_run
    from aduan.watch.models import ImportJob, ImportStatus, PermitApplication, WatchAction

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--office", default="dpmptsp-bengkalis")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    office = Office.objects.get(code=args.office)
    if not args.keep:
        WatchAction.objects.filter(application__office=office).delete()
        PermitApplication.objects.filter(office=office).delete()
    path = ROOT / "var" / f"watch-bench-{args.rows}.{args.format}"
    began = time.perf_counter()
    write_file(path, make_rows(args.rows, timezone.localdate()), args.format)
    print(f"database: {connection.vendor}; {args.rows:,} rows written to {path.name} "
          f"({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - began:.1f} s")
    for attempt in ("first import", "re-import (same file)"):
        with path.open("rb") as handle:
            job = ImportJob(office=office, original_name=path.name, file_kind=args.format,
                            headers=HEADERS, mapping=guess_mapping(HEADERS),
                            status=ImportStatus.QUEUED)
            job.file.save(path.name, File(handle), save=True)
        began, began_cpu = time.perf_counter(), time.process_time()
        job = job_run(job)
        wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
        print(f"{attempt}: {job.status}; {wall:.1f} s wall, {cpu:.1f} s CPU, "
              f"{job.rows_done / wall:,.0f} rows/s; created {job.created:,}, updated "
              f"{job.updated:,}, unchanged {job.unchanged:,}, rejected {job.rejected:,}")
        job.file.delete(save=False)
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak resident memory of the process so far: {maxrss_mb:.0f} MB")
    counts = dict(PermitApplication.objects.filter(office=office).values_list("state")
                  .annotate(n=Count("pk")))
    print(f"states: {counts}")


if __name__ == "__main__":
    main()

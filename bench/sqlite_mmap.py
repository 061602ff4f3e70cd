"""SQLite's memory map against its page cache for a web worker (issue 17, worker memory): CPU
time per first lookup of a case (POST /lacak/, a code this process has not rendered, so the
tracking-page memo never answers) in process, through the whole stack, and the process's
memory afterwards as anonymous + file pages (/proc/self/status). Run it once per setting, on
portal_throughput.py's database after a worker_rss.py run (var/portal-bench-codes.txt):

    for mmap in 64 0 64 0; do ADUAN_SQLITE_MMAP_MB=$mmap DJANGO_SETTINGS_MODULE=bench.portal_settings \\
      PYTHONPATH=src:. ADUAN_VAR_DIR=var/portal-bench ADUAN_SQLITE_PATH=var/portal-bench.sqlite3 \\
      ADUAN_PUBLIC_URL=http://127.0.0.1 .venv/bin/python bench/sqlite_mmap.py; done

BENCH_LOOKUPS (default 3,000) lookups are measured after 200 unmeasured ones, each of another
code from the file's shuffled list; every run takes the same codes, so its reads of the
database file come from the OS page cache in every run alike.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

CODES = Path(__file__).resolve().parents[1] / "var" / "portal-bench-codes.txt"
N = int(os.environ.get("BENCH_LOOKUPS", "3000"))


def status_mb() -> str:
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    mb = {k: round(int(fields[k].split()[0]) / 1024) for k in ("VmRSS", "RssAnon", "RssFile")}
    return f"{mb['VmRSS']} MB ({mb['RssAnon']} anonymous + {mb['RssFile']} file)"


def main() -> None:
    codes = CODES.read_text().split()[: N + 200]
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/lacak/")
    for code in codes[:200]:
        assert client.post("/lacak/", {"code": code}).status_code == 200
    started = time.process_time()
    for code in codes[200:]:
        client.post("/lacak/", {"code": code})
    cpu = (time.process_time() - started) / (len(codes) - 200) * 1000
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA mmap_size")
        mmap = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
    print(
        f"| {mmap // 2**20} MB | {-cache} KB | {len(codes) - 200} | {cpu:.3f} | {status_mb()} | "
        f"{os.getloadavg()[0]:.1f} |",
        flush=True,
    )
    assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


if __name__ == "__main__":
    main()

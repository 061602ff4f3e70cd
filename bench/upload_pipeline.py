"""Cost of the attachment pipeline (complaints/attachments.py) per file, in process:

    .venv/bin/python bench/upload_pipeline.py --rounds 20

For a camera-like 5 MB JPEG with EXIF GPS (4000 x 3000 class, noise so it does not compress),
a 1 MB PDF, a real DOCX and the 611 KB zip bomb: the wall and CPU time of
`attachment_ingest` (stream to staging, type from content, bounded archive checks, decode with
the pixel limit, re-encode without metadata, sha256) and the process's peak RSS growth.
Prints one markdown table row per file kind (median of the rounds).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-upload-pipeline-secret-0123456789")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="aduan-bench-media-")
os.environ["ADUAN_VAR_DIR"] = tempfile.mkdtemp(prefix="aduan-bench-var-")

import django  # noqa: E402

django.setup()

from aduan.complaints.attachments import AttachmentRefused, attachment_ingest  # noqa: E402
from aduan.complaints.tests import hostile_files as hostile  # noqa: E402


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types>wordprocessingml.document.main+xml"
                                                "</Types>")
        archive.writestr("word/document.xml", "<w:p>Surat kuasa</w:p>" * 20000)
    return buffer.getvalue()


def rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(name: str, content: bytes, rounds: int) -> tuple[str, int, float, float, int]:
    walls, cpus = [], []
    peak_before = rss_kb()
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        with contextlib.suppress(AttachmentRefused):
            attachment_ingest(content, name=name).discard()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return (name, len(content), statistics.median(walls) * 1000,
            statistics.median(cpus) * 1000, rss_kb() - peak_before)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    files = [("foto-5mb.jpg", hostile.real_photo(5.0)),
             ("scan-1mb.pdf", b"%PDF-1.4\n" + os.urandom(1024 * 1024)),
             ("surat.docx", docx()),
             ("bom.docx", hostile.zip_bomb_docx()),
             ("denah.png", hostile.huge_png())]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| file | bytes | wall ms (median) | CPU ms (median) | peak RSS growth KB |")
    print("|---|---|---|---|---|")
    for name, content in files:
        label, size, wall, cpu, grown = measure(name, content, args.rounds)
        print(f"| {label} | {size:,} | {wall:.0f} | {cpu:.0f} | {grown:,} |")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

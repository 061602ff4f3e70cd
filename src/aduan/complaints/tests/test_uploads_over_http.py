"""Issue 13 over real HTTP: gunicorn serving the app (two sync workers, separate processes)
against the test database, attacked with real files the tests build. Memory is measured on the
worker process (its RSS before and after), never timed; every answer must come back with a
clear message and leave nothing on disk.

Runs on SQLite and on PostgreSQL (DATABASE_URL), like the rest of the suite.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Attachment, Complaint, SubmissionKey
from aduan.complaints.tests import hostile_files as hostile
from aduan.demo.office import load_demo_office
from aduan.portal import testing as portal_testing

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SUBMIT = "/pengaduan/kirim/"
API = "/api/v1/complaints"
# A worker that inflated the bomb or decoded the flood would grow by hundreds of MB (the
# issue measured 1.1 GB); parsing a 600 KB upload and answering costs a few MB.
RSS_BUDGET = 64 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_env() -> dict[str, str]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"ADUAN_SQLITE_PATH": str(db["NAME"])}
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {"DATABASE_URL": f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:"
                            f"{db.get('PORT') or 5432}/{db['NAME']}"}


# The served app runs with DEBUG off, so with keys of its own (published keys are refused);
# the tests sign form tokens with its SECRET_KEY, as its form page would.
SERVER_SECRET_KEY = "served-" + base64.urlsafe_b64encode(os.urandom(48)).decode()
SERVER_FIELD_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    media: Path
    log: Path

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss(self) -> int:
        """The resident memory of the serving workers together (bytes)."""
        total = 0
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        return total


@contextlib.contextmanager
def serve(tmp: Path, media: Path) -> Iterator[Server]:
    var = tmp / "var"
    var.mkdir(exist_ok=True)
    port = _free_port()
    log = tmp / "gunicorn.log"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        **_database_env(),
        "DJANGO_SETTINGS_MODULE": "aduan.config.settings", "SECRET_KEY": SERVER_SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": SERVER_FIELD_KEY,
        "ADUAN_VAR_DIR": str(var), "MEDIA_ROOT": str(media), "TASK_BACKEND": "db",
        "ADUAN_REFCACHE_SECONDS": "0", "CONN_MAX_AGE": "0", "DEBUG": "false",
        "ADUAN_TRUSTED_PROXIES": "127.0.0.1", "ALLOWED_HOSTS": "127.0.0.1",
        "ADUAN_PUBLIC_URL": "http://127.0.0.1", "ADUAN_MEDIA_STORAGE": "local",
        "PYTHONPATH": str(Path(settings.BASE_DIR) / "src"),
    }
    # DEBUG off serves only collected static files (hashed names), as in production.
    subprocess.run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "collectstatic",
                    "--noinput", "-v", "0"], env=env, check=True, capture_output=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(gunicorn), "aduan.config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
             "2", "--worker-class", "sync", "--timeout", "300", "--log-level", "warning"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, media, log)
    try:
        for _ in range(600):
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(server.url + "/", timeout=5)
                break
            time.sleep(0.2)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("served")
    media = tmp / "media"
    media.mkdir()
    with serve(tmp, media) as running:
        yield running


@pytest.fixture
def office(transactional_db):
    return load_demo_office()


def form_token(age: int = 60) -> str:
    """The signed form token the page would have given `age` seconds ago, for the server."""
    return portal_testing.form_token(age=age, secret_key=SERVER_SECRET_KEY)


class Browser:
    """A citizen's browser: its own address (through the trusted proxy) and CSRF cookie."""

    def __init__(self, server: Server, address: str | None = None) -> None:
        self.server = server
        self.address = address or f"198.51.100.{uuid.uuid4().int % 250 + 1}"
        self.http = httpx.Client(base_url=server.url, timeout=120, follow_redirects=True,
                                 headers={"X-Forwarded-For": self.address})
        page = self.http.get(SUBMIT)
        assert page.status_code == 200
        self.csrf = self.http.cookies["csrftoken"]

    def submit(self, files: list[tuple[str, bytes, str]] = (), token: str | None = None,
               **fields: str) -> httpx.Response:
        data = {"csrfmiddlewaretoken": self.csrf, "form_token": token or form_token(),
                "name": "Rahmi Ayunda", "phone": f"0812{uuid.uuid4().int % 10**8:08d}",
                "email": "", "subject": "Izin belum terbit", "consent": "on", "website": "",
                "description": "Sudah dua minggu izin saya belum terbit.", **fields}
        return self.http.post(SUBMIT, data=data, files=[("attachments", f) for f in files],
                              headers={"Referer": self.server.url + SUBMIT})


def media_files(server: Server) -> list[Path]:
    return [p for p in server.media.rglob("*") if p.is_file()]


def test_hostile_files_are_refused_fast_with_bounded_memory(server, office):
    browser = Browser(server)
    for _ in range(4):  # warm both workers: templates, connections, Pillow and zipfile
        browser.submit([("kecil.jpg", hostile.gps_jpeg((128, 96)), "image/jpeg"),
                        ("kecil.docx", hostile.zip_bomb_docx(2, 0), "application/zip")])
    warmed = Complaint.objects.count()
    files = set(media_files(server))
    before = server.worker_rss()
    bomb = browser.submit([("surat.docx", hostile.zip_bomb_docx(), "application/octet-stream")])
    flood = browser.submit([("denah.png", hostile.huge_png(), "image/png")])
    grown = server.worker_rss() - before
    assert bomb.status_code == 422
    assert "surat.docx" in bomb.text and "tidak dapat diterima" in bomb.text
    assert "<li><bdi>surat.docx</bdi></li>" in bomb.text  # named to be chosen again
    assert 'value="Rahmi Ayunda"' in bomb.text
    assert flood.status_code == 422
    assert "denah.png" in flood.text and "megapiksel" in flood.text
    assert grown < RSS_BUDGET, f"workers grew by {grown / 2**20:.0f} MB"
    assert Complaint.objects.count() == warmed
    assert set(media_files(server)) == files


def test_a_photo_is_stored_and_served_without_its_position(server, office, client, users,
                                                           settings):
    response = Browser(server).submit([("rumah.jpg", hostile.gps_jpeg(), "image/jpeg"),
                                       ("foto.jpg", hostile.polyglot_jpeg(), "image/jpeg")])
    assert response.status_code == 200  # followed to the receipt
    assert "Pengaduan Anda telah diterima" in response.text
    photo, polyglot = Attachment.objects.order_by("pk")
    stored = (server.media / photo.file.name).read_bytes()
    assert hostile.GPS_MARKER.encode() not in stored and hostile.XMP_MARKER not in stored
    assert b"Exif" not in stored
    kept = (server.media / polyglot.file.name).read_bytes()
    assert hostile.POLYGLOT_MARKER not in kept and b"PK\x03\x04" not in kept
    # What the desk serves is what was stored (read through the app, not the disk).
    settings.MEDIA_ROOT = server.media
    login_verified(client, users["petugas"])
    served = client.get(f"/desk/pengaduan/{photo.complaint_id}/lampiran/{photo.pk}/")
    assert b"".join(served.streaming_content) == stored
    assert served["Content-Type"] == "image/jpeg"
    assert 'filename="rumah.jpg"' in served["Content-Disposition"]


def test_a_double_click_and_a_replay_register_one_complaint(server, office):
    browser = Browser(server)
    token = form_token()
    answers: list[httpx.Response] = []

    def click() -> None:
        answers.append(browser.submit(token=token))

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    replay = browser.submit(token=token, description="Isi lain, token lama.")
    assert [a.status_code for a in answers] == [200, 200]
    # Without attachments the server accepts one row and its worker registers it
    # (decision 0015): every click lands on the same receipt, pending or registered.
    assert _register_accepted() == 1
    complaint = Complaint.objects.get()
    for answer in [*answers, replay]:
        assert complaint.tracking_code in answer.text
        assert (f'id="register-number">{complaint.register_number}<' in answer.text
                or 'id="register-pending"' in answer.text)
    assert "token lama" not in complaint.description
    again = browser.submit(token=token)  # once registered, the number
    assert f'id="register-number">{complaint.register_number}<' in again.text


def test_the_api_honours_idempotency_keys(server, office):
    http = httpx.Client(base_url=server.url, timeout=120,
                        headers={"X-Forwarded-For": "203.0.113.50"})
    fields = {"description": "Sertifikat standar belum terbit.", "name": "Budi",
              "email": "budi@example.org", "consent": "true"}
    files = [("attachments", ("foto.jpg", hostile.gps_jpeg(), "image/jpeg"))]
    first = http.post(API, data=fields, files=files, headers={"Idempotency-Key": "k-1"})
    again = http.post(API, data=fields, files=files, headers={"Idempotency-Key": "k-1"})
    other = http.post(API, data={**fields, "description": "Lain."}, files=files,
                      headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.json() == first.json()
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Complaint.objects.count() == 1 and SubmissionKey.objects.get().key == "k-1"
    stored = (server.media / Attachment.objects.get().file.name).read_bytes()
    assert hostile.GPS_MARKER.encode() not in stored


def _assert_security_headers(answer: bytes) -> None:
    """The 413 is made above SecurityMiddleware (config/middleware.py EdgeMiddleware) and still
    carries the header set of every other answer."""
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    for header in (b"x-content-type-options: nosniff", b"referrer-policy:",
                   b"cross-origin-opener-policy:", b"x-frame-options: deny",
                   b"content-security-policy:"):
        assert header in head, (header, head)


def _complete(answer: bytes) -> bool:
    """The head and the whole body (its Content-Length) are in."""
    head, found, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return bool(found) and length is not None and len(body) >= int(length[1])


def _raw_post(server: Server, path: str, declared: int) -> tuple[int, bytes]:
    """Announce `declared` bytes, send 64 KB of them, read the answer: it must come before the
    body (a client uploading 300 MB learns at once)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
            f"boundary=b\r\nContent-Length: {declared}\r\n\r\n".encode() + b"x" * 65536)
        answer = b""
        while not _complete(answer):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer


def test_a_300_mb_request_is_413_before_its_body_is_read(server, office):
    files = set(media_files(server))
    before = server.worker_rss()
    status, answer = _raw_post(server, SUBMIT, 300 * 1024 * 1024)
    assert status == 413
    assert b"Kiriman terlalu besar" in answer
    _assert_security_headers(answer)
    status, answer = _raw_post(server, API, 300 * 1024 * 1024)
    assert status == 413
    assert b'"request_too_large"' in answer
    _assert_security_headers(answer)
    assert server.worker_rss() - before < RSS_BUDGET
    assert set(media_files(server)) == files


def test_excess_submissions_get_429_with_retry_after(server, office):
    phone = "081299990000"
    answers = [Browser(server).submit(phone=phone) for _ in range(6)]
    assert [a.status_code for a in answers[:5]] == [200] * 5
    limited = answers[5]
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Terlalu banyak pengaduan" in limited.text
    assert "Sudah dua minggu izin saya belum terbit." in limited.text  # kept
    assert _register_accepted() == 5  # accepted rows, registered by the worker
    assert Complaint.objects.count() == 5


def _register_accepted() -> int:
    """What the server's db_worker does with the accepted submissions' task rows (with the
    server's key: the rows are encrypted with it)."""
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from aduan.complaints.tasks import register_submission

    done = 0
    with override_settings(FIELD_ENCRYPTION_KEYS=[SERVER_FIELD_KEY]):
        for row in DBTaskResult.objects.filter(
                task_path="aduan.complaints.tasks.register_submission", status="READY"):
            if register_submission.call(*row.args_kwargs["args"]) is not None:
                done += 1
    return done


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, check=False)
    return done.returncode == 0


def test_a_full_disk_answers_clearly_and_leaves_no_orphan(office, tmp_path):
    media = tmp_path / "small-media"
    if not _mount_tmpfs(media, "1m"):
        pytest.skip("needs root to mount a 1 MB tmpfs (the ENOSPC path is also tested in "
                    "test_attachment_pipeline.py with a storage that raises it)")
    try:
        (media / "filler").write_bytes(b"\0" * (1024 * 1024 - 96 * 1024))
        with serve(tmp_path, media) as server:
            pdf = b"%PDF-1.4\n" + os.urandom(400 * 1024)
            response = Browser(server).submit([("scan.pdf", pdf, "application/pdf")])
            assert response.status_code == 507
            assert "ruang penyimpanan server sedang penuh" in response.text
            assert "Sudah dua minggu izin saya belum terbit." in response.text
            assert not Complaint.objects.exists()
            assert sorted(p.name for p in media.rglob("*") if p.is_file()) == ["filler"]
            log = server.log.read_text()
            assert "attachment storage is full" in log
    finally:
        subprocess.run(["umount", str(media)], check=False)


def test_the_receipt_json_has_no_personal_data(server, office):
    http = httpx.Client(base_url=server.url, timeout=60,
                        headers={"X-Forwarded-For": "203.0.113.77"})
    answer = http.post(API, data={"description": "Tanpa lampiran.", "name": "Siti Aminah",
                                  "email": "siti@example.org", "consent": "true"})
    assert answer.status_code == 201
    assert "Siti" not in json.dumps(answer.json())
    assert re.fullmatch(r"[-\w]+", answer.json()["tracking_code"])

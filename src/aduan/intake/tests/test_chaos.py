"""Acceptance (issue 14): N messages on each channel (WhatsApp and SMS webhooks over real HTTP
to gunicorn, e-mail through a real dovecot read by the IMAP poller) while a harness
`kill -9`s the web worker, the task worker and the poller at random points and every third
enqueue of each web process fails. After the processes stop and one sweep runs, every message
is in exactly one case or in the review list, none twice.

Runs on the database task backend, and on RQ when REDIS_URL is set; on SQLite and on
PostgreSQL as the suite runs. Prints: sent, stored, processed, review, lost, duplicated."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from aduan.complaints.models import CaseEvent, Complaint
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.services import inbound_sweep
from aduan.intake.tests.conftest import APP_SECRET, SMS_SECRET, fixture_bytes, wa_sign
from aduan.notifications.tests.smtp import free_port
from aduan.notifications.tests.workers import wait_for, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

N = 8  # messages per channel
KILLS = 3  # kill -9s of each process
WINDOW = 10.0  # seconds over which messages are sent and processes killed
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
REVIEW = {ParseStatus.NEEDS_REVIEW, ParseStatus.QUARANTINED, ParseStatus.FAILED}
PLACED = {ParseStatus.CREATED, ParseStatus.JOINED}
BACKENDS = ["db", pytest.param("rq", marks=pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="RQ runs when REDIS_URL is set (CI)"))]


class Supervised:
    """A process the harness starts, kills with SIGKILL and starts again."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.args, self.env, self.log = name, args, env, log
        self.proc: subprocess.Popen | None = None
        self.kills = 0
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(self.args, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def ensure(self) -> None:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.start()

    def kill(self) -> None:
        """kill -9 the process and whatever it forked (an RQ work horse)."""
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                self.kills += 1

    def stop(self) -> None:
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()


class Gunicorn(Supervised):
    """gunicorn's master stays; the harness kills one of its workers (the master forks a
    new one, as in production)."""

    def kill(self) -> None:
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        pids = [int(p) for p in children.read_text().split()] if children.exists() else []
        if pids:
            try:
                os.kill(random.choice(pids), signal.SIGKILL)
                self.kills += 1
            except ProcessLookupError:
                pass


def whatsapp_body(token: str, i: int, run: str) -> bytes:
    payload = json.loads(fixture_bytes("whatsapp", "01_inbound_text.json"))
    value = payload["entry"][0]["changes"][0]["value"]
    sender = f"62813{run[:4].encode().hex()[:4].translate(str.maketrans('abcdef', '123456'))}{i:04d}"
    value["contacts"][0].update({"wa_id": sender, "profile": {"name": f"Pelapor {i}"}})
    value["messages"][0].update({"from": sender, "id": f"wamid.{token}",
                                 "text": {"body": f"Jalan rusak {token}"}})
    return json.dumps(payload).encode()


def sms_body(token: str, i: int, run: str) -> bytes:
    payload = json.loads(fixture_bytes("sms", "sms_received.json"))
    sender = f"+62857{int(run[:4], 16) % 10000:04d}{i:04d}"
    payload.update({"id": f"evt-{token}"})
    payload["payload"].update({"message": f"Izin belum terbit {token}", "phoneNumber": sender})
    return json.dumps(payload).encode()


def mail(token: str, i: int, run: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"Pelapor {i} <pelapor{i}.{run}@example.id>"
    message["To"] = "pengaduan@example.id"
    message["Subject"] = f"Pengaduan {token}"
    message["Message-ID"] = make_msgid(domain="example.id")
    message.set_content(f"Pelayanan lambat {token}")
    return bytes(message)


def deliver(http: httpx.Client, path: str, body: bytes, headers: callable) -> int:
    """Deliver like a provider: again and again until the answer is 2xx."""
    attempts = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        attempts += 1
        try:
            response = http.post(path, content=body, headers={
                "Content-Type": "application/json", **headers(body)})
            if response.status_code == 200:
                return attempts
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{path} never answered 200")


def smsgate_headers(body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = hmac.new(SMS_SECRET.encode(), body + timestamp.encode(),
                         hashlib.sha256).hexdigest()
    return {"X-Signature": signature, "X-Timestamp": timestamp}


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_message_is_lost_or_doubled_while_processes_are_killed(office, mailbox, tmp_path,
                                                                  backend, settings):
    run = uuid.uuid4().hex[:8]
    rng = random.Random(run)
    env = worker_env(
        DJANGO_SETTINGS_MODULE="aduan.intake.testing.chaos_settings",
        CHAOS_WHATSAPP_APP_SECRET=APP_SECRET, CHAOS_SMS_SECRET=SMS_SECRET,
        CHAOS_ENQUEUE_FAIL_EVERY="3", CHAOS_BACKEND=backend,
        CHAOS_REDIS_URL=os.environ.get("REDIS_URL", ""), CHAOS_QUEUE=f"aduan-chaos-{run}",
        CHAOS_IMAP_PORT=str(mailbox.port), CHAOS_IMAP_USER=mailbox.user,
        CHAOS_IMAP_PASSWORD=mailbox.password)
    port = free_port()
    web_log = tmp_path / "web.log"
    web = Gunicorn("web", [sys.executable, "-m", "gunicorn", "aduan.intake.testing.chaos_wsgi",
                           "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120",
                           # Workers forked from a loaded app restart at once after a kill.
                           "--preload", "--no-control-socket",
                           "--logger-class", "aduan.core.gunicorn_logging.ScrubbingLogger"],
                   env, web_log)
    if backend == "rq":
        worker_args = [sys.executable, MANAGE, "rqworker", f"aduan-chaos-{run}",
                       "--skip-checks", "--job-class", "django_tasks_rq.Job"]
    else:
        worker_args = [sys.executable, MANAGE, "db_worker", "--interval", "0.2",
                       "--no-startup-delay", "--skip-checks"]
    worker = Supervised("worker", worker_args, env, tmp_path / "worker.log")
    poller = Supervised("poller", [sys.executable, "-m",
                                   "aduan.intake.testing.chaos_poller"], env,
                        tmp_path / "poller.log")
    processes = [web, worker, poller]
    tokens = {channel: [f"chaos{run}{channel}{i}" for i in range(N)]
              for channel in ("wa", "sms", "mail")}
    stop_chaos = threading.Event()

    # KILLS kill -9s of each process at random moments of the delivery window.
    schedule = sorted(((rng.uniform(0.5, WINDOW), process)
                       for process in processes for _ in range(KILLS)), key=lambda s: s[0])

    def chaos() -> None:
        """Kill as scheduled; the harness restarts the task worker and the poller (gunicorn's
        master forks a new web worker itself)."""
        started = time.monotonic()
        for at, process in schedule:
            if stop_chaos.wait(max(at - (time.monotonic() - started), 0)):
                return
            process.kill()
            for supervised in (worker, poller):
                supervised.ensure()

    try:
        for process in processes:
            process.start()
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(base), timeout=60, what="gunicorn", log=web_log)
        chaos_thread = threading.Thread(target=chaos, daemon=True)
        chaos_thread.start()
        with httpx.Client(base_url=base, timeout=10) as http, ThreadPoolExecutor(12) as pool:
            jobs = []
            for i, token in enumerate(tokens["wa"]):
                body = whatsapp_body(token, i, run)
                jobs.append(pool.submit(_later, rng.uniform(0, WINDOW), deliver, http,
                                        "/intake/whatsapp/", body,
                                        lambda b: {"X-Hub-Signature-256": wa_sign(b)}))
            for i, token in enumerate(tokens["sms"]):
                jobs.append(pool.submit(_later, rng.uniform(0, WINDOW), deliver, http,
                                        "/intake/sms/sms-gate/", sms_body(token, i, run),
                                        smsgate_headers))
            for i, token in enumerate(tokens["mail"]):
                jobs.append(pool.submit(_later, rng.uniform(0, WINDOW), mailbox.append,
                                        mail(token, i, run)))
            for job in jobs:
                job.result()
        # Chaos goes on until the poller has stored every mail (it is killed meanwhile too).
        wait_for(lambda: poller.ensure() or _stored_mails(tokens["mail"]) == N, timeout=90,
                 what="every mail stored by the poller", log=tmp_path / "poller.log")
        stop_chaos.set()
        chaos_thread.join(timeout=10)
    finally:
        stop_chaos.set()
        for process in processes:
            process.stop()

    # The processes are down; the sweeper (run here, as a restarted worker's periodic task
    # would) processes whatever the kills and refused enqueues left behind, once.
    swept = inbound_sweep(older_than=dt.timedelta(0))
    report = _count(tokens)
    enqueue_failures = web_log.read_text(errors="replace").count("stored but not queued")
    kills = {p.name: p.kills for p in processes}
    print(f"\nchaos [{backend}, {connection.vendor}]: sent={report['sent']} "
          f"stored={report['stored']} processed={report['processed']} "
          f"review={report['review']} lost={report['lost']} "
          f"duplicated={report['duplicated']} swept={swept['swept']} "
          f"enqueue_failures={enqueue_failures} kills={kills}")
    assert report["lost"] == 0, report
    assert report["duplicated"] == 0, report
    assert report["stored"] == report["sent"] == 3 * N
    assert enqueue_failures >= 1
    assert all(kills.values()), kills


def _later(delay: float, fn: callable, *args: object) -> object:
    time.sleep(delay)
    return fn(*args)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/intake/whatsapp/", timeout=2).status_code == 403
    except httpx.HTTPError:
        return False


def _stored_mails(tokens: list[str]) -> int:
    raws = [bytes(r) for r in InboundMessage.objects.filter(channel_kind="email")
            .values_list("raw", flat=True)]
    return sum(1 for token in tokens if any(token.encode() in raw for raw in raws))


def _count(tokens: dict[str, list[str]]) -> dict[str, object]:
    rows = list(InboundMessage.objects.all())
    descriptions = list(Complaint.objects.values_list("pk", "description"))
    messages = list(CaseEvent.objects.exclude(body="").values_list("complaint_id", "body"))
    counts: Counter = Counter()
    problems: list[str] = []
    for token in [t for channel in tokens.values() for t in channel]:
        counts["sent"] += 1
        mine = [r for r in rows if token.encode() in bytes(r.raw)]
        if mine:
            counts["stored"] += 1
        placements = ([pk for pk, text in descriptions if token in text]
                      + [pk for pk, text in messages if token in text])
        in_review = any(r.parse_status in REVIEW for r in mine)
        if any(r.parse_status in PLACED for r in mine):
            counts["processed"] += 1
        if in_review:
            counts["review"] += 1
        if len(placements) > 1:
            counts["duplicated"] += 1
            problems.append(f"{token} in {placements}")
        elif not placements and not in_review:
            counts["lost"] += 1
            problems.append(f"{token}: {[(r.pk, r.parse_status, r.error) for r in mine]}")
    return {"sent": counts["sent"], "stored": counts["stored"],
            "processed": counts["processed"], "review": counts["review"],
            "lost": counts["lost"], "duplicated": counts["duplicated"], "problems": problems}

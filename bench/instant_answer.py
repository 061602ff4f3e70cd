"""Automatic answers: time from a WhatsApp question's arrival to the automatic answer leaving
the outbox, with the default worker (`manage.py run_worker`: db_worker polling every second,
plus the periodic scheduler).

    ADUAN_SQLITE_PATH=var/instant-bench.sqlite3 .venv/bin/python bench/instant_answer.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_instant_bench \
        .venv/bin/python bench/instant_answer.py

The script migrates the database, loads the demo office and its FAQ, sets WhatsApp to
"automatic" (threshold 0.2, the engine's answer scale) and starts the real worker. Meta's Graph
API lives outside this machine, so a local HTTP server stands in for it at the HTTP boundary
and notes when each message arrives. Each question is posted to the real webhook (signed, as
Meta does) from a new number, one after the other; the time is from just before the POST to
the moment the automatic answer reaches the stand-in (BENCH_QUESTIONS, default 30). The first
question, which trains the cold-start model in the worker, is reported apart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SECRET = "bench-app-secret"
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "30"))
TEXTS = [
    "bagaimana cara mengurus izin penelitian?",
    "sy mau tanya gmn cara urus ijin penelitian utk skripsi",
    "apakah surat izin penelitian masih diurus di dpmptsp?",
    "izin riset mahasiswa dimana ngurusnya ya",
]

received: dict[str, float] = {}
lock = threading.Lock()


class FakeGraph(BaseHTTPRequestHandler):
    """Meta's Graph API stand-in: accepts every message and notes when an automatic answer
    arrived for a number."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        text = json.dumps(body)
        if "Jawaban otomatis" in text:
            with lock:
                received.setdefault(body.get("to", ""), time.perf_counter())
        out = json.dumps({"messages": [{"id": f"wamid.out.{time.time_ns()}"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


def payload(sender: str, text: str, wamid: str) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281268610005", "phone_number_id": "1"},
            "contacts": [{"profile": {"name": "Warga"}, "wa_id": sender}],
            "messages": [{"from": sender, "id": wamid, "timestamp": str(int(time.time())),
                          "type": "text", "text": {"body": text}}],
        }}]}]}).encode()


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGraph)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        "DJANGO_SETTINGS_MODULE": "aduan.config.settings", "TASK_BACKEND": "db",
        "ALLOWED_HOSTS": "testserver,127.0.0.1", "ADUAN_PUBLIC_URL": "http://127.0.0.1:8001",
        "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": "bench",
        "WHATSAPP_ACCESS_TOKEN": "bench-token", "WHATSAPP_PHONE_NUMBER_ID": "1",
        "WHATSAPP_GRAPH_URL": f"http://127.0.0.1:{server.server_port}",
        "ADUAN_WHATSAPP_ENABLED": "1",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from aduan.assist.models import AssistMode, ChannelAssist
    from aduan.demo.office import load_demo_office
    from aduan.portal.demo import load_demo_faq

    call_command("migrate", verbosity=0)
    office = load_demo_office()
    load_demo_faq(office)
    ChannelAssist.objects.update_or_create(
        office=office, channel_kind="whatsapp",
        defaults={"mode": AssistMode.AUTOMATIC, "threshold": 0.2})
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_worker"], env={**os.environ, **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = Client()
    run = f"{int(time.time()) % 100000:05d}"
    times: list[float] = []
    try:
        for i in range(QUESTIONS + 1):
            sender = f"6281{run}{i:04d}"
            body = payload(sender, TEXTS[i % len(TEXTS)], f"wamid.bench.{run}.{i}")
            signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            began = time.perf_counter()
            response = client.post("/intake/whatsapp/", data=body,
                                   content_type="application/json",
                                   headers={"X-Hub-Signature-256": signature})
            assert response.status_code == 200, response.status_code
            deadline = began + (300 if i == 0 else 60)
            while sender not in received:
                if time.perf_counter() > deadline:
                    raise SystemExit(f"no automatic answer for question {i} ({sender})")
                time.sleep(0.01)
            elapsed = received[sender] - began
            if i == 0:
                print(f"first question (worker trains the cold-start model): {elapsed:.2f} s")
            else:
                times.append(elapsed)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        server.shutdown()
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"{django.db.connection.vendor}: {len(times)} questions, arrival -> automatic answer "
          f"sent: median {statistics.median(times):.2f} s, p90 {p90:.2f} s, "
          f"min {times[0]:.2f} s, max {times[-1]:.2f} s")


if __name__ == "__main__":
    main()

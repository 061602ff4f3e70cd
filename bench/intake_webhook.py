"""WhatsApp webhook timings: how fast the webhook answers Meta (store + enqueue only), and how
long the worker takes to turn the stored messages into cases, on a database that already
holds many complaints.

    ADUAN_SQLITE_PATH=var/intake-bench.sqlite3 .venv/bin/python bench/intake_webhook.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_intake_bench .venv/bin/python bench/intake_webhook.py

Fill the database first: `manage.py migrate && manage.py load_demo && manage.py
generate_complaints 100000` (BENCH_MESSAGES, default 300, sets the number of messages).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from aduan.complaints.models import Complaint  # noqa: E402
from aduan.intake.models import InboundMessage, ParseStatus  # noqa: E402
from aduan.intake.services import inbound_process  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "300"))
SECRET = "bench-app-secret"
settings.WHATSAPP_APP_SECRET = SECRET
# Store and enqueue only, as in production; the worker's processing is timed separately.
settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def payload(i: int, run: str) -> bytes:
    # A new sender per message and per run: every message starts a case (the slower path).
    sender = f"62812{(int(run, 16) + i) % 10**7:07d}"
    body = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281268610005", "phone_number_id": "1"},
            "contacts": [{"profile": {"name": f"Warga {i}"}, "wa_id": sender}],
            "messages": [{"from": sender, "id": f"wamid.bench.{run}.{i}",
                          "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": f"Nama {i}#-#SIP Bidan#Kapan SIP saya terbit? {i}"}}],
        }}]}]}
    return json.dumps(body).encode()


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    run = uuid.uuid4().hex[:8]
    client = Client()
    client.get("/intake/whatsapp/")  # warm-up: the first request imports the URL modules
    before = Complaint.objects.count()
    answer_ms = []
    for i in range(MESSAGES):
        body = payload(i, run)
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        start = time.perf_counter()
        response = client.post("/intake/whatsapp/", data=body, content_type="application/json",
                               headers={"X-Hub-Signature-256": signature})
        answer_ms.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    ids = list(InboundMessage.objects.filter(
        provider_message_id__startswith=f"wamid.bench.{run}.",
        parse_status=ParseStatus.RECEIVED).values_list("pk", flat=True))
    process_ms = []
    for pk in ids:
        start = time.perf_counter()
        inbound_process(message_id=pk)
        process_ms.append((time.perf_counter() - start) * 1000)
    created = Complaint.objects.count() - before
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
          f"complaints before: {before}, messages: {MESSAGES}, new cases: {created}")
    print(f"webhook answer ms: median {statistics.median(answer_ms):.1f}, "
          f"p95 {pct(answer_ms, 0.95):.1f}, max {max(answer_ms):.1f}")
    print(f"processing ms per message: median {statistics.median(process_ms):.1f}, "
          f"p95 {pct(process_ms, 0.95):.1f}, max {max(process_ms):.1f}")


if __name__ == "__main__":
    main()

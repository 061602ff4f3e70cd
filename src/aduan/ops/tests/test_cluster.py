"""The shape that outgrows one machine, on one machine: two web instances (gunicorn, production
settings) and two RQ workers against the same PostgreSQL and the same Redis. Complaints sent
through both instances at once get gapless register numbers, and every receipt is delivered
by one of the workers, once (docs/deployment.md)."""

from __future__ import annotations

import re
import threading

import httpx
import pytest
from django.db import connection

from aduan.complaints.models import Complaint, SubmissionKey
from aduan.notifications.models import OutboxMessage, OutboxStatus
from aduan.notifications.tests.smtp import RecordingHandler, SmtpServer
from aduan.notifications.tests.workers import database_env
from aduan.ops.tests import servers
from aduan.portal.testing import form_token

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SECRET = servers.SECRET
PER_INSTANCE = 4


def _submit(url: str, subject: str, email: str) -> int:
    with httpx.Client(timeout=120) as client:
        page = client.get(f"{url}/pengaduan/kirim/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        # The submit page's single-use token, signed with the servers' key.
        token = form_token(age=10, secret_key=SECRET)
        done = client.post(f"{url}/pengaduan/kirim/", data={
            "csrfmiddlewaretoken": csrf, "name": "Rahmi Ayunda", "email": email,
            "subject": subject, "consent": "on", "website": "", "form_token": token,
            "description": "Sudah dua minggu izin saya belum diverifikasi petugas.",
        }, headers={"Referer": f"{url}/pengaduan/kirim/"})
        return done.status_code


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the multi-node shape needs PostgreSQL (SQLite is one machine's file)")
def test_two_web_instances_and_two_workers_share_numbering_and_delivery(office, tmp_path):
    servers.collect_static()
    with servers.private_redis(tmp_path) as redis, \
            SmtpServer(RecordingHandler()) as smtp:
        env = servers.production_env(
            **database_env(), REDIS_URL=redis.url, TASK_BACKEND="rq",
            MEDIA_ROOT=str(tmp_path / "media"), EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port))
        worker_cmd = ["rqworker", "default", "--job-class", "django_tasks_rq.Job"]
        with servers.gunicorn(env, tmp_path / "web-a.log") as web_a, \
                servers.gunicorn(env, tmp_path / "web-b.log") as web_b, \
                servers.background(env, worker_cmd, tmp_path / "worker-1.log"), \
                servers.background(env, worker_cmd, tmp_path / "worker-2.log"):
            results: list[int] = []
            threads = [threading.Thread(target=lambda u=url, i=i: results.append(
                _submit(u, f"Pengaduan {i} lewat {u[-5:]}", f"pelapor{i}@contoh.id")))
                for i, url in enumerate([web_a.url, web_b.url] * PER_INSTANCE)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert results == [302] * len(threads)

            total = 2 * PER_INSTANCE
            # Accepted at once, registered by the workers (decision 0015): each once.
            servers.wait_until(
                lambda: Complaint.objects.count() == total
                and not SubmissionKey.objects.filter(complaint__isnull=True).exists(),
                timeout=180, what="every accepted submission registered",
                log=tmp_path / "worker-1.log")
            assert SubmissionKey.objects.filter(scope="web").count() == total
            sequences = sorted(Complaint.objects.values_list("register_sequence", flat=True))
            assert sequences == list(range(1, total + 1))
            numbers = set(Complaint.objects.values_list("register_number", flat=True))
            assert len(numbers) == total

            receipts = OutboxMessage.objects.filter(channel="email")
            servers.wait_until(
                lambda: receipts.count() == total
                and not receipts.exclude(status=OutboxStatus.SENT).exists(),
                timeout=180, what="every receipt to be sent", log=tmp_path / "worker-1.log")
            recipients = sorted(str(m["To"]) for m in smtp.handler.messages)
            assert recipients == sorted(f"pelapor{i}@contoh.id" for i in range(total))

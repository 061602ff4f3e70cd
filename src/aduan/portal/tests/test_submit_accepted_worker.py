"""Accepted web submissions registered by real worker processes (decision 0015): the database
queue's db_worker and RQ's rqworker each register every accepted row exactly once, with its
receipt in the outbox. Functional waits with generous limits (worker start-up is slow on a
loaded machine), not performance assertions."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from aduan.complaints.models import Complaint, SubmissionKey
from aduan.notifications.models import OutboxMessage
from aduan.notifications.tests.test_worker import (  # noqa: F401 (fixtures)
    admin_registry,
    redis_url,
)
from aduan.notifications.tests.workers import process, wait_for, worker_env
from aduan.portal import throttle

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

URL = reverse("portal:submit")
WAIT = 120


def _submit(n: int) -> list[int]:
    client = Client()
    for i in range(n):
        response = client.post(URL, {
            "name": f"Pelapor {i}", "phone": f"0812686100{i:02d}",
            "email": f"pelapor{i}@example.id", "consent": "on", "subject": "SIP bidan",
            "description": f"Izin belum terbit ({i}).", "website": "",
            "form_token": throttle.form_token()})
        assert response.status_code == 302
    return list(SubmissionKey.objects.order_by("pk").values_list("pk", flat=True))


def _all_registered(n: int) -> bool:
    return (SubmissionKey.objects.filter(complaint__isnull=False).count() == n
            and Complaint.objects.count() == n)


def _check(keys: list[int]) -> None:
    rows = SubmissionKey.objects.filter(pk__in=keys)
    assert all(r.complaint_id and r.payload == "" and r.attempts == 0 for r in rows)
    assert len({r.complaint_id for r in rows}) == len(keys) == Complaint.objects.count()
    for row in rows:
        complaint = Complaint.objects.get(pk=row.complaint_id)
        assert complaint.tracking_code == row.tracking_code
        assert complaint.received_at == row.received_at
        assert OutboxMessage.objects.filter(complaint=complaint).exists()


def test_db_worker_registers_every_accepted_submission_once(portal_office, fast_form,
                                                            settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    keys = _submit(4)
    assert Complaint.objects.count() == 0  # accepted, waiting for the worker
    log = tmp_path / "db_worker.log"
    with process(["db_worker", "--interval", "0.2", "--no-startup-delay", "--skip-checks"],
                 worker_env(), log):
        wait_for(lambda: _all_registered(4), timeout=WAIT, what="4 registrations", log=log)
    _check(keys)


def test_rqworker_registers_every_accepted_submission_once(portal_office, fast_form, settings,
                                                           tmp_path, redis_url,  # noqa: F811
                                                           admin_registry):  # noqa: F811
    queue = f"aduan-accept-test-{uuid.uuid4().hex[:12]}"  # other runs may share this Redis
    if "django_rq" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    settings.RQ_QUEUES = {"default": {"URL": redis_url}, queue: {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default", queue]}}
    settings.ADUAN_NOTIFY_QUEUE = queue
    from aduan.complaints.tasks import register_submission

    # The registration on this test's own queue (the task's default queue may be shared).
    original = register_submission.queue_name
    object.__setattr__(register_submission, "queue_name", queue)
    try:
        keys = _submit(4)
    finally:
        object.__setattr__(register_submission, "queue_name", original)
    assert Complaint.objects.count() == 0  # queued in Redis after each commit
    log = tmp_path / "rqworker.log"
    env = worker_env(NOTIFY_TEST_BACKEND="rq", NOTIFY_TEST_REDIS_URL=redis_url,
                     NOTIFY_TEST_QUEUE=queue)
    with process(["rqworker", queue, "--skip-checks", "--job-class", "django_tasks_rq.Job"],
                 env, log):
        wait_for(lambda: _all_registered(4), timeout=WAIT, what="4 registrations by rqworker",
                 log=log)
    _check(keys)

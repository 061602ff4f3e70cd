"""Settings of the worker processes that the delivery tests start (real db_worker/rqworker).

The test passes the test database, the SMTP port and the task backend through the
environment; everything else is the test settings.
"""

import os

from aduan.config.settings_test import *  # noqa: F403
from aduan.config.settings_test import INSTALLED_APPS

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("NOTIFY_TEST_SMTP_PORT", "1025"))
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 10
ADUAN_NOTIFY_QUEUE = os.environ.get("NOTIFY_TEST_QUEUE", "default")
ADUAN_OUTBOX_STUCK_SECONDS = int(os.environ.get("NOTIFY_TEST_STUCK_SECONDS", "300"))
ADUAN_OUTBOX_REQUEUE_SECONDS = int(os.environ.get("NOTIFY_TEST_REQUEUE_SECONDS", "120"))
ADUAN_PERIODIC_TASKS = [("aduan.notifications.tasks.sweep_outbox", 1)]

if os.environ.get("NOTIFY_TEST_BACKEND") == "rq":
    if "django_rq" not in INSTALLED_APPS:
        INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    _redis = {"URL": os.environ["NOTIFY_TEST_REDIS_URL"]}
    RQ_QUEUES = {"default": _redis, ADUAN_NOTIFY_QUEUE: _redis}
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": sorted({"default", ADUAN_NOTIFY_QUEUE}),
        }
    }
else:
    TASKS = {
        "default": {
            "BACKEND": "aduan.core.taskbackend.DatabaseBackend",
            "QUEUES": sorted({"default", ADUAN_NOTIFY_QUEUE}),
        }
    }

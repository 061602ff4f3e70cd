"""Settings of the processes the inbound chaos test starts (gunicorn, the task worker, the
IMAP poller) and of the access-log test: the test settings, the test database and channel
secrets from the environment, and a task backend whose enqueue fails now and then
(`CHAOS_ENQUEUE_FAIL_EVERY`)."""

import os

from aduan.config.settings_test import *  # noqa: F403
from aduan.config.settings_test import INSTALLED_APPS

WHATSAPP_APP_SECRET = os.environ.get("CHAOS_WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = os.environ.get("CHAOS_WHATSAPP_VERIFY_TOKEN", "")
SMS_WEBHOOK_SECRET = os.environ.get("CHAOS_SMS_SECRET", "")
ADUAN_IMAP_ENABLED = False  # the poller is its own process (aduan.intake.testing.chaos)
ADUAN_PERIODIC_TASKS: list[tuple[str, int]] = []
# The file-based cache of production settings is per process; locmem is fine per process.

_queue = os.environ.get("CHAOS_QUEUE", "default")
if os.environ.get("CHAOS_BACKEND") == "rq":
    if "django_rq" not in INSTALLED_APPS:
        INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    _redis = {"URL": os.environ["CHAOS_REDIS_URL"]}
    RQ_QUEUES = {"default": _redis, _queue: _redis}
    TASKS = {"default": {"BACKEND": "aduan.intake.testing.chaos.FlakyRQBackend",
                         "QUEUES": sorted({"default", _queue}), "DEFAULT_QUEUE": _queue}}
else:
    TASKS = {"default": {"BACKEND": "aduan.intake.testing.chaos.FlakyDatabaseBackend",
                         "QUEUES": ["default"]}}

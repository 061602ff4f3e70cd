"""Test settings: only what tests need differs from settings.py."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("ADUAN_PUBLIC_URL", "http://127.0.0.1:8000")

from aduan.config.settings import *  # noqa: F403
from aduan.config.settings import DATABASES, VAR_DIR

# A file-backed SQLite test database, so concurrency tests exercise real locking across threads.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("ADUAN_TEST_DB", str(VAR_DIR / "test-aduan.sqlite3"))
    }

# The suite's keys are in the repository, so the start-up refusal of published keys is off here
# (config/tests/test_keys.py starts the real settings to prove it is on there).
ADUAN_REFUSE_UNSAFE_KEYS = False
FIELD_ENCRYPTION_KEYS = ["dGVzdC1uaWsta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("TASK_BACKEND") == "rq":
    from aduan.config.settings import TASKS as _REAL_TASKS

    TASKS = _REAL_TASKS
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# Every test sees configuration changes at once (production trusts its memo for a second).
ADUAN_REFCACHE_SECONDS = 0
ADUAN_DEMO_MODE = True  # the demo accounts need no forced password change in tests
# The tests of other areas register cases by the hundred: with the in-process task backend the
# triage engine would train and run inside their requests. The assist tests switch it on
# (src/aduan/assist/tests/conftest.py, tests/e2e/desk/test_assist_browser.py).
ADUAN_ASSIST_ON_NEW_CASES = False

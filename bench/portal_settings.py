"""Settings for the portal throughput benchmark: the production settings, plus

- a URL conf that adds a minimal view (`/bench/minimal/`) served by the same stack;
- rate limits switched off so one load generator on 127.0.0.1 is not refused (the limits
  are what stop enumeration in production: the benchmark measures the pages, not the limiter);
- Redis as the shared cache (what production uses for rate limits), under its own prefix.
"""

import os

from aduan.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal_urls"
# A throw-away database with throw-away keys (bench/portal_throughput.py sets them).
ADUAN_REFUSE_UNSAFE_KEYS = False
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [  # noqa: F405
    "YmVuY2gtcG9ydGFsLW5pay1rZXktbm90LXNlY3JldCE="]
ADUAN_PORTAL_SUBMIT_LIMIT = None
ADUAN_PORTAL_TRACK_LIMIT = None
ADUAN_API_RATE_LIMITS = dict.fromkeys(("track_code", "reporter_action", "reporter_action_code"),
                                      (10**9, 60))
# One load generator, one reporter contact: the per-contact limit is off too.
ADUAN_RATE_LIMITS = {"web_submit": None, "submit_contact": None}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
                      "KEY_PREFIX": "bench-portal"}}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "ERROR"}}

# Persistent database connections (as PostgreSQL already has through DATABASE_URL), so a
# request does not open SQLite and re-run its PRAGMAs each time. Set to 0 to measure without.
DATABASES["default"]["CONN_MAX_AGE"] = int(  # noqa: F405
    os.environ.get("BENCH_CONN_MAX_AGE", DATABASES["default"].get("CONN_MAX_AGE") or 60))  # noqa: F405

"""gunicorn settings for a web node (docs/deployment.md): `gunicorn -c deploy/gunicorn.conf.py`.

Values come from the environment so one file serves every node.
"""

import multiprocessing
import os

# Each new worker answers one request to itself before it takes traffic; the master frees what
# loading left behind before it forks them, and a worker hands its heap's free pages back every
# few hundred requests (config/gunicorn.py).
from aduan.config.gunicorn import post_request, post_worker_init, when_ready  # noqa: F401

wsgi_app = "aduan.config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers, one or two per core: requests are short, and PostgreSQL does the waiting.
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
# Load Django, every URL module and the common templates once in the master, before forking:
# a worker's first request is then as fast as its later ones (docs/benchmarks.md).
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# nginx in front sets X-Forwarded-For/Proto; trust them only from the proxies' addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"  # journald collects stdout/stderr (docs/operations.md, Logs)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Secret query parameters (webhook verify tokens) never reach the access log.
logger_class = "aduan.core.gunicorn_logging.ScrubbingLogger"

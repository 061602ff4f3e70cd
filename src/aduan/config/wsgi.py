"""WSGI entry point. The application is warmed here, before a worker takes its first request.

Django loads URL modules (and with them every view, form and service module) on the first
request; that took 5 s on an idle machine. Resolving the URLconf and compiling the most used
templates at import makes that cost part of start-up, once in the gunicorn master with
`--preload` (the workers inherit the warm modules), and keeps the first request within a few
times a warm one (docs/benchmarks.md, Worker warm-up). Nothing here opens a database connection.

Then what is loaded (~120,000 objects: modules, settings, URL patterns, compiled templates) is
collected once and moved into the collector's permanent generation (`gc.freeze()`): they live as
long as the process, and a full collection otherwise walks all of them again every few thousand
requests (a status lookup's share: ~3 % of its CPU through gunicorn, docs/benchmarks.md, Public
status lookup through HTTP, session 10). gunicorn's master does the same before forking when it
preloads (config/gunicorn.py); freezing twice is harmless.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
application = get_wsgi_application()

from aduan.config.env import require_public_url  # noqa: E402 - needs configured settings
from aduan.config.warmup import warm_up  # noqa: E402

require_public_url()
if os.environ.get("ADUAN_WSGI_WARMUP", "1") != "0":  # 0 only to measure the cold start
    warm_up()
gc.collect()
gc.freeze()

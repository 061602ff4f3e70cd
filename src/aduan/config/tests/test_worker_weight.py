"""A web worker starts without the libraries only background jobs need (issue 17): the report
and document builders (matplotlib, numpy, ReportLab, python-docx, openpyxl, Pillow, lxml),
scikit-learn and httpx load in the job or the request that uses them; the REST API
(django-ninja, pydantic, and django.test, which django-ninja imports) on its first request or
reverse() (config/lazyurls.py); the `holidays` package not even then (offices/holiday_dates.py);
segno (QR codes) with the second-factor set-up page, PySastrawi with the first stemmed search.
Together they add tens of megabytes to every gunicorn worker
(docs/benchmarks.md, worker memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("matplotlib", "numpy", "reportlab", "docx", "openpyxl", "PIL", "lxml", "sklearn",
         "httpx", "rich", "pygments", "ninja", "pydantic", "pydantic_core", "unittest",
         "holidays", "segno", "Sastrawi")

PROBE = f"""
import json, sys
import aduan.config.wsgi  # the WSGI app as gunicorn loads it, warm-up included
print("HEAVY=" + json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({list(HEAVY)!r}))))
"""


def test_importing_the_wsgi_app_loads_no_heavy_library(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aduan.config.settings_test",
           "ADUAN_WSGI_WARMUP": "1", "ADUAN_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, check=False,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("HEAVY="))
    assert json.loads(line[len("HEAVY="):]) == []


def test_the_probe_sees_a_heavy_import(tmp_path):
    """The check above can fail: the same probe after importing a report builder names it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aduan.config.settings_test",
           "ADUAN_WSGI_WARMUP": "0", "ADUAN_VAR_DIR": str(tmp_path)}
    probe = PROBE.replace("import aduan.config.wsgi",
                          "import aduan.config.wsgi; import aduan.reports.builders.charts")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, check=False,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("HEAVY="))
    assert "matplotlib" in json.loads(line[len("HEAVY="):])


API_PROBE = """
import json, sys
import aduan.config.wsgi
from aduan.config.warmup import warm_worker
from django.urls import reverse
before = "ninja" in sys.modules
FIRST
after = "ninja" in sys.modules
print("API=" + json.dumps({"before": before, "after": after, "result": result}))
"""
# The first request under /api/v1/ of a fresh worker, through the whole WSGI stack.
FIRST_REQUEST = """
answer = {}
def start(status, headers, exc_info=None):
    answer["status"] = status
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/v1/health", "QUERY_STRING": "",
           "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
           "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0),
           "wsgi.url_scheme": "http", "wsgi.input": __import__("io").BytesIO(b""),
           "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
           "wsgi.run_once": False}
body = b"".join(aduan.config.wsgi.application(environ, start))
result = [answer["status"], json.loads(body)]
"""


def _api_probe(tmp_path, first: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aduan.config.settings_test",
           "ADUAN_WSGI_WARMUP": "1", "ADUAN_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", API_PROBE.replace("FIRST", first)], env=env,
                          capture_output=True, check=False, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("API="))
    return json.loads(line[len("API="):])


def test_the_api_answers_the_first_request_of_a_fresh_worker(tmp_path):
    """django-ninja is not loaded by the warmed WSGI app; the first /api/v1/ request loads it
    and is answered by the API (its JSON, not the portal's 404)."""
    probe = _api_probe(tmp_path, FIRST_REQUEST)
    assert probe == {"before": False, "after": True, "result": ["200 OK", {"status": "ok"}]}


def test_api_names_reverse_before_any_api_request(tmp_path):
    """A page linking to the API (reverse of an "api-v1:" name) works in a fresh worker, and
    Open311 (plain Django views) is reversed without loading django-ninja."""
    probe = _api_probe(tmp_path, 'result = [reverse("open311:root"), "ninja" in sys.modules, '
                                 'reverse("api-v1:case_list"), reverse("ninja:case_list")]')
    assert probe == {"before": False, "after": True,
                     "result": ["/api/open311/v2/", False, "/api/v1/cases", "/api/v1/cases"]}


def test_a_worker_builds_its_working_calendar_without_the_holidays_package(tmp_path):
    """The days off of the calendar's years come from the written table (offices/calendar.py)."""
    probe = _api_probe(tmp_path, """
from aduan.offices.calendar import FIRST_YEAR, LAST_YEAR_AHEAD, days_off
from django.utils import timezone
off = days_off(range(FIRST_YEAR, timezone.localdate().year + LAST_YEAR_AHEAD + 1))
result = [len(off) > 300, "holidays" in sys.modules]""")
    assert probe["result"] == [True, False]


FIRST_REQUEST_MODULES = [
    "redis", "redis.commands.core", "aduan.core.cache", "encodings.idna",
    "django.template.context_processors", "aduan.offices.context_processors",
    "django.conf.locale.id.formats", "django.contrib.messages.storage.fallback",
    "django.contrib.sessions.serializers", "phonenumbers.data.region_ID"]


def test_the_warmed_app_has_imported_what_a_first_request_would(tmp_path):
    """What a worker's first page and first cache call import (redis-py and the cache backend,
    the context processors, the formats, the message storage, the phone metadata) is imported
    by the warm-up, in gunicorn's master before the fork, so it is shared instead of each
    worker's private memory (issue 17, Worker memory, session 10). The Redis cache of the
    production settings, at an address nothing answers: the warm-up opens no connection."""
    (tmp_path / "redis_cache_settings.py").write_text(
        "from aduan.config.settings_test import *  # noqa: F403\n"
        'CACHES = {"default": {"BACKEND": "aduan.core.cache.ResilientRedisCache",\n'
        '                      "LOCATION": "redis://127.0.0.1:1/0"}}\n')
    probe = f"""
import json, sys
import aduan.config.wsgi
print("MISSING=" + json.dumps([m for m in {FIRST_REQUEST_MODULES!r} if m not in sys.modules]))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "redis_cache_settings",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path]),
           "ADUAN_WSGI_WARMUP": "1", "ADUAN_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          check=False, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("MISSING="))
    assert json.loads(line[len("MISSING="):]) == []


FREEZE_PROBE = """
import gc, json
import aduan.config.wsgi
print("GC=" + json.dumps({"frozen": gc.get_freeze_count(), "young": len(gc.get_objects())}))
"""


def test_the_loaded_application_is_frozen_out_of_the_collector(tmp_path):
    """What importing the WSGI app loaded (warm-up included) is in the permanent generation, so
    a worker's full collections do not walk it again (issue 17, lookup through HTTP)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aduan.config.settings_test",
           "ADUAN_WSGI_WARMUP": "1", "ADUAN_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", FREEZE_PROBE], env=env, capture_output=True,
                          check=False, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("GC="))
    counts = json.loads(line[len("GC="):])
    assert counts["frozen"] > 50_000, counts
    assert counts["young"] < counts["frozen"] // 10, counts

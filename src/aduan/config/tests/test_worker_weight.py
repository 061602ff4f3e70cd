"""A web worker starts without the libraries only background jobs need (issue 17): the report
and document builders (matplotlib, numpy, ReportLab, python-docx, openpyxl, Pillow, lxml),
scikit-learn and httpx load in the job or the request that uses them. Each adds megabytes to
every gunicorn worker (docs/benchmarks.md, worker memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("matplotlib", "numpy", "reportlab", "docx", "openpyxl", "PIL", "lxml", "sklearn",
         "httpx", "rich", "pygments")

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

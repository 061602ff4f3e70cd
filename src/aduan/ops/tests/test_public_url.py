"""The public base URL: required with DEBUG off, and following `make run`'s HOST and PORT."""

from __future__ import annotations

import subprocess
import sys

from aduan.ops.tests import servers

CHECK = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
         "'aduan.config.settings'); django.setup(); from django.conf import settings; "
         "print(settings.ADUAN_PUBLIC_URL)")


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=servers.ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def _env(**extra: str) -> dict[str, str]:
    env = servers.production_env()
    env.pop("ADUAN_PUBLIC_URL")
    env.pop("ADUAN_RUN_URL", None)  # exported by make when the suite runs under `make test`
    env.update(extra)
    return env


def test_web_process_refuses_to_start_without_the_public_url():
    done = _python("import aduan.config.wsgi", _env())
    assert done.returncode != 0
    assert "ADUAN_PUBLIC_URL is not set" in done.stderr


def test_public_url_follows_make_run_and_the_environment_wins():
    assert _python(CHECK, _env(ADUAN_RUN_URL="http://0.0.0.0:8080")).stdout.strip() == \
        "http://0.0.0.0:8080"
    configured = _env(ADUAN_RUN_URL="http://127.0.0.1:8080",
                      ADUAN_PUBLIC_URL="https://pengaduan.example.go.id")
    assert _python(CHECK, configured).stdout.strip() == "https://pengaduan.example.go.id"
    printed = subprocess.run(["make", "-s", "--eval", "show: ; @echo $$ADUAN_RUN_URL", "show",
                              "PORT=8123", "HOST=0.0.0.0"], cwd=servers.ROOT,
                             capture_output=True, text=True, timeout=60, check=False)
    assert printed.stdout.strip() == "http://0.0.0.0:8123"

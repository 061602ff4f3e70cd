"""The documented production environment (docs/deployment.md) passes `check --deploy` with no
warning and answers with the security headers (CSP, HSTS, HTTPS redirect, secure cookies)."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "deployment.md"

PROBE = """
import json
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
health = c.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"})
plain = c.get("/desk/")
missing = c.get("/api/v1/tidak-ada", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "health": dict(health.headers), "health_status": health.status_code,
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "missing_status": missing.status_code, "missing": dict(missing.headers),
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def production_env(tmp_path: Path) -> dict[str, str]:
    """The ```env block of docs/deployment.md, `<random>` filled with a fresh secret."""
    block = re.search(r"```env\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/deployment.md has no ```env block"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "ADUAN_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT / "src")}
    for line in block.group(1).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = (value.strip()
                                 .replace("<random>", secrets.token_urlsafe(50))
                                 .replace("<fernet-key>", Fernet.generate_key().decode()))
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return production_env(tmp_path_factory.mktemp("production"))


def test_check_deploy_reports_nothing(env: dict[str, str]) -> None:
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_without_the_https_switch_the_check_warns(env: dict[str, str]) -> None:
    """The test above can fail: the same environment without ADUAN_HTTPS is not clean."""
    result = _manage({**env, "ADUAN_HTTPS": "false"}, "check", "--deploy")
    assert "security.W004" in result.stdout + result.stderr  # no HSTS
    assert "security.W008" in result.stdout + result.stderr  # no SSL redirect


def test_responses_carry_csp_and_hsts(env: dict[str, str]) -> None:
    result = _manage(env, "shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    for headers in (seen["health"], seen["missing"]):
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["Strict-Transport-Security"] == \
            "max-age=31536000; includeSubDomains; preload"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
    assert seen["health_status"] == 200
    assert seen["missing_status"] == 404
    # Plain HTTP is redirected to HTTPS; cookies are only sent over HTTPS.
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://")
    assert seen["cookies"] == [True, True]

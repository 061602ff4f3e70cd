"""Start-up refusal of unsafe keys, the per-installation key file, and the deploy check.

These start the real production settings in a child process (the suite's own settings carry a
published key on purpose), each with its own var/ directory so no developer's keys leak in.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from aduan.config import keys

ROOT = Path(__file__).resolve().parents[4]
GOOD_FIELD_KEY = "8rLq0m9iQ3cY2zqzN3n0zq2c2xw1oY5u1S2gKq8vZ1E="


def manage(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SECRET_KEY", "FIELD_ENCRYPTION", "DJANGO_", "DEBUG",
                                  "DATABASE_URL", "REDIS_URL", "TASK_BACKEND"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "aduan.config.settings",
                  "ADUAN_VAR_DIR": str(tmp_path), "DEBUG": "false",
                  # Explicitly empty: a developer's .env cannot fill them in.
                  "SECRET_KEY": "", "FIELD_ENCRYPTION_KEYS": "", "FIELD_ENCRYPTION_KEY": ""})
    clean.update(env)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT,
                          env=clean, capture_output=True, text=True, timeout=120, check=False)


# Any command starts Django (and so the refusal in core/apps.py); `shell -c` skips the checks.
START = ["shell", "-c", "pass"]


@pytest.mark.parametrize("secret_key", ["", "dev-insecure-aduan-key-change-me-in-production"])
def test_production_settings_refuse_missing_or_published_key(tmp_path, secret_key):
    run = manage(START, tmp_path, SECRET_KEY=secret_key, FIELD_ENCRYPTION_KEYS=GOOD_FIELD_KEY)
    assert run.returncode != 0
    assert "Aduan tidak dijalankan" in run.stderr
    assert "SECRET_KEY" in run.stderr.splitlines()[-1]


def test_every_key_ever_committed_or_too_short_is_refused():
    """The keys `git log -p -- src/aduan/config/ .env.example` shows, as of this change."""
    for bad in ("dev-insecure-aduan-key-change-me-in-production", "change-me",
                "test-secret-key-not-for-production-0123456789", "django-insecure-" + "x" * 50,
                "short", "a" * 80):
        assert keys.key_problems(secret_key=bad, field_keys=[GOOD_FIELD_KEY]), bad
    assert not keys.key_problems(secret_key=keys.new_secret_key(), field_keys=[GOOD_FIELD_KEY])


def test_nik_key_is_required_and_must_not_be_the_secret_key():
    secret = keys.new_secret_key()
    assert keys.key_problems(secret_key=secret, field_keys=[])
    assert keys.key_problems(secret_key=secret, field_keys=[secret])
    assert keys.key_problems(secret_key=secret, field_keys=[
        "dGVzdC1uaWsta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="])


def documented_production_env() -> dict[str, str]:
    """.env.example's settings plus the keys made as docs/privacy.md says."""
    env: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    made = subprocess.run([sys.executable, "-m", "aduan.config.keys"], capture_output=True,
                          text=True, check=True, cwd=ROOT).stdout
    for line in made.splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    return env


def test_deploy_check_with_documented_production_env_says_nothing_about_keys(tmp_path):
    env = documented_production_env()
    assert env["DEBUG"] == "false"
    run = manage(["check", "--deploy"], tmp_path, **env)
    assert run.returncode == 0, run.stderr
    output = run.stdout + run.stderr
    assert "SECRET_KEY" not in output
    assert "W009" not in output
    assert "FIELD_ENCRYPTION" not in output


def test_local_key_file_is_made_once_and_kept(tmp_path):
    path = tmp_path / "var" / "local.env"
    assert keys.write_local_keys(path) is True
    first = path.read_text()
    assert keys.write_local_keys(path) is False
    assert path.read_text() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["local.env"]  # no temporary file left
    values = dict(line.split("=", 1) for line in first.splitlines() if not line.startswith("#"))
    assert not keys.key_problems(secret_key=values["SECRET_KEY"],
                                 field_keys=[values["FIELD_ENCRYPTION_KEYS"]])


def test_production_settings_start_on_the_installation_key_file(tmp_path):
    """What `make run` does on a fresh clone: write var/local.env, then start on it."""
    subprocess.run([sys.executable, "-m", "aduan.config.keys", "--write",
                    str(tmp_path / "local.env")], check=True, cwd=ROOT)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SECRET_KEY", "FIELD_ENCRYPTION", "DJANGO_", "DEBUG"))}
    env.update({"DJANGO_SETTINGS_MODULE": "aduan.config.settings",
                "ADUAN_VAR_DIR": str(tmp_path), "DEBUG": "false"})
    ok = subprocess.run([sys.executable, str(ROOT / "manage.py"), *START], cwd=ROOT, env=env,
                        capture_output=True, text=True, timeout=120, check=False)
    assert ok.returncode == 0, ok.stderr

"""First request to a fresh gunicorn worker against a warm one (docs/benchmarks.md).

For each mode a new gunicorn (one sync worker, production settings, SQLite with the demo
office) is started; as soon as its worker has booted, the portal home and the complaint form
are requested once (the first request), then 20 times more (warm: the median is reported).

    .venv/bin/python bench/worker_warmup.py [--runs 3]

Modes: `cold` = no --preload and no warm-up in wsgi.py (ADUAN_WSGI_WARMUP=0), what the code
did before, timed from the worker's boot; `warm` = what `make run` and deploy/gunicorn.conf.py
do (--preload with the warm-up in wsgi.py, and the worker's request to itself,
config/gunicorn.py), timed from the worker's "warm" line (before it, connections wait in the
socket's queue).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench-warmup"
PAGES = ["/", "/pengaduan/kirim/"]
# One pair of keys for the whole run (the database is written with them).
KEYS = (secrets.token_urlsafe(48), Fernet.generate_key().decode())


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    e.update({"DJANGO_SETTINGS_MODULE": "aduan.config.settings", "ADUAN_VAR_DIR": str(VAR),
              "SECRET_KEY": KEYS[0],
              "FIELD_ENCRYPTION_KEYS": KEYS[1],
              "ADUAN_PUBLIC_URL": "http://127.0.0.1", "TASK_BACKEND": "db",
              "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "WARNING"})
    return e


def prepare() -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    for args in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([str(BIN / "python"), str(ROOT / "manage.py"), *args], env=env(),
                       check=True, capture_output=True, cwd=ROOT)


def one_run(mode: str) -> dict[str, tuple[float, float]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port, fd = sock.getsockname()[1], sock.fileno()
    e = env()
    args = [str(BIN / "gunicorn"), "aduan.config.wsgi", "--bind", f"fd://{fd}", "--workers", "1",
            "--log-level", "info"]
    if mode == "warm":
        args += ["--preload", "-c", "python:aduan.config.gunicorn"]
    else:
        e["ADUAN_WSGI_WARMUP"] = "0"
    log = VAR / f"gunicorn-{mode}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(args, env=e, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                pass_fds=(fd,))
    sock.close()
    try:
        ready = "Booting worker" if mode == "cold" else "warm ("
        while ready not in log.read_text():
            time.sleep(0.05)
        result = {}
        with httpx.Client(timeout=120) as client:
            for page in PAGES:
                started = time.perf_counter()
                assert client.get(f"http://127.0.0.1:{port}{page}").status_code == 200
                first = time.perf_counter() - started
                warm = []
                for _ in range(20):
                    started = time.perf_counter()
                    client.get(f"http://127.0.0.1:{port}{page}")
                    warm.append(time.perf_counter() - started)
                result[page] = (first, statistics.median(warm))
        return result
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    prepare()
    print(f"load average: {os.getloadavg()[0]:.2f}; python {sys.version.split()[0]}")
    print("| mode | page | first request (s) | warm median (s) | ratio |")
    print("|---|---|---|---|---|")
    for mode in ("cold", "warm"):
        for _ in range(runs):
            for page, (first, warm) in one_run(mode).items():
                print(f"| {mode} | `{page}` | {first:.3f} | {warm:.4f} | {first / warm:.1f}x |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

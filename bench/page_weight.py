"""Bytes a browser downloads for the portal home, and how long it may cache them.

Starts gunicorn (production settings, SQLite with the demo office, after collectstatic) from
the source tree given by --root (default: this one), fetches `/` and every stylesheet and
script it links with `Accept-Encoding: br, gzip` as a browser sends it, and prints the bytes
on the wire (Content-Length), the encoding and the Cache-Control of each.

    .venv/bin/python bench/page_weight.py [--root /path/to/another/checkout]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

HERE = Path(__file__).resolve().parents[1]
BIN = HERE / ".venv" / "bin"
# One pair of keys for the whole run (the database is written with them).
KEYS = (secrets.token_urlsafe(48), Fernet.generate_key().decode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=HERE)
    root = parser.parse_args().root.resolve()
    var = HERE / "var" / "bench-weight"
    shutil.rmtree(var, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "aduan.config.settings", "ADUAN_VAR_DIR": str(var),
                "SECRET_KEY": KEYS[0],
              "FIELD_ENCRYPTION_KEYS": KEYS[1], "TASK_BACKEND": "db",
                "ADUAN_PUBLIC_URL": "http://127.0.0.1", "PYTHONPATH": str(root / "src")})
    for args in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([str(BIN / "python"), str(root / "manage.py"), *args], env=env,
                       check=True, capture_output=True, cwd=root)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port, fd = sock.getsockname()[1], sock.fileno()
    proc = subprocess.Popen([str(BIN / "gunicorn"), "aduan.config.wsgi", "--bind", f"fd://{fd}",
                             "--workers", "1"], env=env, cwd=root, pass_fds=(fd,),
                            stderr=subprocess.DEVNULL)
    sock.close()
    url = f"http://127.0.0.1:{port}"
    headers = {"Accept-Encoding": "br, gzip"}
    try:
        with httpx.Client(timeout=120) as client:
            for _ in range(600):
                try:
                    home = client.get(f"{url}/", headers=headers)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            rows = [("/", home)]
            for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', home.text):
                rows.append((asset, client.get(f"{url}{asset}", headers=headers)))
    finally:
        proc.terminate()
        proc.wait()
    total = 0
    print(f"source: {root}; load average {os.getloadavg()[0]:.2f}")
    print("| resource | bytes on the wire | encoding | Cache-Control |")
    print("|---|---|---|---|")
    for name, response in rows:
        size = int(response.headers.get("Content-Length") or len(response.content))
        total += size
        print(f"| `{name}` | {size:,} | {response.headers.get('Content-Encoding', '-')} | "
              f"{response.headers.get('Cache-Control', '-')} |")
    print(f"| **total** | **{total:,}** | | |")


if __name__ == "__main__":
    main()

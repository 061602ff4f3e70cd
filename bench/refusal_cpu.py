"""CPU of one gunicorn sync worker per web submission, accepted (302) and refused by the
per-contact limit (429), through real HTTP (issue 17: a refusal must not cost more than an
acceptance). The worker's utime+stime from /proc over N sequential POSTs is load-independent
enough to compare runs; quote the load average anyway.

    .venv/bin/python bench/refusal_cpu.py [--n 600] [--port 8110] [--root CHECKOUT] [--cache file]

`--root`: the checkout whose code gunicorn runs (default: this one), so an older commit can be
measured with the same client: `git worktree add --detach /tmp/before <commit>`. Each mode
gets a fresh SQLite database with the demo office, the production settings of
bench/portal_settings.py (Redis cache: BENCH_REDIS_URL) and one worker. The body is the shared
harness's (as bench/submit_profile.py posts it); `refused` sets the per-contact limit to 0 an
hour, so every POST is counted and answered 429 with the form shown again.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parents[1]
# The project's virtualenv (a worktree may have none of its own: then the main checkout's).
VENV = Path(os.environ.get("BENCH_VENV", HERE / ".venv")) / "bin"
SECRET_KEY = secrets.token_urlsafe(48)
FIELD_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
LIMITS = {"accepted": {"web_submit": None, "submit_contact": None},
          "refused": {"web_submit": None, "submit_contact": (0, 3600)}}


def _env(root: Path, work: Path, mode: str, port: int, cache: str) -> dict[str, str]:
    (work / "refusal_bench_settings.py").write_text(
        "from bench.portal_settings import *  # noqa: F403\n"
        f"ADUAN_RATE_LIMITS = {LIMITS[mode]!r}\n"
        # The shipped cache without REDIS_URL (the file cache), as the shared harness runs.
        + ("from aduan.config.settings import CACHES  # noqa: E402, F811\n"
           if cache == "file" else ""))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "refusal_bench_settings",
           "PYTHONPATH": f"{root / 'src'}:{root}:{work}", "SECRET_KEY": SECRET_KEY,
           "FIELD_ENCRYPTION_KEYS": FIELD_KEY, "ADUAN_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "ADUAN_VAR_DIR": str(work / "var"), "TASK_BACKEND": "db",
           "MEDIA_ROOT": str(work / "var" / "media"),
           "ADUAN_SQLITE_PATH": str(work / "bench.sqlite3"),
           "BENCH_REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def _request(port: int, method: str, path: str, body: str = "",
             headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body.encode(), headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def measure(root: Path, mode: str, n: int, port: int, cache: str) -> float:
    from django.conf import settings
    from django.core import signing

    if not settings.configured:
        settings.configure(SECRET_KEY=SECRET_KEY)
    work = Path(tempfile.mkdtemp(prefix=f"refusal-{mode}-"))
    env = _env(root, work, mode, port, cache)
    python = str(VENV / "python")
    for args in (["migrate", "-v0", "--skip-checks"], ["collectstatic", "--noinput", "-v0"],
                 ["load_demo", "--skip-checks"]):
        subprocess.run([python, str(root / "manage.py"), *args], env=env, cwd=root,
                       check=True, capture_output=True)
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "bench.portal_wsgi", "--preload", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "sync",
         "--log-level", "warning"], env=env, cwd=root, start_new_session=True)
    try:
        for _ in range(120):
            try:
                page = _request(port, "GET", "/pengaduan/kirim/")
                break
            except OSError:
                time.sleep(0.5)
        cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
        csrf = cookie.split("=", 1)[1]
        worker = int(Path(f"/proc/{server.pid}/task/{server.pid}/children")
                     .read_text().split()[0])
        run = uuid.uuid4().hex[:8]
        expected = 302 if mode == "accepted" else 429

        def post(i: int) -> None:
            token = signing.dumps([int(time.time()) - 60, secrets.token_urlsafe(16)],
                                  key=SECRET_KEY, salt="aduan.portal.form-age")
            body = urlencode({
                "csrfmiddlewaretoken": csrf, "form_token": token,
                "name": "siti Kota Bandung", "nik": "", "address": "", "occupation": "",
                "phone": f"08126861{i % 10000:04d}", "email": f"siti.{i}@gmail.com",
                "company_name": "", "service_type": "",
                "subject": "Syarat perpanjangan SIP bidan bagaimana?",
                "description": "Selamat pagi, saya siti dari Kota Bandung. Saya ingin "
                "memperpanjang SIP bidan yang akan habis bulan depan. Dokumen apa saja yang "
                f"perlu disiapkan dan berapa lama prosesnya? Nomor registrasi lama REG/{i}"
                f"/2024 ({run}). Terima kasih.",
                "consent": "on", "website": ""})
            response = _request(port, "POST", "/pengaduan/kirim/", body, {
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}/pengaduan/kirim/"})
            assert response.status == expected, (response.status, expected)

        for i in range(30):
            post(i)
        before = _cpu_ticks(worker)
        for i in range(30, 30 + n):
            post(i)
        ticks = _cpu_ticks(worker) - before
        return ticks / os.sysconf("SC_CLK_TCK") / n * 1000
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--mode", choices=["accepted", "refused"], action="append")
    parser.add_argument("--cache", choices=["redis", "file"], default="redis",
                        help="the rate counters' cache: Redis (BENCH_REDIS_URL), or the shipped "
                        "file cache, as the shared harness runs")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    for mode in args.mode or ["accepted", "refused"]:
        cpu = measure(args.root.resolve(), mode, args.n, args.port, args.cache)
        print(f"{mode} ({args.cache} cache): {cpu:.2f} ms worker CPU per submission over {args.n}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

"""Real servers for the operations tests: gunicorn with the production settings, a private
PostgreSQL cluster and a private Redis, each on a socket of its own (never a fixed port, never
the shared servers)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Keys of the servers these tests start (production settings refuse short or missing keys).
SECRET = secrets.token_urlsafe(48)
NIK_KEY = Fernet.generate_key().decode()
BIN = Path(sys.executable).parent
OPS_VAR = ROOT / "var" / "test-ops"
PG_BIN = next((p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
               if (p / "initdb").exists()), None) if Path("/usr/lib/postgresql").exists() else None


def wait_until(condition, *, timeout: float, what: str, log: Path | None = None) -> None:
    """Poll for an event (a functional wait, not a performance assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return
        time.sleep(0.1)
    detail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


def production_env(**extra: str) -> dict[str, str]:
    """The production settings (not the test settings), on a var directory of the tests."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "ADUAN_SQLITE_PATH", "TASK_BACKEND",
                        "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "aduan.config.settings",
        "SECRET_KEY": SECRET,
        "FIELD_ENCRYPTION_KEYS": NIK_KEY,
        "ADUAN_PUBLIC_URL": "http://127.0.0.1",
        "ADUAN_VAR_DIR": str(OPS_VAR),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASK_BACKEND": "db",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    })
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def collect_static() -> Path:
    """collectstatic with the production storage into the tests' var directory, once per run
    of the suite (a file lock serialises the xdist workers; unchanged files are not
    compressed again, core/staticstorage.py)."""
    OPS_VAR.mkdir(parents=True, exist_ok=True)
    marker = OPS_VAR / f".collected-{os.getppid()}"
    with (OPS_VAR / ".collect.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            manage(production_env(), "collectstatic", "--noinput", "-v0")
            marker.touch()
    return OPS_VAR / "staticfiles"


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, *, workers: int = 1,
             preload: bool = True, extra: tuple[str, ...] = ()) -> Iterator[Server]:
    """gunicorn serving aduan.config.wsgi on a socket this process bound to a free port and
    hands over (`--bind fd://`), so no port is guessed."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    fd = sock.fileno()
    args = [str(BIN / "gunicorn"), "aduan.config.wsgi", "--bind", f"fd://{fd}",
            "--workers", str(workers), "--timeout", "120", "--graceful-timeout", "5",
            *(["--preload", "-c", "python:aduan.config.gunicorn"] if preload else []), *extra]
    with log.open("ab") as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                pass_fds=(fd,), start_new_session=True)
    sock.close()
    server = Server(url=f"http://127.0.0.1:{port}", proc=proc, log=log)
    try:
        import httpx

        wait_until(lambda: httpx.get(f"{server.url}/healthz", timeout=30).status_code == 200,
                   timeout=180, what="gunicorn to answer", log=log)
        yield server
    finally:
        stop(proc)


@contextlib.contextmanager
def background(env: dict[str, str], args: list[str], log: Path) -> Iterator[subprocess.Popen]:
    """A `manage.py` command (a worker) running beside the test, stopped afterwards."""
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], env=env,
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --------------------------------------------------------------------------------------------
# A private PostgreSQL cluster (unix socket only) and a private Redis (unix socket only)
# --------------------------------------------------------------------------------------------


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class PrivatePostgres:
    data: Path
    sockets: Path
    log: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@/aduan?host={self.sockets}"

    def start(self) -> None:
        subprocess.run(_as_postgres([
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
            "-o", f"-c listen_addresses='' -c unix_socket_directories='{self.sockets}' "
                  "-c fsync=off -c full_page_writes=off", "start"]),
            check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w",
                                     "-m", "fast", "stop"]), check=False, capture_output=True)


def private_postgres_available() -> bool:
    if PG_BIN is None:
        return False
    if os.geteuid() == 0:
        return shutil.which("runuser") is not None and _user_exists("postgres")
    return True


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    base = Path(tempfile.mkdtemp(prefix="aduan-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
        pg = PrivatePostgres(data=base / "data", sockets=base, log=base / "server.log")
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(pg.data), "-U",
                                     "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)
        pg.start()
        subprocess.run(_as_postgres([str(PG_BIN / "createdb"), "-h", str(base), "-U",
                                     "postgres", "aduan"]), check=True, capture_output=True)
        try:
            yield pg
        finally:
            pg.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class PrivateRedis:
    socket_path: Path
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", str(self.socket_path),
             "--unixsocketperm", "700", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until(self.socket_path.exists, timeout=30, what="redis-server")

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None
        self.socket_path.unlink(missing_ok=True)


@contextlib.contextmanager
def private_redis(tmp: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(socket_path=tmp / "redis.sock")
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()

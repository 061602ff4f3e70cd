"""A throw-away dovecot IMAP server for the e-mail channel tests and for local trials.

`DovecotServer(root, port).start()` writes a minimal configuration under `root` (plain-text
login on 127.0.0.1 only, any user name with the test password, one Maildir per user) and
starts Debian's dovecot (package `dovecot-imapd`). Used by the intake tests; `.ci/run` and
`make test` install the package when missing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

PASSWORD = "aduan-imap-test"  # noqa: S105 (a local throw-away test server)

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
last_valid_gid = {gid}
mail_location = maildir:~/Maildir
mail_privileged_group =
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
"""


class DovecotServer:
    def __init__(self, root: Path, port: int) -> None:
        self.root = Path(root)
        self.port = port
        self.config = self.root / "dovecot.conf"

    @staticmethod
    def binary() -> str | None:
        return shutil.which("dovecot") or (
            "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)

    def start(self, timeout: float = 20.0) -> DovecotServer:
        binary = self.binary()
        if binary is None:
            raise RuntimeError("dovecot is not installed: apt-get install dovecot-imapd")
        self.stop()
        if self.root.exists():
            shutil.rmtree(self.root)
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # Mail processes may not run as root: mailboxes belong to `nobody`.
            mail = pwd.getpwnam("nobody")
            login_user, internal_user = "dovenull", "dovecot"
            os.chown(self.root / "home", mail.pw_uid, mail.pw_gid)
        else:
            mail = pwd.getpwuid(os.getuid())
            login_user = internal_user = mail.pw_name
        self.root.chmod(0o755)
        self.config.write_text(CONFIG.format(
            root=self.root, port=self.port, password=PASSWORD, uid=mail.pw_uid,
            gid=mail.pw_gid, login_user=login_user, internal_user=internal_user))
        # dovecot daemonises; its children keep inherited pipes open, so none are given.
        with (self.root / "startup.log").open("wb") as log:
            started = subprocess.run([binary, "-c", str(self.config)],  # noqa: S603
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     timeout=timeout, check=False)
        if started.returncode != 0:
            raise RuntimeError(f"dovecot exited with {started.returncode}: "
                               f"{(self.root / 'startup.log').read_text()[-2000:]}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(200).startswith(b"* OK") and (
                            self.root / "run" / "master.pid").exists():
                        return self
            except OSError:
                time.sleep(0.1)
        log = (self.root / "dovecot.log").read_text() if (self.root / "dovecot.log").exists() \
            else ""
        raise RuntimeError(f"dovecot did not start on port {self.port}: {log[-2000:]}")

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if not pid_file.exists():
            return
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, 15)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (ProcessLookupError, ValueError):
            pass

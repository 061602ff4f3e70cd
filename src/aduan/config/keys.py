"""Secret keys: refuse unsafe ones, and create a per-installation pair for `make run`.

Runs without Django settings, so `python -m aduan.config.keys` works before anything is
configured:

    python -m aduan.config.keys                     # print a new SECRET_KEY and NIK key
    python -m aduan.config.keys --write var/local.env   # create the file once, keep it after

`SECRET_KEY` signs sessions, CSRF tokens and receipt links; `FIELD_ENCRYPTION_KEYS` encrypts
NIKs at rest (newest first, see core/crypto.py). Both must be secret to the installation: a key
that was ever committed to this repository is published and is refused when DEBUG is off.
"""

from __future__ import annotations

import argparse
import os
import secrets
import string
import sys
from pathlib import Path

# Every SECRET_KEY value that was committed to this repository (settings.py's old default,
# .env.example's placeholder, the test settings' key). `git log -p -- src/aduan/config/
# .env.example` lists them; a key in this list signs nothing in production.
PUBLISHED_SECRET_KEYS = frozenset({
    "dev-insecure-aduan-key-change-me-in-production",
    "change-me",
    "test-secret-key-not-for-production-0123456789",
    # The test settings' NIK key.
    "dGVzdC1uaWsta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE=",
})
# Django's own deploy check (security.W009) wants at least 50 characters, 5 different ones.
MIN_SECRET_KEY_LENGTH = 50
# No "#", "$", quotes or "=": the key survives .env files and shells unquoted.
_KEY_ALPHABET = string.ascii_letters + string.digits + "-_."

GENERATE_HINT = ("Buat kunci baru dengan `python -m aduan.config.keys` dan simpan di lingkungan "
                 "(.env) server; lihat docs/privacy.md, bagian Kunci.")


def new_secret_key() -> str:
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(64))


def new_field_key() -> str:
    """A Fernet key (32 random bytes, URL-safe base64)."""
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def key_problems(*, secret_key: str, field_keys: list[str]) -> list[str]:
    """What makes these keys unfit for production, in Indonesian; empty when they are fine."""
    problems = []
    if not secret_key:
        problems.append("SECRET_KEY tidak diisi.")
    elif secret_key in PUBLISHED_SECRET_KEYS or secret_key.startswith("django-insecure-"):
        problems.append("SECRET_KEY adalah kunci yang diterbitkan di repositori (kunci contoh "
                        "atau kunci lama); siapa pun dapat memalsukan tautan dan sesi dengannya.")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        problems.append(f"SECRET_KEY terlalu pendek (minimal {MIN_SECRET_KEY_LENGTH} karakter "
                        "acak).")
    if not field_keys:
        problems.append("FIELD_ENCRYPTION_KEYS (kunci enkripsi NIK) tidak diisi.")
    elif any(key in PUBLISHED_SECRET_KEYS or key == secret_key for key in field_keys):
        problems.append("FIELD_ENCRYPTION_KEYS memuat kunci yang diterbitkan atau sama dengan "
                        "SECRET_KEY; kunci enkripsi NIK harus kunci tersendiri.")
    return problems


def write_local_keys(path: Path) -> bool:
    """Create `path` with a new SECRET_KEY and NIK key unless it exists; True when created.

    The file is written whole (temporary file, then rename) and readable by its owner only, so
    an interrupted first run never leaves half a key behind."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    content = ("# Kunci instalasi ini, dibuat otomatis oleh `make run`. Jangan dibagikan, jangan"
               " dihapus:\n# tanpa FIELD_ENCRYPTION_KEYS ini NIK yang tersimpan tidak dapat "
               "dibaca lagi.\n"
               f"SECRET_KEY={new_secret_key()}\n"
               f"FIELD_ENCRYPTION_KEYS={new_field_key()}\n")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(tmp, path)  # fails if another first run won the race; theirs is kept
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, metavar="FILE",
                        help="create FILE with new keys if it does not exist yet")
    args = parser.parse_args(argv)
    if args.write is None:
        print(f"SECRET_KEY={new_secret_key()}")
        print(f"FIELD_ENCRYPTION_KEYS={new_field_key()}")
        return 0
    if write_local_keys(args.write):
        print(f"Kunci instalasi baru dibuat: {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

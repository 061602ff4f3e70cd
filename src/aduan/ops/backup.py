"""Backup and restore: the database snapshot, the media files and a manifest, in one archive.

An archive (`aduan-backup-<UTC time>.tar.gz`) holds
- `manifest.json`: format, time, database vendor, applied migrations, row counts per table
  (counted inside the same snapshot as the dump), the SHA-256 and size of every other member,
  and a canary encrypted with the NIK key;
- `db.sqlite3` (SQLite's online backup API: a consistent copy while the site runs) or `db.dump`
  (`pg_dump --format=custom` from an exported snapshot, the same snapshot the counts come from);
- `media/...`: the uploaded files (attachments, office logo), when media is on a local disk.

A restore checks everything before it touches anything: the checksums, the format, the database
vendor, that the code knows every migration in the archive, and that the configured key opens
the canary (another key would leave every NIK unreadable). Then it loads the database in one
transaction (PostgreSQL) or one backup-API copy (SQLite), swaps the media directory, compares the
row counts with the manifest and migrates forward. The register counters are rows like any
other, so numbering continues where the backup left off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.core import crypto

FORMAT = 1
MANIFEST = "manifest.json"
CANARY = "aduan-key-canary"
ARCHIVE_PREFIX = "aduan-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    counts: dict[str, int]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


NIK_SAMPLE = 20


def _nik_sample(cursor: Any, quote: Any) -> list[str]:
    """Some stored NIK ciphertexts of the snapshot: a restore decrypts them before it replaces
    anything (they are in the dump already; the manifest adds nothing readable)."""
    from aduan.complaints.models import Reporter

    table = quote(Reporter._meta.db_table)
    cursor.execute(f"SELECT nik_encrypted FROM {table} WHERE nik_encrypted <> '' "  # noqa: S608
                   f"ORDER BY id DESC LIMIT {NIK_SAMPLE}")
    return [row[0] for row in cursor.fetchall()]


def _tables() -> list[str]:
    """Every table of an installed model (ours, Django's, the task queue's), sorted."""
    names = {model._meta.db_table for model in apps.get_models(include_auto_created=True)
             if model._meta.managed and not model._meta.proxy}
    return sorted(names)


def _count_tables(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - model tables
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations() -> list[list[str]]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted([app, name] for app, name in loader.applied_migrations)


def _media_root() -> Path | None:
    if "FileSystemStorage" not in settings.STORAGES["default"]["BACKEND"]:
        return None
    return Path(settings.MEDIA_ROOT)


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(_("Program %(name)s tidak ditemukan; pasang paket postgresql-client "
                            "dengan versi yang sama dengan server.") % {"name": cmd[0]}) from exc
    if done.returncode != 0:
        raise BackupError(_("%(name)s gagal: %(error)s") % {
            "name": Path(cmd[0]).name,
            "error": done.stderr.decode(errors="replace").strip()[-2000:]})


# --------------------------------------------------------------------------------------------
# Backup
# --------------------------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[str]]:
    """SQLite's online backup API: a consistent copy while writers go on; counts from it."""
    source_path = str(connection.settings_dict["NAME"])
    source = sqlite3.connect(source_path, timeout=60)
    destination = sqlite3.connect(str(target))
    try:
        source.backup(destination)
    finally:
        source.close()
    try:
        existing = {row[0] for row in destination.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        cursor = destination.cursor()
        counts = _count_tables(cursor, [t for t in _tables() if t in existing],
                               lambda t: f'"{t}"')
        return counts, _nik_sample(cursor, lambda t: f'"{t}"')
    finally:
        destination.close()


def _dump_postgresql(target: Path) -> tuple[dict[str, int], list[str]]:
    """pg_dump from an exported snapshot; the counts are read in that same snapshot."""
    args, env = _pg_env(connection.settings_dict)
    name = str(connection.settings_dict["NAME"])
    # A connection of our own: the snapshot lives as long as its transaction.
    snapshot_conn = connections.create_connection("default")
    try:
        snapshot_conn.ensure_connection()
        raw = snapshot_conn.connection
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot}", "--file", str(target), name], env)
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            existing = {row[0] for row in cursor.fetchall()}
            counts = _count_tables(cursor, [t for t in _tables() if t in existing],
                                   snapshot_conn.ops.quote_name)
            sample = _nik_sample(cursor, snapshot_conn.ops.quote_name)
        raw.rollback()
    finally:
        snapshot_conn.close()
    return counts, sample


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def create_backup(directory: Path, *, now: dt.datetime | None = None) -> Path:
    """Write one archive into `directory` and return its path. The archive appears under its
    final name only when complete (written beside it, then renamed)."""
    directory.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = directory / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        work_dir = Path(work)
        vendor = connection.vendor
        if vendor == "sqlite":
            db_name = "db.sqlite3"
            counts, sample = _dump_sqlite(work_dir / db_name)
        elif vendor == "postgresql":
            db_name = "db.dump"
            counts, sample = _dump_postgresql(work_dir / db_name)
        else:
            raise BackupError(_("Basis data %(vendor)s tidak didukung.") % {"vendor": vendor})
        files = {db_name: {"sha256": _sha256(work_dir / db_name),
                           "size": (work_dir / db_name).stat().st_size}}
        media_root = _media_root()
        media: list[tuple[Path, str]] = []
        if media_root is not None and media_root.exists():
            for path, rel in _media_files(media_root):
                member = f"media/{rel}"
                files[member] = {"sha256": _sha256(path), "size": path.stat().st_size}
                media.append((path, member))
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"vendor": vendor, "file": db_name},
            "migrations": _applied_migrations(),
            "counts": counts,
            "media": "local" if media_root is not None else "remote",
            "files": files,
            "key": {"fingerprints": crypto.key_fingerprints(),
                    "canary": crypto.encrypt(CANARY), "nik_sample": sample},
        }
        partial = work_dir / "archive.partial"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(work_dir / db_name, arcname=db_name, recursive=False)
            for path, member in media:
                tar.add(path, arcname=member, recursive=False)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.chmod(0o600)  # it holds reporters' personal data
        partial.replace(final)
    return final


def prune_backups(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (names sort by time); returns the deleted."""
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    doomed = archives[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


# --------------------------------------------------------------------------------------------
# Restore
# --------------------------------------------------------------------------------------------


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        if handle is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(handle.read(10 * 1024 * 1024))
    except (KeyError, ValueError) as exc:
        raise BackupError(_("Arsip ini bukan cadangan Aduan: manifest.json tidak ada atau "
                            "rusak.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Format cadangan tidak dikenal (format %(format)s).")
                          % {"format": manifest.get("format") if isinstance(manifest, dict)
                             else "?"})
    return manifest


def _check_key(manifest: dict[str, Any]) -> None:
    """The configured keys must open the canary and the sample of stored NIKs (core/crypto.py
    key rotation: any configured key may open them, the newest encrypts)."""
    key = manifest.get("key") or {}
    sample = [str(t) for t in key.get("nik_sample") or []]
    try:
        opened = crypto.decrypt(str(key.get("canary", ""))) == CANARY
        crypto.check_decryptable(sample)
    except crypto.KeyMismatchError:
        opened = False
    if not opened:
        raise BackupError(_(
            "Kunci enkripsi tidak cocok: cadangan ini dibuat dengan kunci bersidik jari "
            "%(theirs)s, sedangkan kunci yang terpasang bersidik jari %(ours)s. Dengan kunci "
            "ini semua NIK pelapor tidak akan terbaca. Pasang FIELD_ENCRYPTION_KEYS yang dipakai "
            "saat pencadangan, lalu ulangi pemulihan.")
            % {"theirs": ", ".join(key.get("fingerprints") or ["?"]),
               "ours": ", ".join(crypto.key_fingerprints())})


def _check_migrations(manifest: dict[str, Any]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest.get("migrations", [])
               if (app, name) not in known]
    if unknown:
        raise BackupError(_(
            "Cadangan ini berasal dari versi Aduan yang lebih baru (migrasi tidak dikenal: "
            "%(names)s). Pasang versi yang sama atau lebih baru, lalu ulangi pemulihan.")
            % {"names": ", ".join(unknown[:5])})


def _extract_verified(tar: tarfile.TarFile, manifest: dict[str, Any], into: Path) -> None:
    """Extract every listed member (and nothing else) and check its size and SHA-256."""
    files: dict[str, dict[str, Any]] = manifest.get("files") or {}
    members = {m.name: m for m in tar.getmembers()}
    extra = sorted(set(members) - set(files) - {MANIFEST})
    if extra:
        raise BackupError(_("Arsip berisi berkas yang tidak tercatat di manifest: %(names)s")
                          % {"names": ", ".join(extra[:5])})
    for name, expected in files.items():
        member = members.get(name)
        if member is None or not member.isfile():
            raise BackupError(_("Berkas %(name)s tercatat di manifest tetapi tidak ada di "
                                "arsip.") % {"name": name})
        tar.extract(member, path=into, filter="data")
        path = into / name
        if path.stat().st_size != expected.get("size") or _sha256(path) != expected.get(
                "sha256"):
            raise BackupError(_("Checksum %(name)s tidak cocok dengan manifest: arsip rusak "
                                "atau diubah.") % {"name": name})


def inspect_backup(archive: Path, into: Path) -> dict[str, Any]:
    """All the checks of a restore, extracting into `into`; touches neither database nor
    media. Returns the manifest."""
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(_("Arsip cadangan tidak dapat dibaca: %(error)s")
                          % {"error": exc}) from exc
    with tar:
        manifest = _read_manifest(tar)
        _check_key(manifest)
        vendor = manifest.get("database", {}).get("vendor")
        if vendor != connection.vendor:
            raise BackupError(_(
                "Cadangan ini dari basis data %(theirs)s, sedangkan Aduan terhubung ke "
                "%(ours)s. Pulihkan ke jenis basis data yang sama.")
                % {"theirs": vendor, "ours": connection.vendor})
        _check_migrations(manifest)
        try:
            _extract_verified(tar, manifest, into)
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(_("Arsip cadangan rusak: %(error)s") % {"error": exc}) from exc
    return manifest


def _load_sqlite(dump: Path) -> None:
    connections.close_all()
    source = sqlite3.connect(str(dump))
    target = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=60)
    try:
        source.backup(target)  # replaces every page of the live database in one step
    finally:
        target.close()
        source.close()


def _load_postgresql(dump: Path) -> None:
    args, env = _pg_env(connection.settings_dict)
    name = str(connection.settings_dict["NAME"])
    connections.close_all()
    _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", "--dbname", name, str(dump)], env)


def _swap_media(staged: Path, now: dt.datetime) -> Path | None:
    """Put the archive's media in place; the old directory is kept beside it, renamed."""
    root = _media_root()
    if root is None:
        return None
    root.parent.mkdir(parents=True, exist_ok=True)
    previous = None
    if root.exists():
        previous = root.with_name(f"{root.name}.before-restore-"
                                  f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}")
        root.rename(previous)
    if staged.exists():
        shutil.move(str(staged), str(root))
    else:
        root.mkdir()
    return previous


def restore_backup(archive: Path, *, migrate: bool = True) -> RestoreResult:
    """Replace the database and media with the archive's. Every check runs before anything is
    replaced; a failed check leaves the installation as it was."""
    now = timezone.now()
    media_root = _media_root()
    staging_parent = media_root.parent if media_root is not None else Path(settings.VAR_DIR)
    staging_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_parent, prefix=".restore-") as work:
        work_dir = Path(work)
        manifest = inspect_backup(archive, work_dir)
        dump = work_dir / manifest["database"]["file"]
        if connection.vendor == "sqlite":
            _load_sqlite(dump)
        else:
            _load_postgresql(dump)
        if manifest.get("media") == "local":
            _swap_media(work_dir / "media", now)
    connections.close_all()
    with connection.cursor() as cursor:
        tables = [t for t in manifest["counts"] if t in set(connection.introspection
                                                               .table_names(cursor))]
        counts = _count_tables(cursor, tables, connection.ops.quote_name)
    missing = sorted(set(manifest["counts"]) - set(counts))
    wrong = {t: (manifest["counts"][t], counts[t]) for t in counts
             if counts[t] != manifest["counts"][t]}
    if missing or wrong:
        raise BackupError(_("Jumlah baris setelah pemulihan tidak cocok dengan manifest: "
                            "%(detail)s") % {"detail": {"missing": missing, "wrong": wrong}})
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    with contextlib.suppress(Exception):  # memos of the replaced data; the cache may be down
        from django.core.cache import cache

        cache.clear()
    return RestoreResult(manifest=manifest, counts=counts)

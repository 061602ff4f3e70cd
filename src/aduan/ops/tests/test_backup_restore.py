"""The backup-restore drill: cases with attachments and encrypted NIK, back up, wipe, restore,
compare counts and checksums, and go on numbering (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from aduan.complaints.attachments import attachment_add
from aduan.complaints.models import Attachment, Complaint, Reporter
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.ops.backup import BackupError, create_backup, inspect_backup, prune_backups

pytestmark = pytest.mark.django_db(transaction=True)



def _png(shade: int) -> bytes:
    """A real, decodable PNG (the attachment pipeline decodes and re-encodes images)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (shade, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _cases(office, n: int) -> list[Complaint]:
    cases = []
    for i in range(n):
        case = register_complaint(office, reporter=ReporterInput(
            name=f"Pelapor {i}", nik=f"140301120590{i + 1:04d}", phone=f"08123456{i:04d}",
            consent=True))
        attachment_add(complaint=case, file=ContentFile(_png(i), name=f"foto{i}.png"))
        attachment_add(complaint=case, file=ContentFile(PDF, name=f"surat{i}.pdf"))
        cases.append(case)
    return cases


def _media_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def _state() -> dict:
    return {
        "complaints": sorted(Complaint.objects.values_list("register_number", "tracking_code")),
        "niks": sorted(r.nik for r in Reporter.objects.all()),
        "attachments": sorted(Attachment.objects.values_list("file", "sha256")),
    }


def _wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


def test_backup_wipe_restore_continues_numbering(office, media_root, tmp_path):
    cases = _cases(office, 3)
    before, media_before = _state(), _media_digest(media_root)
    assert len(media_before) == 6 and all(before["niks"])
    archive = create_backup(tmp_path / "backups")

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"][Complaint._meta.db_table] == 3
    assert manifest["counts"][Attachment._meta.db_table] == 6
    assert {f"media/{name}" for name in media_before} <= set(manifest["files"])

    _wipe(media_root)
    assert Complaint.objects.count() == 0 and not media_root.exists()

    call_command("restore", str(archive), "--yes", verbosity=0)

    assert _state() == before
    assert _media_digest(media_root) == media_before
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == attachment.sha256
    nxt = register_complaint(office)
    assert nxt.register_sequence == cases[-1].register_sequence + 1
    assert nxt.register_number not in {c[0] for c in before["complaints"]}


def test_restore_refuses_another_encryption_key(office, media_root, tmp_path, settings):
    _cases(office, 1)
    archive = create_backup(tmp_path)
    original = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="Kunci enkripsi tidak cocok"):
        call_command("restore", str(archive), "--yes", verbosity=0)
    assert Complaint.objects.count() == 1  # nothing touched
    # After a rotation the old key is still configured (second): the backup restores.
    settings.FIELD_ENCRYPTION_KEYS = [settings.FIELD_ENCRYPTION_KEYS[0], *original]
    inspect_backup(archive, tmp_path / "rotated")


def _rewrite(archive: Path, target: Path, change) -> Path:
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for original in src.getmembers():
            member, data = change(original, src.extractfile(original).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


def test_restore_refuses_a_tampered_or_foreign_archive(office, media_root, tmp_path):
    _cases(office, 1)
    archive = create_backup(tmp_path)

    def flip_media(member, data):
        return member, (data[:-1] + b"X" if member.name.startswith("media/") else data)

    tampered = _rewrite(archive, tmp_path / "tampered.tar.gz", flip_media)
    with pytest.raises(BackupError, match="Checksum"):
        inspect_backup(tampered, tmp_path / "x1")

    def smuggle(member, data):
        if member.name == "manifest.json":
            return member, data
        member.name = "../../etc/evil" if member.name.startswith("media/") else member.name
        return member, data

    with pytest.raises(BackupError):
        inspect_backup(_rewrite(archive, tmp_path / "evil.tar.gz", smuggle), tmp_path / "x2")
    assert not (tmp_path / "etc").exists()

    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="tidak dapat dibaca"):
        inspect_backup(tmp_path / "junk.tar.gz", tmp_path / "x3")

    def newer(member, data):
        if member.name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"].append(["complaints", "9999_from_the_future"])
            data = json.dumps(manifest).encode()
        return member, data

    with pytest.raises(BackupError, match="lebih baru"):
        inspect_backup(_rewrite(archive, tmp_path / "newer.tar.gz", newer), tmp_path / "x4")
    assert Complaint.objects.count() == 1


def test_scheduled_backup_keeps_the_newest_archives(office, media_root, tmp_path, settings):
    from aduan.ops.models import BackupSettings
    from aduan.ops.tasks import run_scheduled_backup

    settings.ADUAN_BACKUP_DIR = tmp_path / "scheduled"
    row = BackupSettings.load()
    row.keep_count = 2
    row.save()
    names = []
    for _ in range(3):
        BackupSettings.objects.update(last_attempt_at=None)
        names.append(run_scheduled_backup.call())
    assert run_scheduled_backup.call() == "not due"
    kept = sorted(p.name for p in settings.ADUAN_BACKUP_DIR.glob("aduan-backup-*"))
    assert kept == sorted(names[1:])
    assert BackupSettings.load().last_success_at is not None
    assert prune_backups(settings.ADUAN_BACKUP_DIR, keep=1) == [
        settings.ADUAN_BACKUP_DIR / names[1]]

"""The one attachment pipeline, in process: bombs and floods refused from their headers,
photos stripped of their metadata, nothing left on disk after a refusal, a rollback or a full
disk, and the orphan sweep."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from PIL import Image

from aduan.complaints import attachments
from aduan.complaints.attachments import (
    MESSAGING_TYPES,
    AttachmentRefused,
    StorageFull,
    attachment_add,
    attachment_batch,
    attachment_download_name,
    attachment_ingest,
    storage_alert,
)
from aduan.complaints.models import Attachment
from aduan.complaints.tests import hostile_files as hostile
from aduan.complaints.tests.factories import register_complaint


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_zip_bomb_docx_is_refused_from_its_directory(media):
    bomb = hostile.zip_bomb_docx()
    assert len(bomb) < 700 * 1024
    with pytest.raises(AttachmentRefused) as refusal:
        attachment_ingest(bomb, name="surat.docx")
    assert refusal.value.code == "attachment_unsafe"
    assert "surat.docx" in refusal.value.message
    assert files_under(media) == []


def test_a_single_entry_bomb_is_refused_by_its_ratio(media):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types>wordprocessingml.document.main+xml"
                                                "</Types>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(AttachmentRefused) as refusal:
        attachment_ingest(buffer.getvalue(), name="ratio.docx")
    assert refusal.value.code == "attachment_unsafe"


def test_a_50000_pixel_square_png_is_refused_before_decoding(media):
    with pytest.raises(AttachmentRefused) as refusal:
        attachment_ingest(hostile.huge_png(), name="denah.png")
    assert refusal.value.code == "attachment_image_too_large"
    assert "denah.png" in refusal.value.message and "megapiksel" in refusal.value.message
    assert files_under(media) == []


def test_a_photo_loses_its_gps_exif_and_xmp(media):
    original = hostile.gps_jpeg()
    staged = attachment_ingest(original, name="rumah.jpg")
    stored = staged.path.read_bytes()
    assert stored[:3] == b"\xff\xd8\xff"
    assert hostile.GPS_MARKER.encode() not in stored
    assert hostile.XMP_MARKER not in stored
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.size == (640, 480)
    assert not image.getexif()
    assert staged.size == len(stored) and staged.content_type == "image/jpeg"
    staged.discard()


def test_a_polyglot_keeps_only_its_picture(media):
    staged = attachment_ingest(hostile.polyglot_jpeg(), name="foto.jpg")
    stored = staged.path.read_bytes()
    assert hostile.POLYGLOT_MARKER not in stored
    assert b"PK\x03\x04" not in stored
    assert stored.endswith(b"\xff\xd9")
    staged.discard()


def test_oversized_streams_stop_at_the_limit_without_buffering(media, settings):
    settings.ADUAN_MAX_ATTACHMENT_BYTES = 1024 * 1024
    pulled = []

    def endless():
        while True:
            pulled.append(1)
            yield b"%PDF" + b"\0" * (64 * 1024 - 4)

    with pytest.raises(AttachmentRefused) as refusal:
        attachment_ingest(endless(), name="tanpa-akhir.pdf")
    assert refusal.value.code == "attachment_too_large"
    assert len(pulled) == 17  # 16 chunks fit, the 17th passes the limit
    assert files_under(media) == []


def test_download_name_carries_the_detected_extension(db, office, media):
    complaint = register_complaint(office)
    photo = io.BytesIO()
    Image.new("RGB", (4, 4)).save(photo, "JPEG")
    attachment = attachment_add(complaint=complaint,
                                file=attachment_ingest(photo.getvalue(), name="laporan.pdf"))
    assert attachment.content_type == "image/jpeg"
    assert attachment_download_name(attachment) == "laporan.jpg"
    assert Path(attachment.file.path).is_file()


def test_messaging_types_pass_through_the_same_pipeline(media):
    staged = attachment_ingest(b"OggS" + b"\0" * 64, name="pesan.ogg", allowed=MESSAGING_TYPES)
    assert staged.extension == "ogg"
    staged.discard()


def test_a_rolled_back_transaction_leaves_no_file(db, office, media):
    complaint = register_complaint(office)
    with pytest.raises(RuntimeError), attachment_batch():
        staged = attachment_ingest(hostile.gps_jpeg(), name="a.jpg")
        with transaction.atomic():
            attachment_add(complaint=complaint, file=staged)
            attachment_add(complaint=complaint, file=attachment_ingest(b"%PDF-1.4 x",
                                                                       name="b.pdf"))
            raise RuntimeError("database gone")
    assert not Attachment.objects.exists()
    assert files_under(media) == []


def test_a_full_disk_refuses_cleanly_and_alerts_the_officers(db, office, media, monkeypatch):
    real_open = open
    written = {"n": 0}

    class FullFile(io.FileIO):
        def write(self, data):  # the disk fills after the first 64 KiB
            written["n"] += 1
            if written["n"] > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return super().write(data)

    def fake_open(path, mode="r", *args, **kwargs):
        if "x" in mode and attachments.STAGING_DIR in str(path):
            return FullFile(path, "x")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(attachments, "open", fake_open, raising=False)
    with pytest.raises(StorageFull) as full:
        attachment_ingest(b"%PDF-1.4 " + b"x" * (300 * 1024), name="besar.pdf")
    assert "ruang penyimpanan server sedang penuh" in full.value.message
    assert storage_alert() is not None
    assert files_under(media) == []


def test_the_orphan_sweep_removes_strays_and_reports_missing_files(db, office, media, capsys):
    complaint = register_complaint(office)
    kept = attachment_add(complaint=complaint, file=attachment_ingest(b"%PDF-1.4 a", name="a"))
    lost = attachment_add(complaint=complaint, file=attachment_ingest(b"%PDF-1.4 b", name="b"))
    Path(lost.file.path).unlink()
    stray = Path(kept.file.path).with_name("stray.pdf")
    stray.write_bytes(b"%PDF half")
    staged = media / attachments.STAGING_DIR / "dead"
    staged.write_bytes(b"partial")
    young = Path(kept.file.path).with_name("in-flight.pdf")
    young.write_bytes(b"%PDF")
    for path in (stray, staged):
        os.utime(path, (1, 1))
    with pytest.raises(SystemExit) as status:
        call_command("attachments_check")
    assert status.value.code == 1
    out = capsys.readouterr().out
    assert "Berkas yatim: 2 (dihapus: 2)" in out
    assert f"hilang: lampiran #{lost.pk}" in out
    assert not stray.exists() and not staged.exists()
    assert young.exists() and Path(kept.file.path).exists()

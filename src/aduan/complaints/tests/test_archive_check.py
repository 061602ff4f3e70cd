"""Malformed DOCX/ODT archives (complaints/attachments.py, `_archive_type`): refused as a file
we cannot accept, never a server error. Each case is a real way zipfile fails on a forged file;
the fuzz test mutates real archives (every compression zipfile reads) at random."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints.attachments import MESSAGING_TYPES, AttachmentRefused, attachment_check

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TYPES_XML = ('<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
             'wordprocessingml.document.main+xml"/></Types>' * 20)


def docx(method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", TYPES_XML)
        archive.writestr("word/document.xml", "<w:document/>" * 50)
    return buffer.getvalue()


def odt(method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT + " " * 40, compress_type=method)
        archive.writestr("content.xml", "<office:document/>")
    return buffer.getvalue()


METHODS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
SEEDS = [docx(m) for m in METHODS] + [odt(m) for m in METHODS]


def check(content: bytes, name: str = "surat.docx") -> str:
    """The type as a WhatsApp attachment is checked (ODT is allowed there)."""
    return attachment_check(ContentFile(content, name=name),
                            allowed=MESSAGING_TYPES).content_type


def refused(content: bytes) -> AttachmentRefused:
    with pytest.raises(AttachmentRefused) as refusal:
        check(content)
    return refusal.value


def corrupt_entry_data(content: bytes, entry: str) -> bytes:
    """The entry's compressed bytes overwritten with noise; the directory stays intact."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(entry)
    data = bytearray(content)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:
                                                    info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start, start + min(info.compress_size, 64)):
        data[i] = (data[i] * 7 + 0x5A) & 0xFF
    return bytes(data)


@pytest.mark.parametrize("method", METHODS)
def test_real_archives_of_every_compression_are_accepted(method):
    assert check(docx(method)) == DOCX
    assert check(odt(method), "surat.odt") == ODT


@pytest.mark.parametrize(("method", "entry", "seed"), [
    (zipfile.ZIP_DEFLATED, "[Content_Types].xml", docx),  # zlib.error
    (zipfile.ZIP_LZMA, "[Content_Types].xml", docx),  # lzma.LZMAError
    (zipfile.ZIP_BZIP2, "[Content_Types].xml", docx),  # OSError: invalid data stream
    (zipfile.ZIP_DEFLATED, "mimetype", odt),
    (zipfile.ZIP_LZMA, "mimetype", odt),
])
def test_corrupt_compressed_data_is_refused(method, entry, seed):
    assert refused(corrupt_entry_data(seed(method), entry)).code == "attachment_type"


def test_a_truncated_archive_is_refused():
    content = docx()
    for cut in (len(content) // 2, len(content) - 30, 100):
        refused(content[:cut])


def test_forged_offsets_are_refused():
    # The end record claims the directory starts later than it does: zipfile shifts every
    # entry's offset back by the difference, before the start of the file (a negative seek).
    content = bytearray(docx())
    end = content.rfind(b"PK\x05\x06")
    (directory,) = struct.unpack("<I", content[end + 16:end + 20])
    content[end + 16:end + 20] = struct.pack("<I", directory + 1000)
    refused(bytes(content))
    # The first entry's header is said to lie past the end of the file.
    content = bytearray(docx())
    first = content.find(b"PK\x01\x02")
    content[first + 42:first + 46] = struct.pack("<I", 0xFFFFFF00)
    refused(bytes(content))


def test_an_unsupported_compression_method_is_refused():
    content = bytearray(docx(zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (at := content.find(signature, start)) != -1:
            content[at + offset:at + offset + 2] = struct.pack("<H", 99)  # AES / unknown
            start = at + 4
    refused(bytes(content))


def test_a_name_that_differs_from_its_local_header_is_refused():
    content = docx().replace(b"[Content_Types].xml", b"[Content_Typez].xml", 1)
    refused(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS),
       edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255),
                                st.sampled_from(["set", "cut", "insert"])),
                      min_size=1, max_size=6))
def test_any_mutated_archive_is_accepted_or_refused_never_an_error(seed, edits):
    content = bytearray(seed)
    for where, byte, how in edits:
        at = int(where * len(content))
        if how == "set":
            content[at] = byte
        elif how == "cut":
            del content[at:at + byte % 50 + 1]
        else:
            content[at:at] = bytes([byte]) * (byte % 8 + 1)
    try:
        mime = check(bytes(content))
    except AttachmentRefused:
        return
    assert mime in (DOCX, ODT)

"""Real hostile files, built by the tests in a fraction of a second:

- `zip_bomb_docx()`: a ~300 KB DOCX whose zip directory lists the same 300 MB deflate stream of
  zeros under ten names (an overlapping-entry bomb: about 3 GB for any reader that inflates
  every entry), plus a `[Content_Types].xml` that itself inflates to 300 MB;
- `huge_png()`: a PNG header declaring 50,000 x 50,000 pixels (7.5 GB decoded);
- `gps_jpeg()`: a phone photo with GPS position, camera EXIF, a description and XMP;
- `polyglot_jpeg()`: a valid JPEG followed by an HTML page with a script and a zip archive.
"""

from __future__ import annotations

import io
import struct
import zlib

ZERO_CHUNK = 1024 * 1024


def _deflate_zeros(megabytes: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of `megabytes` MiB of zeros, built from one compressed block
    repeated (full flushes make every block identical), with its CRC-32 and size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(ZERO_CHUNK)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = first + block * (megabytes - 1) + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    return stream, crc, megabytes * ZERO_CHUNK


def _local_header(name: bytes, crc: int, csize: int, usize: int, method: int = 8) -> bytes:
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, csize, usize,
                       len(name), 0) + name


def _central(name: bytes, crc: int, csize: int, usize: int, offset: int,
             method: int = 8) -> bytes:
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, csize,
                       usize, len(name), 0, 0, 0, 0, 0, offset) + name


def _zip(entries: list[tuple[bytes, bytes, int, int, int]], aliases: int = 0) -> bytes:
    """entries: (name, data, crc, usize, method); `aliases` extra directory entries point at
    the last entry's data under the same name (overlapping files)."""
    out = io.BytesIO()
    central = []
    for name, data, crc, usize, method in entries:
        offset = out.tell()
        out.write(_local_header(name, crc, len(data), usize, method))
        out.write(data)
        central.append(_central(name, crc, len(data), usize, offset, method))
    name, data, crc, usize, method = entries[-1]
    central += [central[-1]] * aliases
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                          len(directory), start, 0))
    return out.getvalue()


def zip_bomb_docx(megabytes: int = 300, aliases: int = 9) -> bytes:
    stream, crc, size = _deflate_zeros(megabytes)
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
             b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    # [Content_Types].xml: the real declaration, then 300 MB of zeros (what the old check
    # inflated whole).
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    types_stream = head.compress(types) + head.flush(zlib.Z_FULL_FLUSH) + stream
    types_crc = zlib.crc32(types)
    for _ in range(megabytes):
        types_crc = zlib.crc32(bytes(ZERO_CHUNK), types_crc)
    return _zip([(b"[Content_Types].xml", types_stream, types_crc, len(types) + size, 8),
                 (b"word/document.xml", stream, crc, size, 8)], aliases=aliases)


def huge_png(width: int = 50_000, height: int = 50_000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">L", len(data)) + kind + data
                + struct.pack(">L", zlib.crc32(kind + data)))

    ihdr = struct.pack(">2L5B", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + 3 * width) * 64, 9)  # the first 64 rows: black
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


GPS_MARKER = "RUMAH-PELAPOR-JL-MAWAR-7"
XMP_MARKER = b"http://ns.adobe.com/xap/1.0/"


def gps_jpeg(size: tuple[int, int] = (640, 480)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (120, 160, 200))
    ImageDraw.Draw(image).rectangle((40, 40, size[0] - 40, size[1] - 40), fill=(200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"          # Make
    exif[0x0110] = "Phone 12"            # Model
    exif[0x010E] = GPS_MARKER            # ImageDescription
    exif[0x0112] = 1                     # Orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (1.0, 28.0, 12.5), 3: "E", 4: (102.0, 6.0, 3.25)})
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="' + XMP_MARKER
           + b'" exif:GPSLatitude="1,28.2S"/></rdf:RDF></x:xmpmeta>')
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), xmp=xmp)
    return out.getvalue()


POLYGLOT_MARKER = b"<script>alert(document.cookie)</script>"


def polyglot_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 10)).save(out, "JPEG")
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", b"<html>" + POLYGLOT_MARKER + b"</html>")
    return out.getvalue() + b"<html><body>" + POLYGLOT_MARKER + b"</body></html>" + archive.getvalue()


def real_photo(megabytes: float = 5.0) -> bytes:
    """A camera-like JPEG of about `megabytes` MB (noise does not compress), with EXIF GPS."""
    import os

    from PIL import Image

    side = 1000
    while True:
        noise = Image.frombytes("RGB", (side, side * 3 // 4), os.urandom(side * side * 3 // 4 * 3))
        out = io.BytesIO()
        exif = Image.Exif()
        exif.get_ifd(0x8825).update({1: "S", 2: (1.0, 28.0, 12.5)})
        noise.save(out, "JPEG", quality=92, exif=exif.tobytes())
        if out.tell() >= megabytes * 1024 * 1024 * 0.95:
            return out.getvalue()
        side = int(side * (megabytes * 1024 * 1024 / out.tell()) ** 0.5) + 50

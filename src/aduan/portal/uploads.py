"""An upload handler that stops reading a file as soon as it passes the size limit, so a 50 MB
upload is skipped cleanly (the other fields survive) instead of filling the disk.

It is first in settings.FILE_UPLOAD_HANDLERS, so every multipart upload of the app (portal,
desk, API) is capped while it streams; views that report skipped files read
`request.oversized_files`."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


class SizeLimitUploadHandler(FileUploadHandler):
    """Put first in `request.upload_handlers`; records skipped file names on the request."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = settings.ADUAN_MAX_ATTACHMENT_BYTES
        self.received = 0
        self.skipped: list[str] = []
        if request is not None:
            # One list per request, also when a view inserts a handler of its own.
            self.skipped = getattr(request, "oversized_files", self.skipped)
            request.oversized_files = self.skipped  # type: ignore[attr-defined]

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.skipped.append(self.file_name or "berkas")
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

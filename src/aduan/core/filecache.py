"""The default cache without Redis: Django's file cache with a cheaper cull (no redis import,
so a worker without Redis never loads the client)."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    """Django's file-based cache (the default without Redis), culled every CULL_EVERY writes
    instead of on every write: Django's lists the whole cache directory on each `set`/`add`,
    about half of a rate-limit count's cost on the public paths (docs/benchmarks.md). The
    directory may exceed MAX_ENTRIES by at most CULL_EVERY files between culls."""

    CULL_EVERY = 32

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self) -> None:
        self._writes += 1
        if self._writes % self.CULL_EVERY == 1:  # the first write of a process culls too
            super()._cull()

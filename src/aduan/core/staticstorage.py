"""Static files with hashed names and gzip/brotli copies, compressed once per content.

WhiteNoise's storage compresses every collected file on every `collectstatic`, which with
brotli's best quality took 36 s of CPU for the admin's and the API docs' bundles, each time
`make run` starts. A file's compressed copies are kept when its content has not changed since
they were made (a digest per file in `.compressed.json` under STATIC_ROOT).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage

_LEDGER = ".compressed.json"


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def _ledger_path(self) -> Path:
        return Path(self.location) / _LEDGER

    def _read_ledger(self) -> dict[str, str]:
        try:
            data = json.loads(self._ledger_path().read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        ledger = self._read_ledger()
        todo, fresh = [], {}
        for path in paths:
            full = Path(self.path(path))
            try:
                digest = hashlib.sha256(full.read_bytes()).hexdigest()
            except OSError:
                continue
            fresh[path] = digest
            has_copies = (full.with_name(full.name + ".br").exists()
                          or full.with_name(full.name + ".gz").exists())
            if ledger.get(path) != digest or not has_copies:
                todo.append(path)
        yield from super().compress_files(todo)
        ledger.update(fresh)
        self._ledger_path().write_text(json.dumps(ledger, sort_keys=True))

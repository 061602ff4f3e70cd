"""gunicorn's access log without secrets: `--logger-class aduan.core.gunicorn_logging.
ScrubbingLogger` (as `make run` starts it) masks secret query parameters (Meta's
`hub.verify_token`...) in every atom of the access-log line: request line, query string,
referrer, headers and environ."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from aduan.core.logfilters import scrub_secrets


class ScrubbingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: scrub_secrets(value) if isinstance(value, str) else value
                for key, value in atoms.items()}

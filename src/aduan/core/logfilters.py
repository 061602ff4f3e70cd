"""Secrets never reach a log line: query-string values such as Meta's `hub.verify_token`
are replaced before any handler writes the record (Django's loggers, runserver's request
lines) and in gunicorn's access log (`aduan.core.gunicorn_logging`)."""

from __future__ import annotations

import logging
import re

# Query or form parameters whose value is a secret, wherever they appear in a logged line
# (also percent-encoded: `hub%2Everify_token`).
SECRET_PARAMETERS = ("hub.verify_token", "access_token", "verify_token", "token", "secret",
                     "password", "api_key", "apikey", "signature", "sig")
MASK = "[REDACTED]"
_PARAMETER = re.compile(
    r"(?i)(?<![\w.%])((?:" + "|".join(re.escape(p).replace(r"\.", r"(?:\.|%2E)")
                                        for p in SECRET_PARAMETERS) + r")=)[^&;\s\"'#]*")


def scrub_secrets(text: str) -> str:
    """The text with the value of every secret parameter replaced by a mask."""
    if "=" not in text:
        return text
    return _PARAMETER.sub(lambda m: m.group(1) + MASK, text)


class ScrubSecretsFilter(logging.Filter):
    """A handler filter: formats the record's message once, scrubbed (and its traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler's own error path
            return True
        scrubbed = scrub_secrets(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            # Formatted here, scrubbed; the handler's formatter reuses exc_text.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_secrets(record.exc_text)
        return True

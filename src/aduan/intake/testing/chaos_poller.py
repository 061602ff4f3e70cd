"""The IMAP poller of the inbound chaos test: polls the test mailbox again and again until
the test kills it (`python -m aduan.intake.testing.chaos_poller`)."""

from __future__ import annotations

import os
import time

import django


def main() -> None:
    django.setup()
    from aduan.intake.adapters.email_imap import poll_mailbox

    while True:
        poll_mailbox(host="127.0.0.1", port=int(os.environ["CHAOS_IMAP_PORT"]),
                     user=os.environ["CHAOS_IMAP_USER"],
                     password=os.environ["CHAOS_IMAP_PASSWORD"], use_ssl=False,
                     folder="INBOX")
        time.sleep(0.2)


if __name__ == "__main__":
    main()

"""Queue again the accepted web submissions past their last registration attempt (decision
0015), once the cause of their error is fixed."""

from typing import Any

from django.core.management.base import BaseCommand

from aduan.complaints.submissions import submissions_retry_failed


class Command(BaseCommand):
    help = ("Reset the attempts of the accepted web submissions that could not be registered "
            "and queue them again (after fixing the cause shown in their error).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = submissions_retry_failed()
        self.stdout.write(f"Pengaduan web yang diantrekan ulang: {result['queued']} "
                          f"dari {result['failed']}")

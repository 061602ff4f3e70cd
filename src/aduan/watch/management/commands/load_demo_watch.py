"""Load the demo permit applications of the watch (idempotent; dates move with today)."""

from typing import Any

from django.core.management.base import BaseCommand

from aduan.demo.office import OFFICE, load_demo_office
from aduan.offices.models import Office
from aduan.watch.demo import load_demo_watch


class Command(BaseCommand):
    help = "Load the demo permit applications (a few late, some at risk)."

    def handle(self, *args: Any, **options: Any) -> None:
        office = Office.objects.filter(code=OFFICE["code"]).first() or load_demo_office()
        outcome = load_demo_watch(office)
        self.stdout.write(f"Permohonan izin demo: {outcome.created} baru, "
                          f"{outcome.updated} diperbarui, {outcome.unchanged} tetap, "
                          f"{outcome.rejected} ditolak")

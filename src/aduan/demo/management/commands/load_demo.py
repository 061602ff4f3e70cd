"""Load the demo regency: the seed office (Bengkalis) with one user per role and the 32 seed
complaints, then the central intake and three other offices (regency.json)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aduan.demo.office import load_demo_office
from aduan.demo.regency import load_demo_regency
from aduan.demo.seed import load_seed_complaints
from aduan.demo.users import DEMO_PASSWORD, DemoLogin, load_demo_users
from aduan.notifications.services import message_templates_ensure_defaults
from aduan.portal.demo import load_demo_faq
from aduan.reports.services import report_profile_load_demo
from aduan.triage.mapping import load_demo_mapping
from aduan.watch.demo import load_demo_watch


class Command(BaseCommand):
    help = ("Load the demo regency: the seed office, its users and the 32 seed complaints, "
            "then a central intake and three offices with their logins and cases (idempotent).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--single-office", action="store_true",
            help="only the seed office, as a single-office deployment (no regency offices)")

    def handle(self, *args: Any, single_office: bool = False, **options: Any) -> None:
        office = load_demo_office()
        users = load_demo_users(office)
        loaded = load_seed_complaints(office)
        message_templates_ensure_defaults()
        report_profile_load_demo(office)
        load_demo_faq(office)
        watch = load_demo_watch(office)
        load_demo_mapping(office)
        regency = [] if single_office else load_demo_regency()
        total = office.complaints.count()
        self.stdout.write(f"Kantor demo: {office.name}")
        self.stdout.write(f"Pengaduan dimuat: {loaded} baru, {total} seluruhnya")
        self.stdout.write(f"Permohonan izin (pengawasan): {watch.created} baru, "
                          f"{watch.updated} diperbarui")
        self.stdout.write(f"Login (kata sandi untuk semua: {DEMO_PASSWORD}); langkah kedua: "
                          "kode 6 angka dari aplikasi autentikator dengan kunci di bawah,")
        self.stdout.write("  atau tampilkan kodenya sekarang: "
                          ".venv/bin/python manage.py demo_totp <nama pengguna>")
        self._logins(users)
        for part in regency:
            kind = " (penerimaan terpusat)" if part.office.is_central_intake else ""
            self.stdout.write(f"{part.office.short_name}{kind} ({part.office.code}): "
                              f"{part.cases_loaded} pengaduan baru, "
                              f"{part.office.complaints.count()} seluruhnya")
            self._logins(part.logins)
            for username in part.members:
                self.stdout.write(f"  {username:<14} juga bekerja di kantor ini (pilih kantor "
                                  "di meja kerja)")
        self.stdout.write("  (URI otpauth per pengguna: manage.py demo_totp --uri <nama pengguna>)")

    def _logins(self, logins: list[DemoLogin]) -> None:
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.role:<28} kunci TOTP: "
                              f"{login.totp_secret}")

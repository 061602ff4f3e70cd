"""Load the demo office (Bengkalis), one user per role and the 32 seed complaints."""

from typing import Any

from django.core.management.base import BaseCommand

from aduan.demo.office import load_demo_office
from aduan.demo.seed import load_seed_complaints
from aduan.demo.users import DEMO_PASSWORD, load_demo_users
from aduan.notifications.services import message_templates_ensure_defaults
from aduan.portal.demo import load_demo_faq
from aduan.reports.services import report_profile_load_demo
from aduan.triage.mapping import load_demo_mapping
from aduan.watch.demo import load_demo_watch


class Command(BaseCommand):
    help = "Load the demo office, its users and the 32 seed complaints (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        office = load_demo_office()
        users = load_demo_users(office)
        loaded = load_seed_complaints(office)
        message_templates_ensure_defaults()
        report_profile_load_demo(office)
        load_demo_faq(office)
        watch = load_demo_watch(office)
        load_demo_mapping(office)
        total = office.complaints.count()
        self.stdout.write(f"Kantor demo: {office.name}")
        self.stdout.write(f"Pengaduan dimuat: {loaded} baru, {total} seluruhnya")
        self.stdout.write(f"Permohonan izin (pengawasan): {watch.created} baru, "
                          f"{watch.updated} diperbarui")
        self.stdout.write(f"Login (kata sandi untuk semua: {DEMO_PASSWORD}); langkah kedua: "
                          "kode 6 angka dari aplikasi autentikator dengan kunci di bawah,")
        self.stdout.write("  atau tampilkan kodenya sekarang: "
                          ".venv/bin/python manage.py demo_totp <nama pengguna>")
        for login in users:
            self.stdout.write(f"  {login.username:<12} {login.role:<28} kunci TOTP: "
                              f"{login.totp_secret}")
        self.stdout.write("  (URI otpauth per pengguna: manage.py demo_totp --uri <nama pengguna>)")

"""A regency on one instance at scale (issue 18): 50 offices and millions of cases on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_regency5m \\
        .venv/bin/python bench/regency_scale.py generate 5000000
    DATABASE_URL=... .venv/bin/python bench/regency_scale.py central 300
    DATABASE_URL=... .venv/bin/python bench/regency_scale.py timings
    DATABASE_URL=... .venv/bin/python bench/regency_scale.py numbering

`generate` (on a migrated, empty database) creates 50 offices, each with its own units,
channels, service types, register number pattern and four logins, and spreads N cases over
them unevenly (office k gets a share proportional to 1/k: the biggest about 22 %, the smallest
under 0.5 %). For each office it writes a realistic base of one twentieth of its cases, received
in the last 91 days, with `manage.py generate_complaints`' generator (texts, reporters, states,
deadlines from the working calendar, a timeline per case), then 19 copies of that base, each
shifted 91 days further back (so the cases span five years), in one INSERT ... SELECT per
office: cases still open in the base are settled in the copies, and every copy gets its office's
own gapless register numbers per year, continuing after the base's. The copies have no events
(the inbox never reads them; the case page is measured on a base case, which has them). The
full-text index is dropped during the copies and rebuilt after; the daily figures are rebuilt;
then ANALYZE. It fails loudly when a count is short or a year's numbering has a gap.

`http [port]` requests a few of those pages over real HTTP from gunicorn (the oversight pages
too once `timings` has made their user). `central [N]` gives the central intake office (opd-50)
N cases awaiting routing (default 300), registered through `complaint_register`, for the
routing desk. `timings` measures, as bench/desk_inbox.py does (server time through the test
client, median of BENCH_RUNS=20), every staff GET page under /desk/ and /akun/ for users of the
biggest office and of a small one (each page as a role that may see it), the oversight pages,
and the central intake's routing desk. `numbering`
registers cases through the real service from threads into 10 offices at once and reports
submissions per second and whether every office's numbering stayed gapless.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("ADUAN_DEMO_MODE", "1")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from aduan.accounts.models import Role, User  # noqa: E402
from aduan.accounts.roles import ensure_role_groups  # noqa: E402
from aduan.complaints.models import Complaint  # noqa: E402
from aduan.offices.models import (  # noqa: E402
    Channel,
    ChannelKind,
    Office,
    ReferralAgency,
    ServiceType,
    Unit,
)

OFFICES = 50
COPIES = 19  # besides the base: 20 quarters, five years
SPAN_DAYS = 91
PASSWORD = "bengkalis-demo-2025"
OPEN = ("received", "incomplete", "verified", "disposition_proposed", "dispositioned",
        "clarified", "followed_up", "responded", "reopened")

# (name, authority label of the triage taxonomy or "")
OFFICE_NAMES = [
    ("Dinas Kesehatan", "dinkes"), ("Dinas Pendidikan", "disdik"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "disdukcapil"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "pupr"), ("Dinas Sosial", "dinsos"),
    ("Dinas Lingkungan Hidup", "dlh"), ("Dinas Perhubungan", "dishub"),
    ("Dinas Penanaman Modal dan PTSP", "dpmptsp"), ("RSUD Bengkalis", "dinkes"),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman", ""), ("Badan Pendapatan Daerah", ""),
    ("Dinas Tenaga Kerja", ""), ("Dinas Perindustrian dan Perdagangan", ""),
    ("Dinas Pertanian", ""), ("Dinas Perikanan", ""), ("Dinas Koperasi dan UKM", ""),
    ("Satuan Polisi Pamong Praja", ""), ("Badan Penanggulangan Bencana Daerah", ""),
    ("Dinas Pemadam Kebakaran", ""), ("Dinas Komunikasi dan Informatika", ""),
    ("Dinas Pariwisata, Kebudayaan, Kepemudaan dan Olahraga", ""),
    ("Dinas Pemberdayaan Masyarakat dan Desa", ""),
    ("Dinas Pengendalian Penduduk dan Keluarga Berencana", ""),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", ""),
    ("Dinas Ketahanan Pangan", ""), ("Dinas Perpustakaan dan Kearsipan", ""),
    ("Badan Kepegawaian dan Pengembangan SDM", ""), ("Badan Pengelolaan Keuangan Daerah", ""),
    ("Badan Perencanaan Pembangunan Daerah", ""), ("Badan Kesatuan Bangsa dan Politik", ""),
    ("Inspektorat Daerah", ""), ("Sekretariat DPRD", ""), ("RSUD Mandau", "dinkes"),
]
CHANNELS = [
    ("website", "Website", ChannelKind.WEB), ("sms_wa", "SMS / WA", ChannelKind.WHATSAPP),
    ("email", "E-mail", ChannelKind.EMAIL), ("meja_pengaduan", "Meja Pengaduan",
                                             ChannelKind.MANUAL),
    ("sp4n_lapor", "Aplikasi SP4NLAPOR!", ChannelKind.LAPOR),
]
UNITS = ["Bidang Pelayanan", "Bidang Pengawasan", "Bidang Perencanaan", "Sekretariat"]
SERVICES = ["Pelayanan Dasar", "Perizinan Teknis", "Rekomendasi", "Data dan Informasi",
            "Sarana dan Prasarana", "Pengaduan Petugas"]


def office_code(i: int) -> str:
    return f"opd-{i:02d}"


def office_shares(total: int) -> list[int]:
    """Cases per office, proportional to 1/k, summing exactly to `total`."""
    weights = [1 / k for k in range(1, OFFICES + 1)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return shares


# ------------------------------------------------------------------------------------------
# generate
# ------------------------------------------------------------------------------------------


def create_offices() -> list[Office]:
    ensure_role_groups()
    groups = {g.name: g for g in Group.objects.all()}
    password = make_password(PASSWORD)
    offices = []
    for i in range(1, OFFICES + 1):
        name, authority = OFFICE_NAMES[(i - 1) % len(OFFICE_NAMES)]
        suffix = "" if i <= len(OFFICE_NAMES) else f" Wilayah {i - len(OFFICE_NAMES)}"
        office, _ = Office.objects.update_or_create(code=office_code(i), defaults={
            "name": f"{name}{suffix} Kabupaten Bengkalis", "short_name": f"OPD {i:02d}",
            "government_name": "PEMERINTAH KABUPATEN BENGKALIS", "city": "Bengkalis",
            "register_number_pattern": f"{900 + i}/{{seq}}/OPD{i:02d}/{{year}}",
            "authority": authority, "is_central_intake": i == OFFICES})
        team, _ = Unit.objects.update_or_create(office=office, code="pengaduan", defaults={
            "name": "Tim Pengaduan", "is_complaint_team": True, "order": 0})
        units = [Unit.objects.update_or_create(office=office, code=f"bidang-{n}", defaults={
            "name": unit, "order": n})[0] for n, unit in enumerate(UNITS, start=1)]
        for order, (code, cname, kind) in enumerate(CHANNELS, start=1):
            Channel.objects.update_or_create(office=office, code=code, defaults={
                "name": cname, "kind": kind, "order": order})
        for n, service in enumerate(SERVICES):
            ServiceType.objects.update_or_create(office=office, code=f"layanan-{n + 1}", defaults={
                "name": f"{service} {name}", "default_unit": units[n % len(units)],
                "keywords": service.lower()})
        ReferralAgency.objects.update_or_create(office=office, code="provinsi", defaults={
            "name": "Pemerintah Provinsi Riau", "referral_text": "Kewenangan provinsi."})
        for role, username, unit in ((Role.OFFICER, "petugas", team),
                                     (Role.TEAM_LEAD, "ketua", team),
                                     (Role.UNIT_STAFF, "bidang1", units[0]),
                                     (Role.HEAD, "kadis", None)):
            user, _ = User.objects.update_or_create(
                username=f"opd{i:02d}_{username}", defaults={
                    "office": office, "unit": unit, "password": password,
                    "must_change_password": False, "password_changed_at": timezone.now()})
            user.groups.set([groups[role.value]])
        offices.append(office)
    return offices


def _columns() -> list[tuple[str, str]]:
    """(column, SQL expression of copy k shifted by `shift` days) for every complaint column
    but the id; `{k}`, `{shift}`, `{base}` and `{pattern}` are filled per copy."""
    out = []
    for f in Complaint._meta.concrete_fields:
        c = f.column
        if c == "id":
            continue
        kind = f.get_internal_type()
        if c == "status":
            expr = f"CASE WHEN status IN {OPEN} THEN 'answered' ELSE status END"
        elif c in ("settled_on", "responded_on"):
            expr = (f"CASE WHEN status IN {OPEN} THEN received_on + s.shift "
                    f"ELSE {c} + s.shift END")
        elif c == "working_days_taken":
            expr = f"CASE WHEN status IN {OPEN} THEN 0 ELSE working_days_taken END"
        elif c == "register_year":
            expr = "EXTRACT(YEAR FROM received_on + s.shift)::int"
        elif c in ("register_sequence", "register_number"):
            expr = c  # replaced in the outer select
        elif c == "tracking_code":
            expr = "tracking_code || '-' || s.k"
        elif c == "public_id":
            expr = "substr(md5(public_id || '-' || s.k), 1, 16)"
        elif kind == "DateField":
            expr = f"{c} + s.shift"
        elif kind == "DateTimeField":
            expr = f"{c} + s.shift * interval '1 day'"
        else:
            expr = c
        out.append((c, expr))
    return out


def copy_office(office: Office, base_max_id: int) -> int:
    """Insert the COPIES shifted copies of the office's base in one statement; returns rows."""
    cols = _columns()
    inner = ", ".join(f"{expr} AS {c}" for c, expr in cols)
    outer = []
    for c, _expr in cols:
        if c == "register_sequence":
            outer.append("coalesce(b.last, 0) + row_number() OVER (PARTITION BY x.register_year "
                         "ORDER BY x.received_at, x.src) AS register_sequence")
        elif c == "register_number":
            outer.append("replace(replace(%s, '{seq}', (coalesce(b.last, 0) + row_number() "
                         "OVER (PARTITION BY x.register_year ORDER BY x.received_at, x.src))"
                         "::text), '{year}', x.register_year::text) AS register_number")
        else:
            outer.append(f"x.{c}")
    names = ", ".join(c for c, _ in cols)
    sql = (f"INSERT INTO complaints_complaint ({names}) "
           f"SELECT {', '.join(outer)} FROM ("
           f"  SELECT {inner}, complaints_complaint.id AS src FROM complaints_complaint "
           f"  CROSS JOIN (SELECT k, -k * {SPAN_DAYS} AS shift "
           f"              FROM generate_series(1, {COPIES}) k) s "
           f"  WHERE office_id = %s AND complaints_complaint.id <= %s) x "
           f"LEFT JOIN (SELECT year, last_sequence AS last FROM complaints_registercounter "
           f"           WHERE office_id = %s) b ON b.year = x.register_year")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [office.register_number_pattern, office.pk, base_max_id, office.pk])
        return cur.rowcount


def check_numbering() -> None:
    """Every office's sequences of every year are exactly 1..n; the counters hold n."""
    with connection.cursor() as cur:
        cur.execute("SELECT office_id, register_year, count(*), count(DISTINCT "
                    "register_sequence), min(register_sequence), max(register_sequence) "
                    "FROM complaints_complaint GROUP BY office_id, register_year")
        rows = cur.fetchall()
        bad = [r for r in rows if not (r[2] == r[3] == r[5] and r[4] == 1)]
        if bad:
            raise SystemExit(f"regency_scale: numbering has gaps or duplicates: {bad[:5]}")
        cur.execute("INSERT INTO complaints_registercounter (office_id, year, last_sequence) "
                    "SELECT office_id, register_year, max(register_sequence) "
                    "FROM complaints_complaint GROUP BY office_id, register_year "
                    "ON CONFLICT (office_id, year) DO UPDATE SET last_sequence = "
                    "EXCLUDED.last_sequence")
    print(f"numbering gapless in {len(rows)} office-years", flush=True)


def generate(total: int) -> None:
    from aduan.demo.synthetic import generate as synthetic

    if connection.vendor != "postgresql":
        raise SystemExit("regency_scale generate: PostgreSQL only (DATABASE_URL).")
    if Complaint.objects.exists():
        raise SystemExit("regency_scale generate: the database already has complaints; "
                         "start from a freshly migrated one.")
    began = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '256MB'")
    offices = create_offices()
    print(f"{len(offices)} offices, {time.perf_counter() - began:.0f} s", flush=True)
    today = timezone.localdate()
    shares = office_shares(total)
    bases = [round(s / (COPIES + 1)) for s in shares]
    for office, n in zip(offices, bases, strict=True):
        synthetic(office, n, start=today - dt.timedelta(days=SPAN_DAYS - 1), end=today,
                  seed=office.pk)
    base_total = Complaint.objects.count()
    print(f"base: {base_total:,} cases with their events, "
          f"{time.perf_counter() - began:.0f} s", flush=True)
    if base_total != sum(bases):
        raise SystemExit(f"regency_scale: base has {base_total:,} cases, not {sum(bases):,}")
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'desk_complaint_fts'")
        fts = cur.fetchone()
        cur.execute("SELECT max(id) FROM complaints_complaint")
        base_max_id = cur.fetchone()[0]
        if fts:
            cur.execute("DROP INDEX desk_complaint_fts")
    inserted = 0
    for office, n in zip(offices, bases, strict=True):
        rows = copy_office(office, base_max_id)
        if rows != n * COPIES:
            raise SystemExit(f"regency_scale: {office.code} copied {rows:,} rows, "
                             f"not {n * COPIES:,}")
        inserted += rows
        print(f"{office.code}: {n + rows:,} cases, {time.perf_counter() - began:.0f} s",
              flush=True)
    check_numbering()
    if fts:
        with connection.cursor() as cur:
            cur.execute(fts[0])
        print(f"full-text index rebuilt, {time.perf_counter() - began:.0f} s", flush=True)
    from aduan.complaints.figures import figures_rebuild

    print(f"{figures_rebuild():,} daily figures, {time.perf_counter() - began:.0f} s",
          flush=True)
    with connection.cursor() as cur:
        for table in ("complaints_complaint", "complaints_reporter", "complaints_caseevent",
                      "complaints_dailyfigure", "complaints_monthlyfigure"):
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("SELECT count(*) FROM complaints_complaint")
        count = cur.fetchone()[0]
    print(f"{count:,} complaints in {len(offices)} offices, "
          f"{time.perf_counter() - began:.0f} s in all; load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    if count != base_total + inserted or count < total - OFFICES:
        raise SystemExit(f"regency_scale: {count:,} complaints, {total:,} asked")


# ------------------------------------------------------------------------------------------
# timings
# ------------------------------------------------------------------------------------------


def _office_cases(prefix: str, client, unit_client, head_client, office: Office) -> list:
    from aduan.desk.inbox import encode_cursor

    total = office.complaints.count()
    deep = office.complaints.order_by("-received_at", "-id")[total // 2]
    channel = office.channels.get(code="meja_pengaduan").pk
    service = office.service_types.order_by("pk").first().pk
    unit = office.units.get(code="bidang-1").pk
    latest = office.complaints.order_by("-received_on").values_list("received_on",
                                                                    flat=True)[0]
    year = latest.year - 1
    with_events = office.complaints.filter(events__isnull=False).order_by("-id").first()
    p = f"{prefix} ({total:,})"
    return [
        (f"{p} inbox page 1, open work", client, "/desk/", {}),
        (f"{p} inbox page 1, all states", client, "/desk/", {"state": "all"}),
        (f"{p} keyset page at the middle row", client, "/desk/",
         {"state": "all", "after": encode_cursor(deep)}),
        (f"{p} status=dispositioned", client, "/desk/", {"status": "dispositioned"}),
        (f"{p} status=closed", client, "/desk/", {"status": "closed"}),
        (f"{p} unit, all states", client, "/desk/", {"unit": unit, "state": "all"}),
        (f"{p} channel walk-in, all states", client, "/desk/",
         {"channel": channel, "state": "all"}),
        (f"{p} service type, all states", client, "/desk/",
         {"service_type": service, "state": "all"}),
        (f"{p} overdue", client, "/desk/", {"deadline": "overdue"}),
        (f"{p} due within 3 working days", client, "/desk/", {"deadline": "due_soon"}),
        (f"{p} date range one week {year}", client, "/desk/",
         {"start": f"{year}-03-01", "end": f"{year}-03-07", "state": "all"}),
        (f"{p} channel + date range {year}", client, "/desk/",
         {"channel": channel, "start": f"{year}-01-01", "end": f"{year}-12-31",
          "state": "all"}),
        (f"{p} service type + settled + {year}", client, "/desk/",
         {"service_type": service, "state": "settled", "start": f"{year}-01-01",
          "end": f"{year}-12-31"}),
        (f"{p} unit + status=followed_up", client, "/desk/",
         {"unit": unit, "status": "followed_up"}),
        (f"{p} overdue + unit", client, "/desk/", {"deadline": "overdue", "unit": unit}),
        (f"{p} unit staff: inbox page 1", unit_client, "/desk/", {}),
        (f"{p} unit staff: overdue", unit_client, "/desk/", {"deadline": "overdue"}),
        (f"{p} search 'izin' (common word)", client, "/desk/", {"q": "izin"}),
        (f"{p} search 'apotek'", client, "/desk/", {"q": "apotek"}),
        (f"{p} search reporter name 'hidayat'", client, "/desk/", {"q": "hidayat"}),
        (f"{p} search rare word 'sipa'", client, "/desk/", {"q": "sipa"}),
        (f"{p} search register number", client, "/desk/", {"q": deep.register_number}),
        (f"{p} counts per state (htmx fragment)", client, "/desk/status/", {}),
        (f"{p} case page (with its timeline)", client, f"/desk/pengaduan/{with_events.pk}/", {}),
        (f"{p} register book, default period", client, "/desk/register/", {}),
        (f"{p} register book, this year", client, "/desk/register/",
         {"start": f"{latest.year}-01-01", "end": latest.isoformat()}),
        (f"{p} register book, this year, last page", client, "/desk/register/",
         {"start": f"{latest.year}-01-01", "end": latest.isoformat(), "last": "1"}),
        (f"{p} dashboard, default period", head_client, "/desk/laporan/dasbor/", {}),
    ]


def _staff_pages(prefix: str, clients: dict, office: Office) -> list:
    """Every other staff GET page under /desk/ and /akun/ (issue 18, session 8), each as a role
    that may see it: the record form, transfers out, the reports index, each dashboard chart,
    the report texts, the audit, the intake backlog, the assistant, the data-subject rights,
    the permit watch, the printed documents and the account pages. Detail pages of rows this
    regency has none of (data requests, breaches, permit applications, inbound messages, report
    jobs, saved replies) are not listed."""
    total = office.complaints.count()
    case = office.complaints.filter(events__isnull=False).order_by("-id").first()
    received = office.complaints.filter(status="received").order_by("-id").first()
    latest = office.complaints.order_by("-received_on").values_list("received_on",
                                                                    flat=True)[0]
    week = {"start": (latest - dt.timedelta(days=6)).isoformat(), "end": latest.isoformat()}
    officer, lead, head = clients["petugas"], clients["ketua"], clients["kadis"]
    p = f"{prefix} ({total:,})"
    pages = [
        (f"{p} record form", officer, "/desk/catat/", {}),
        (f"{p} transfers out", officer, "/desk/diteruskan/", {}),
        (f"{p} reports index", officer, "/desk/laporan/", {}),
        *[(f"{p} dashboard chart {chart}.svg, default period", head,
           f"/desk/laporan/dasbor/grafik/{chart}.svg", {})
          for chart in ("month", "channel", "status", "unit", "service_type")],
        (f"{p} report texts", lead, "/desk/laporan/teks/", {}),
        (f"{p} register.xlsx, last week (download)", officer, "/desk/laporan/register.xlsx",
         week),
        (f"{p} audit: denials", lead, "/desk/audit/", {}),
        (f"{p} intake backlog", officer, "/desk/saluran/", {}),
        (f"{p} LAPOR! import", officer, "/desk/saluran/lapor/", {}),
        (f"{p} assistant settings", lead, "/desk/asisten/", {}),
        (f"{p} assistant: new saved reply", lead, "/desk/asisten/balasan/baru/", {}),
        (f"{p} assistant: canned replies for a received case (htmx)", officer,
         f"/desk/asisten/pengaduan/{received.pk}/jawaban/",
         {"field": "request_completion-note", "q": "izin"}),
        (f"{p} case: an agency's referral reply (htmx)", officer,
         f"/desk/pengaduan/{received.pk}/rujukan/",
         {"refer-agency": office.agencies.get(code="provinsi").pk}),
        (f"{p} data rights: requests", officer, "/desk/hak-data/", {}),
        (f"{p} data rights: record a request", officer, f"/desk/hak-data/catat/{case.pk}/", {}),
        (f"{p} data rights: export csv", officer, "/desk/hak-data/ekspor.csv", {}),
        (f"{p} data rights: breaches", officer, "/desk/hak-data/insiden/", {}),
        (f"{p} permit watch", officer, "/desk/pengawasan/", {}),
        (f"{p} permit watch: import", officer, "/desk/pengawasan/impor/", {}),
        (f"{p} blank complaint form pdf", officer,
         "/desk/dokumen/formulir-pengaduan-kosong.pdf", {}),
        (f"{p} complaint form pdf of a case", officer,
         f"/desk/dokumen/{case.pk}/formulir-pengaduan.pdf", {}),
        (f"{p} account security", officer, "/akun/keamanan/", {}),
        (f"{p} account backup codes", officer, "/akun/keamanan/kode-cadangan/", {}),
        (f"{p} account re-authenticate", officer, "/akun/konfirmasi/", {}),
        (f"{p} account password change", officer, "/akun/kata-sandi/", {}),
        (f"{p} account password changed", officer, "/akun/kata-sandi/selesai/", {}),
    ]
    return pages


def central(target: int = 300) -> None:
    """Give the central intake office (the last, opd-50) a routing desk with work: register
    cases through the real service until `target` cases await routing, received over the last
    ten days (some past their three-working-day limit, some due soon)."""
    from aduan.complaints.services import ReporterInput, complaint_register

    office = Office.objects.get(code=office_code(OFFICES), is_central_intake=True)
    waiting = office.complaints.filter(status="received").count()
    channel = office.channels.get(code="website")
    now = timezone.now()
    for i in range(max(target - waiting, 0)):
        complaint_register(
            office=office, channel=channel, subject=f"Pengaduan ke kabupaten {i}",
            description="Pengaduan yang masuk ke pusat pengaduan kabupaten dan menunggu rute "
                        "ke perangkat daerah yang berwenang, misalnya izin usaha apotek.",
            reporter=ReporterInput(name="Warga Bengkalis", phone="081234567890", consent=True),
            received_at=now - dt.timedelta(hours=(i * 240) // max(target - waiting, 1)))
    print(f"{office.code}: {office.complaints.filter(status='received').count()} cases "
          f"await routing")


def _central_pages(office: Office, officer, head) -> list:
    waiting = office.complaints.filter(status="received").order_by("received_at", "id")
    case = waiting.first()
    if case is None:
        raise SystemExit("regency_scale timings: run `central` first (no case awaits routing)")
    target = Office.objects.exclude(pk=office.pk).order_by("code").first()
    p = f"central intake {office.code} ({office.complaints.count():,}; {waiting.count()} waiting)"
    return [
        (f"{p} routing desk", officer, "/desk/rute/", {}),
        (f"{p} routing counts (htmx fragment)", officer, "/desk/rute/jumlah/", {}),
        (f"{p} route a case: confirm", officer, f"/desk/rute/{case.pk}/", {"ke": target.pk}),
        (f"{p} inbox page 1, open work", officer, "/desk/", {}),
        (f"{p} dashboard, default period", head, "/desk/laporan/dasbor/", {}),
    ]


def timings() -> None:
    from django.test import Client

    sys.path.insert(0, os.path.dirname(__file__))
    from desk_inbox import measure

    from aduan.accounts.testing import login_verified

    def client_for(username: str) -> Client:
        c = Client()
        login_verified(c, User.objects.get(username=username))
        return c

    big, small = Office.objects.get(code=office_code(1)), Office.objects.get(code=office_code(40))
    cases = []
    # The regency oversight role (oversight app): aggregates across all 50 offices.
    inspector, _ = User.objects.update_or_create(username="bench_inspektorat", defaults={
        "office": Office.objects.get(code=office_code(OFFICES)), "must_change_password": False,
        "password_changed_at": timezone.now()})
    inspector.groups.set([Group.objects.get(name=Role.OVERSIGHT.value)])
    oversight = client_for(inspector.username)
    latest = Complaint.objects.order_by("-received_on").values_list("received_on", flat=True)[0]
    cases += [
        ("oversight: regency dashboard, default period", oversight, "/desk/kabupaten/", {}),
        ("oversight: regency dashboard, five years", oversight, "/desk/kabupaten/",
         {"start": f"{latest.year - 4}-01-01", "end": latest.isoformat()}),
        ("oversight: the big office's page, default period", oversight,
         f"/desk/kabupaten/{big.code}/", {}),
    ]
    cases += [
        ("oversight: regency data.csv (download)", oversight, "/desk/kabupaten/data.csv", {}),
    ]
    for office, label in ((big, "big office"), (small, "small office")):
        n = office.code.replace("opd-", "opd")
        clients = {role: client_for(f"{n}_{role}")
                   for role in ("petugas", "ketua", "bidang1", "kadis")}
        cases += _office_cases(label, clients["petugas"], clients["bidang1"], clients["kadis"],
                               office)
        cases += _staff_pages(label, clients, office)
    hub = Office.objects.get(code=office_code(OFFICES))
    cases += _central_pages(hub, client_for("opd50_petugas"), client_for("opd50_kadis"))
    only = os.environ.get("BENCH_ONLY", "")
    print(f"{connection.vendor}, {Complaint.objects.count():,} complaints in "
          f"{Office.objects.count()} offices, {os.environ.get('BENCH_RUNS', '15')} runs each, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| case | median ms | p90 ms | CPU ms (this process) | queries | rows |\n"
          "|---|---:|---:|---:|---:|---:|")
    for name, client, url, params in cases:
        if only and only not in name:
            continue
        try:
            median, p90, cpu, queries, rows = measure(client, url, params)
        except AssertionError as error:  # a page that does not answer 200: say so, go on
            print(f"| {name} | status {error} | | | | |", flush=True)
            continue
        print(f"| {name} | {median:.1f} | {p90:.1f} | {cpu:.1f} | {queries} | {rows} |",
              flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


# ------------------------------------------------------------------------------------------
# numbering under concurrent submissions
# ------------------------------------------------------------------------------------------


def numbering(threads: int = 20, per_thread: int = 25, offices_n: int = 10) -> None:
    from aduan.complaints.services import ReporterInput, complaint_register

    offices = list(Office.objects.filter(code__in=[office_code(i) for i in
                                                   range(1, offices_n + 1)]).order_by("code"))
    channels = {o.pk: o.channels.get(code="website") for o in offices}
    now = timezone.now()
    year = timezone.localdate().year
    before = {o.pk: o.complaints.filter(register_year=year).count() for o in offices}
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def worker(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            for i in range(per_thread):
                office = offices[(n + i) % len(offices)]
                complaint_register(
                    office=office, channel=channels[office.pk],
                    subject="Pengaduan serentak", description=f"Uji serentak {n}-{i}.",
                    reporter=ReporterInput(name="Uji Serentak", phone="081234567890",
                                           consent=True), received_at=now)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    began = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.perf_counter() - began
    done = threads * per_thread - len(errors)
    gapless = True
    for office in offices:
        seqs = sorted(office.complaints.filter(register_year=year)
                      .values_list("register_sequence", flat=True))
        gapless &= seqs == list(range(1, len(seqs) + 1))
    added = sum(o.complaints.filter(register_year=year).count() - before[o.pk]
                for o in offices)
    print(f"{threads} threads into {len(offices)} offices: {added} registrations in "
          f"{elapsed:.1f} s = {added / elapsed:.1f}/s; errors {len(errors)}; "
          f"gapless per office: {gapless}; load average {os.getloadavg()[0]:.1f}")
    if errors or not gapless or added != done:
        raise SystemExit(f"regency_scale numbering failed: {errors[:3]}")


# ------------------------------------------------------------------------------------------
# real HTTP requests through gunicorn
# ------------------------------------------------------------------------------------------


def http(port: int = 8170, runs: int = 20) -> None:
    """A few desk pages over real HTTP: gunicorn (2 sync workers) on 127.0.0.1:`port`, one
    client, logged in by a session made here; median and p90 of the client-side time."""
    import logging
    import subprocess

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.test import Client

    from aduan.accounts.testing import login_verified

    def cookie(username: str) -> dict[str, str]:
        c = Client()
        login_verified(c, User.objects.get(username=username))
        return {"sessionid": c.cookies["sessionid"].value}

    big = Office.objects.get(code=office_code(1))
    deep = big.complaints.filter(events__isnull=False).order_by("-id").first()
    pages = [
        ("big office inbox page 1", "opd01_petugas", "/desk/", {}),
        ("big office overdue", "opd01_petugas", "/desk/", {"deadline": "overdue"}),
        ("big office search 'izin'", "opd01_petugas", "/desk/", {"q": "izin"}),
        ("big office case page", "opd01_petugas", f"/desk/pengaduan/{deep.pk}/", {}),
        ("big office dashboard", "opd01_kadis", "/desk/laporan/dasbor/", {}),
        ("small office inbox page 1", "opd40_petugas", "/desk/", {}),
        ("big office register book", "opd01_petugas", "/desk/register/", {}),
        ("big office dashboard chart status.svg", "opd01_kadis",
         "/desk/laporan/dasbor/grafik/status.svg", {}),
        ("central intake routing desk", "opd50_petugas", "/desk/rute/", {}),
        ("big office record form", "opd01_petugas", "/desk/catat/", {}),
        ("big office account security", "opd01_petugas", "/akun/keamanan/", {}),
    ]
    # The oversight role's pages, when `timings` has made its user (it needs no other set-up).
    if User.objects.filter(username="bench_inspektorat").exists():
        latest = Complaint.objects.order_by("-received_on").values_list("received_on", flat=True)[0]
        pages += [
            ("oversight: regency dashboard, default period", "bench_inspektorat",
             "/desk/kabupaten/", {}),
            ("oversight: regency dashboard, five years", "bench_inspektorat", "/desk/kabupaten/",
             {"start": f"{latest.year - 4}-01-01", "end": latest.isoformat()}),
            ("oversight: the big office's page", "bench_inspektorat",
             f"/desk/kabupaten/{big.code}/", {}),
        ]
    venv = os.path.join(os.path.dirname(__file__), "..", ".venv", "bin")
    env = {**os.environ, "PYTHONPATH": os.path.join(os.path.dirname(__file__), "..", "src"),
           "ADUAN_PUBLIC_URL": f"http://127.0.0.1:{port}", "ALLOWED_HOSTS": "127.0.0.1"}
    proc = subprocess.Popen(
        [os.path.join(venv, "gunicorn"), "aduan.config.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=30) as client:
            for _ in range(240):
                if proc.poll() is not None:
                    raise SystemExit("regency_scale http: gunicorn did not start")
                try:
                    client.get(f"{base}/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.5)
            print(f"gunicorn, 2 sync workers, {runs} requests each, load average "
                  f"{os.getloadavg()[0]:.1f}")
            print("| page (real HTTP) | median ms | p90 ms | status |\n|---|---:|---:|---|")
            for name, username, url, params in pages:
                cookies = cookie(username)
                for _ in range(2):
                    client.get(base + url, params=params, cookies=cookies)
                times = []
                for _ in range(runs):
                    began = time.perf_counter()
                    response = client.get(base + url, params=params, cookies=cookies)
                    times.append((time.perf_counter() - began) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"{url}: {response.status_code}")
                times.sort()
                print(f"| {name} | {statistics.median(times):.1f} | "
                      f"{times[int(len(times) * 0.9) - 1]:.1f} | 200 |", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "generate":
        generate(int(sys.argv[2]))
    elif command == "timings":
        timings()
    elif command == "numbering":
        numbering()
    elif command == "central":
        central(int(sys.argv[2]) if len(sys.argv) > 2 else 300)
    elif command == "http":
        http(int(sys.argv[2]) if len(sys.argv) > 2 else 8170)
    else:
        raise SystemExit(__doc__)

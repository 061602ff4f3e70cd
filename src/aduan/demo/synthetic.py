"""Realistic synthetic complaints in bulk, for benchmarks (a million load in minutes).

Rows are written with bulk inserts, bypassing the per-case services for speed, but every value
the services would compute is computed the same way: gapless register numbers continuing the
office's counters, due dates from the working calendar, working days taken, and a timeline of
events per case (received, then the steps to its state).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from aduan.accounts.models import Role, User
from aduan.complaints.deadlines import limits_for, working_days_taken
from aduan.complaints.models import (
    CaseEvent,
    Complaint,
    EventKind,
    RegisterCounter,
    Reporter,
    new_tracking_code,
)
from aduan.complaints.numbering import format_register_number
from aduan.complaints.workflow import Status
from aduan.demo.seed_data import SEED_CASES
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Classification, Office

JAKARTA = ZoneInfo("Asia/Jakarta")

FIRST_NAMES = ["Siti", "Ahmad", "Nur", "Dewi", "Rizky", "Putri", "Budi", "Fitri", "Hendra",
               "Rahmat", "Yuni", "Agus", "Sri", "Dian", "Fajar", "Indah", "Muhammad", "Rina",
               "Eko", "Wahyu", "Ayu", "Andi", "Novi", "Irfan", "Retno", "Syafri", "Zul",
               "Mega", "Taufik", "Lestari"]
LAST_NAMES = ["Saputra", "Lestari", "Hidayat", "Wijaya", "Harahap", "Siregar", "Nasution",
              "Pratama", "Rahmawati", "Kurniawan", "Syahputra", "Handayani", "Sembiring",
              "Lubis", "Hasibuan", "Putra", "Sari", "Fauzi", "Ramadhan", "Aulia"]
PLACES = ["Bengkalis", "Duri", "Mandau", "Pinggir", "Bantan", "Bukit Batu", "Siak Kecil",
          "Rupat", "Rupat Utara", "Bandar Laksamana", "Talang Muandau", "Bathin Solapan"]
OCCUPATIONS = ["Wiraswasta", "Bidan", "Perawat", "Apoteker", "Mahasiswa", "Pedagang",
               "Karyawan swasta", "Petani", "Guru", "Dokter", "Ibu rumah tangga", "PNS"]
COMPANIES = ["", "", "", "Apotek Sehat Sentosa", "CV Maju Bersama", "PT Riau Makmur",
             "Toko Obat Amanah", "Klinik Pratama Medika", "UD Sumber Rezeki"]
TEMPLATES = [
    ("Pengurusan {service}", "Selamat pagi, saya ingin bertanya bagaimana cara mengurus {service} "
     "secara online. Saya tinggal di {place}. Terima kasih."),
    ("{service} belum selesai", "Permohonan {service} saya sudah diajukan sejak {weeks} minggu "
     "lalu dan persyaratan sudah lengkap, tetapi sampai sekarang belum ada kabar. Mohon "
     "dibantu."),
    ("Tidak bisa login e-Pinter", "Saya sudah daftar akun e-Pinter untuk {service} tetapi tidak "
     "menerima SMS validasi dan tidak bisa login. Mohon solusinya."),
    ("Persyaratan {service}", "Mau nanya syarat untuk {service} apa saja ya pak/bu? Apakah bisa "
     "langsung ke MPP {place}?"),
    ("Survei lapangan {service}", "Kapan survei lapangan untuk {service} kami dilakukan? Usaha "
     "kami di {place} terkendala karena izin belum terbit."),
    ("Upload berkas gagal", "Saya sudah upload {files} berkas untuk {service} tetapi yang "
     "terupload hanya sebagian. Bagaimana solusinya?"),
]
REPLIES = [
    "Silakan mendaftar dan mengunggah berkas melalui epinter.bengkaliskab.go.id, lalu login "
    "dengan username dan password tanpa menunggu SMS verifikasi.",
    "Permohonan Bapak/Ibu sudah kami teruskan ke bidang terkait; silakan pantau melalui menu "
    "tracking.",
    "Pendaftaran dapat dilakukan melalui oss.go.id; petugas kami siap membantu di kantor.",
    "Ukuran berkas terlalu besar; kompres menjadi di bawah 200 kb lalu unggah kembali.",
]

# Share of cases per final state (settled ones dominate, as in the seed).
STATE_WEIGHTS = [
    (Status.ANSWERED, 55), (Status.REFERRED, 8), (Status.CLOSED, 25), (Status.WITHDRAWN, 2),
    (Status.RECEIVED, 2), (Status.VERIFIED, 2), (Status.DISPOSITIONED, 2),
    (Status.CLARIFIED, 1), (Status.FOLLOWED_UP, 1), (Status.RESPONDED, 1),
    (Status.INCOMPLETE, 1),
]


@dataclass
class Context:
    office: Office
    channels: list[int]
    channel_weights: list[int]
    service_types: list[tuple[int, str, int | None]]
    units: list[int]
    agencies: list[int]
    officer: User | None
    lead: User | None


def _context(office: Office) -> Context:
    channels = list(office.channels.order_by("order"))
    weights = [60 if c.code == "sms_wa" else 10 if c.kind in ("web", "email") else 3
               for c in channels]
    staff = {u.groups.first().name if u.groups.exists() else "": u
             for u in User.objects.filter(office=office)}
    return Context(
        office=office,
        channels=[c.pk for c in channels],
        channel_weights=weights,
        service_types=[(s.pk, s.name, s.default_unit_id) for s in office.service_types.all()],
        units=list(office.units.filter(is_complaint_team=False).values_list("pk", flat=True)),
        agencies=list(office.agencies.values_list("pk", flat=True)),
        officer=staff.get(Role.OFFICER), lead=staff.get(Role.TEAM_LEAD),
    )


def generate(office: Office, count: int, *, start: dt.date, end: dt.date, seed: int = 1,
             batch_size: int = 5000,
             progress: Callable[[int], None] | None = None) -> int:
    """Insert `count` complaints received between `start` and `end`; returns the count."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    ctx = _context(office)
    calendar = calendar_for_office(office.pk)
    settle_limit = limits_for(office, Classification.COMPLAINT).settle_days

    @cache
    def due(day: dt.date) -> dt.date:
        return calendar.add_working_days(day, settle_limit)

    @cache
    def plus_working(day: dt.date, n: int) -> dt.date:
        return calendar.add_working_days(day, n)

    span = (end - start).days + 1
    days = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(count))
    counters = dict(
        RegisterCounter.objects.filter(office=office).values_list("year", "last_sequence"))
    states, state_weights = zip(*STATE_WEIGHTS, strict=True)
    writer = FastWriter()
    done = 0
    for chunk in _chunks(days, batch_size):
        with transaction.atomic():
            reporters = writer.insert(Reporter, [_reporter(rng) for _ in chunk])
            complaints = []
            for day, reporter in zip(chunk, reporters, strict=True):
                counters[day.year] = counters.get(day.year, 0) + 1
                status = rng.choices(states, state_weights)[0]
                if (end - day).days > 60 and status not in {Status.ANSWERED, Status.REFERRED,
                                                            Status.CLOSED, Status.WITHDRAWN}:
                    status = Status.ANSWERED
                complaints.append(_complaint(
                    rng, ctx, day, reporter, seq=counters[day.year], status=status, due=due,
                    plus_working=plus_working, calendar=calendar))
            writer.insert(Complaint, complaints)
            writer.insert(CaseEvent, [e for c in complaints for e in _events(rng, ctx, c)])
            _save_counters(office, counters)
        done += len(chunk)
        if progress:
            progress(done)
    writer.reset_sequences()
    return done


class FastWriter:
    """Bulk inserts without the ORM's per-value SQL compilation: `executemany` on SQLite and
    COPY on PostgreSQL, with primary keys assigned here. Django's `bulk_create` spends most of
    its time compiling SQL per value; this writes a million cases in a few minutes.

    Assumes no other writer inserts into these tables while it runs (a benchmark load).
    """

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.next_pk: dict[type[Model], int] = {}

    def insert(self, model: type[Model], objs: list[Any]) -> list[Any]:
        if not objs:
            return objs
        if model not in self.next_pk:
            self.next_pk[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        now = timezone.now()
        fields = list(model._meta.concrete_fields)
        for obj in objs:
            obj.pk = self.next_pk[model]
            self.next_pk[model] += 1
            for f in fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    setattr(obj, f.attname, now)
        converters = [self._converter(f) for f in fields]
        rows = [
            tuple(conv(getattr(obj, f.attname)) for f, conv in zip(fields, converters,
                                                                   strict=True))
            for obj in objs
        ]
        table = model._meta.db_table
        columns = [f.column for f in fields]
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                quoted = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("%s" for _ in columns)
                sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'  # noqa: S608 - model metadata
                cursor.executemany(sql, rows)
        for obj in objs:
            obj._state.adding = False
        return objs

    def _converter(self, field: Any) -> Callable[[Any], Any]:
        kind = field.get_internal_type()
        if kind == "JSONField":
            return lambda v: json.dumps(v if v is not None else {})
        if self.vendor == "postgresql":
            return lambda v: v
        if kind == "DateTimeField":
            return lambda v: None if v is None else (
                v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" "))
        if kind == "DateField":
            return lambda v: None if v is None else v.isoformat()
        if kind == "BooleanField":
            return lambda v: None if v is None else int(v)
        return lambda v: v

    def reset_sequences(self) -> None:
        """PostgreSQL identity sequences must continue after the ids assigned here."""
        if self.vendor != "postgresql" or not self.next_pk:
            return
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.next_pk)):
                cursor.execute(sql)


def _chunks(items: list[dt.date], size: int) -> Iterator[list[dt.date]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _save_counters(office: Office, counters: dict[int, int]) -> None:
    for year, last in counters.items():
        RegisterCounter.objects.update_or_create(office=office, year=year,
                                                 defaults={"last_sequence": last})


def _reporter(rng: random.Random) -> Reporter:
    anonymous = rng.random() < 0.03
    name = "" if anonymous else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return Reporter(
        name=name,
        phone=f"+628{rng.choice('1235')}{rng.randrange(10**8, 10**9)}",
        email="" if rng.random() < 0.7 else f"{name.split(' ', maxsplit=1)[0].lower() or 'anon'}"
        f"{rng.randrange(1000)}@contoh.id",
        address="" if anonymous else f"Kecamatan {rng.choice(PLACES)}",
        occupation="" if anonymous else rng.choice(OCCUPATIONS),
        is_anonymous=anonymous,
        is_confidential=anonymous or rng.random() < 0.05,
    )


def _complaint(rng: random.Random, ctx: Context, day: dt.date, reporter: Reporter, *,
               seq: int, status: Status, due: Callable[[dt.date], dt.date],
               plus_working: Callable[[dt.date, int], dt.date], calendar) -> Complaint:
    service_id, service_name, unit_id = rng.choice(ctx.service_types)
    if rng.random() < 0.3:
        seed_case = rng.choice(SEED_CASES)
        subject, description = seed_case.subject, seed_case.description
    else:
        subject_t, body_t = rng.choice(TEMPLATES)
        values = {"service": service_name, "place": rng.choice(PLACES),
                  "weeks": rng.randrange(2, 9), "files": rng.randrange(3, 7)}
        subject, description = subject_t.format(**values), body_t.format(**values)
    received_at = dt.datetime(day.year, day.month, day.day, rng.randrange(7, 20),
                              rng.randrange(60), tzinfo=JAKARTA)
    settled = status in {Status.ANSWERED, Status.REFERRED, Status.CLOSED, Status.WITHDRAWN}
    # Most cases settle quickly; a tail takes weeks (and some overrun the 20 days).
    taken = min(int(rng.expovariate(1 / 3)), 40) if settled else 0
    settled_on = plus_working(day, taken) if settled else None
    disposed = status in {Status.DISPOSITIONED, Status.CLARIFIED, Status.FOLLOWED_UP,
                          Status.RESPONDED} or (status == Status.CLOSED and rng.random() < 0.5)
    office = ctx.office
    return Complaint(
        office=office, register_year=day.year, register_sequence=seq,
        register_number=format_register_number(office.register_number_pattern, sequence=seq,
                                               year=day.year, month=day.month),
        issued_on=day, tracking_code=new_tracking_code(),
        channel_id=rng.choices(ctx.channels, ctx.channel_weights)[0],
        classification=rng.choice([Classification.INFORMATION_REQUEST,
                                   Classification.COMPLAINT, Classification.COMPLAINT,
                                   Classification.ASPIRATION]),
        received_at=received_at, received_on=day, subject=subject[:300],
        description=description, location=office.name, service_type_id=service_id,
        company_name=rng.choice(COMPANIES), reporter=reporter, status=status,
        unit_id=(unit_id or rng.choice(ctx.units)) if disposed else None,
        referred_agency_id=rng.choice(ctx.agencies) if status == Status.REFERRED else None,
        due_on=due(day), verify_due_on=plus_working(day, 3),
        verified_on=day if status != Status.RECEIVED else None,
        disposed_on=day if disposed else None,
        responded_on=settled_on if status in {Status.ANSWERED, Status.REFERRED,
                                              Status.CLOSED} else None,
        settled_on=settled_on,
        working_days_taken=working_days_taken(calendar, day, settled_on) if settled_on
        else None,
        findings_note="Pengaduan dibalas oleh Petugas Pengaduan." if settled else "",
        response_text=rng.choice(REPLIES) if settled and status != Status.WITHDRAWN else "",
        created_by=None,
    )


FINAL_EVENT = {
    Status.ANSWERED: EventKind.ANSWERED, Status.REFERRED: EventKind.REFERRED,
    Status.CLOSED: EventKind.CLOSED, Status.WITHDRAWN: EventKind.WITHDRAWN,
    Status.VERIFIED: EventKind.VERIFIED, Status.DISPOSITIONED: EventKind.DISPOSITIONED,
    Status.CLARIFIED: EventKind.CLARIFIED, Status.FOLLOWED_UP: EventKind.FOLLOWED_UP,
    Status.RESPONDED: EventKind.RESPONDED, Status.INCOMPLETE: EventKind.COMPLETION_REQUESTED,
}


def _events(rng: random.Random, ctx: Context, c: Complaint) -> list[CaseEvent]:
    events = [CaseEvent(complaint=c, kind=EventKind.RECEIVED, actor_label="pelapor",
                        is_public=True, body=f"Pengaduan diterima dengan nomor "
                        f"{c.register_number}.", status_after=Status.RECEIVED,
                        created_at=c.received_at, data={"synthetic": True})]
    kind = FINAL_EVENT.get(Status(c.status))
    if kind:
        when = c.received_at
        if c.settled_on:
            when = dt.datetime.combine(c.settled_on, dt.time(14), tzinfo=JAKARTA)
        actor = ctx.lead if kind == EventKind.DISPOSITIONED else ctx.officer
        events.append(CaseEvent(
            complaint=c, kind=kind, actor=actor, is_public=kind != EventKind.CLARIFIED,
            body=c.response_text or "", status_before=Status.RECEIVED, status_after=c.status,
            created_at=max(when, c.received_at)))
    return events


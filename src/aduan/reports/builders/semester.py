"""The content of the semester report, assembled once and rendered as DOCX or PDF.

The layout follows the seed report: cover, KATA PENGANTAR, DAFTAR ISI, BAB I–IV with the
office's editable texts, Tabel 1 with Diagram 1, Tabel 2, Tabel 3 (or its summary when an XLSX
annex carries it), hambatan dan upaya, penutup and the head's signature block.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet

from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.complaints.privacy import complaint_redactor
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.offices.models import Channel, Office
from aduan.reports import selectors
from aduan.reports.builders import charts
from aduan.reports.builders.common import (
    MONTHS_ID,
    date_id,
    number_id,
    percent_id,
    reporter_line,
)
from aduan.reports.models import ReportProfile
from aduan.reports.selectors import Period, Row

STATUS_SETTLED = "Selesai"
STATUS_IN_PROCESS = "Sedang dalam proses"
TABLE3_HEADER = ("No.", "Jenis Pengaduan", "Waktu Pengaduan & Permasalahan",
                 "Waktu Penyelesaian", "Hasil Pemeriksaan", "Tindak Lanjut", "Keterangan")

Progress = Callable[[int, str], None]


def _no_progress(_percent: int, _step: str) -> None:
    return None


@dataclass(frozen=True)
class Table3Row:
    no: int
    channel: str
    received: str
    problem: str
    settled: str
    findings: str
    follow_up: str
    status: str

    def cells(self) -> tuple[str, ...]:
        return (f"{self.no}.", self.channel, f"{self.received}\n{self.problem}", self.settled,
                self.findings, self.follow_up, self.status)


@dataclass
class Section:
    number: str          # "1.1"
    title: str           # "Latar Belakang"
    text: str            # the office's text (markup of common.blocks)


@dataclass(frozen=True)
class ProactiveSection:
    """Pemantauan proaktif permohonan izin (seed report, section G; issue 16)."""

    title: str
    intro: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    total: tuple[str, ...]


PROACTIVE_TITLE = "I. Pemantauan Proaktif Permohonan Izin"
PROACTIVE_CAPTION = "Tabel Pemantauan Proaktif Permohonan Izin per Jenis Izin"
PROACTIVE_HEADER = ("No", "Jenis Izin", "SOP (hari kerja)", "Jumlah", "Terlambat",
                    "Median hari kerja", "Kabar proaktif", "Diadukan")


def proactive_section(office: Office, period: Period) -> ProactiveSection | None:
    """The watch's table per permit type for the period; None when no application was
    submitted in it (the section is left out)."""
    from aduan.watch.selectors import (
        late_with_without_complaint,
        notices_and_actions,
        report_rows,
    )

    rows = report_rows(office, period.start, period.end)
    if not rows:
        return None
    count = sum(r.count for r in rows)
    late = sum(r.late for r in rows)
    with_complaint, without = late_with_without_complaint(office, period.start, period.end)
    actions = notices_and_actions(office, period.start, period.end)
    intro = (
        f"Sesuai huruf G (Pengawasan dan Pengendalian), petugas penanganan pengaduan memantau "
        f"permohonan izin yang diajukan pada periode ini terhadap standar pelayanan (SOP) dalam "
        f"hari kerja sejak berkas dinyatakan lengkap dan benar. Dari {number_id(count)} "
        f"permohonan, {number_id(late)} melewati SOP; {number_id(with_complaint)} di antaranya "
        f"kemudian diadukan dan {number_id(without)} tidak. Petugas menelepon instansi "
        f"{number_id(actions['phone'])} kali, mendatangi {number_id(actions['visit'])} kali, "
        f"menyurati {number_id(actions['letter'])} kali, melaporkan kepada Kepala Dinas "
        f"{number_id(actions['head_report'])} kali, dan mengirim "
        f"{number_id(actions['applicant_message'])} kabar proaktif kepada pemohon.")

    def median(value: float | None) -> str:
        if value is None:
            return "-"
        return number_id(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(
            ".", ",")

    table = [(f"{i}.", r.name, number_id(r.sop_days), number_id(r.count), number_id(r.late),
              median(r.median_days), number_id(r.notices), number_id(r.complaints))
             for i, r in enumerate(rows, 1)]
    total = ("", "JUMLAH", "", number_id(count), number_id(late), "",
             number_id(sum(r.notices for r in rows)), number_id(sum(r.complaints for r in rows)))
    return ProactiveSection(title=PROACTIVE_TITLE, intro=intro, header=PROACTIVE_HEADER,
                            rows=table, total=total)


@dataclass(frozen=True)
class IkmSection:
    """Survei Kepuasan Masyarakat (PermenPANRB 14/2017): the index of the period with its
    sample, the nine elements, and the respondent profile of the public survey."""

    title: str
    intro: str
    sample_note: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    total: tuple[str, ...] | None
    profile_header: tuple[str, ...]
    profile_rows: list[tuple[str, ...]]


IKM_TITLE = "J. Survei Kepuasan Masyarakat (IKM)"
IKM_CAPTION = "Tabel Nilai Unsur Pelayanan dan Indeks Kepuasan Masyarakat"
IKM_PROFILE_CAPTION = "Tabel Profil Responden Survei Kepuasan Masyarakat"
IKM_HEADER = ("No", "Unsur Pelayanan", "NRR", "NRR Tertimbang", "Nilai Konversi", "Mutu")
IKM_PROFILE_HEADER = ("Karakteristik", "Kategori", "Jumlah", "Persentase")
_PROFILE_LABELS = {"age_band": "Usia", "sex": "Jenis kelamin", "education": "Pendidikan",
                   "occupation": "Pekerjaan"}


def _decimal_id(value: object) -> str:
    return str(value).replace(".", ",")


def ikm_section(office: Office, period: Period) -> IkmSection:
    from aduan.ikm.selectors import service_rating_ikm, survey_profile

    result = service_rating_ikm(office, period)
    if result.respondents and result.ikm is not None and result.grade is not None:
        intro = (
            f"Survei Kepuasan Masyarakat diisi oleh pelapor atas penanganan pengaduannya dan "
            f"oleh penerima layanan lain melalui halaman survei. Pada periode ini terdapat "
            f"{number_id(result.respondents)} responden "
            f"({number_id(result.respondents - result.survey_respondents)} pelapor dan "
            f"{number_id(result.survey_respondents)} penerima layanan). Indeks Kepuasan "
            f"Masyarakat sebesar {_decimal_id(result.ikm)} dengan mutu pelayanan "
            f"{result.grade.letter} ({result.grade.label}).")
        rows = [(f"{i}.", f"{r.element.label} {r.element.name}", _decimal_id(r.nrr),
                 _decimal_id(r.nrr_weighted), _decimal_id(r.converted), r.grade.letter)
                for i, r in enumerate(result.elements, 1)]
        total: tuple[str, ...] | None = ("", "IKM", "", "", _decimal_id(result.ikm),
                                         result.grade.letter)
    else:
        intro = ("Pada periode ini belum ada responden Survei Kepuasan Masyarakat yang menjawab "
                 "kesembilan unsur pelayanan, sehingga indeks belum dapat dihitung.")
        rows, total = [], None
    if result.population is None:
        sample_note = ("Jumlah penerima layanan (populasi) periode ini belum diisi, sehingga "
                       "kecukupan sampel belum dapat diperiksa.")
    elif result.below_minimum:
        sample_note = (
            f"Perhatian: jumlah responden ({number_id(result.respondents)}) di bawah sampel "
            f"minimum PermenPANRB 14/2017 (tabel Krejcie-Morgan) sebanyak "
            f"{number_id(result.minimum_sample or 0)} responden untuk populasi "
            f"{number_id(result.population)} penerima layanan; indeks belum mewakili seluruh "
            f"penerima layanan.")
    else:
        sample_note = (
            f"Jumlah responden memenuhi sampel minimum PermenPANRB 14/2017 "
            f"({number_id(result.minimum_sample or 0)} responden untuk populasi "
            f"{number_id(result.population)} penerima layanan).")
    profile = survey_profile(office, period)
    respondents = result.survey_respondents
    profile_rows = [(_PROFILE_LABELS[r.dimension], r.label, number_id(r.count),
                     percent_id(r.count, respondents)) for r in profile]
    return IkmSection(title=IKM_TITLE, intro=intro, sample_note=sample_note, header=IKM_HEADER,
                      rows=rows, total=total, profile_header=IKM_PROFILE_HEADER,
                      profile_rows=profile_rows if respondents else [])


@dataclass
class SemesterReport:
    office: Office
    profile: ReportProfile
    period: Period
    period_label: str            # "Semester I (Januari – Juni) Tahun 2025"
    period_short: str            # "Semester I Tahun 2025"
    signed_on: dt.date
    values: dict[str, str]
    chapter1: list[Section]
    chapter2: list[Section]
    table1: list[Row]
    table1_total: int
    diagram1_png: bytes
    table1_comment: str
    table2: list[tuple[str, int, str]]        # (label, count, percentage)
    table2_total: int
    table2_comment: str
    table3: list[Table3Row] | None            # None when the annex carries Tabel 3
    table3_summary: list[str] = field(default_factory=list)
    annex_name: str = ""
    proactive: ProactiveSection | None = None
    ikm: IkmSection | None = None

    @property
    def title(self) -> str:
        return f"{self.profile.report_title} {self.period_label}".upper()

    @property
    def signature_lines(self) -> list[str]:
        office = self.office
        title = " ".join(filter(None, [self.profile.signatory_prefix, office.head_title]))
        return [f"{office.city}, {date_id(self.signed_on)}", "", f"{title.upper()},"]

    @property
    def signer(self) -> tuple[str, str, str]:
        office = self.office
        return (office.head_name, office.head_rank,
                f"NIP {office.head_nip}" if office.head_nip else "")


def period_labels(period: Period) -> tuple[str, str]:
    """Long and short names of the period, as the seed writes them."""
    start, end = period.start, period.end
    for half, numeral, months in ((1, "I", "Januari – Juni"), (2, "II", "Juli – Desember")):
        if period == Period.semester(start.year, half):
            return (f"Semester {numeral} ({months}) Tahun {start.year}",
                    f"Semester {numeral} Tahun {start.year}")
    if period == Period.month(start.year, start.month):
        name = f"Bulan {MONTHS_ID[start.month - 1]} {start.year}"
        return name, name
    name = f"Periode {date_id(start)} s.d. {date_id(end)}"
    return name, name


def report_profile_for(office: Office) -> ReportProfile:
    profile = ReportProfile.objects.filter(office=office).first()
    return profile or ReportProfile(office=office)


def build_semester_report(office: Office, period: Period, *, signed_on: dt.date | None = None,
                          progress: Progress = _no_progress,
                          max_rows: int | None = None) -> SemesterReport:
    """Everything the semester report shows, from the database aggregations."""
    profile = report_profile_for(office)
    limit = profile.table3_max_rows if max_rows is None else max_rows
    long_label, short_label = period_labels(period)
    progress(5, "Menghitung Tabel 1 dan Tabel 2")
    # One pass over the period gives Tabel 1, Tabel 2 and the summary of Tabel 3.
    stats = selectors.complaint_statistics(office, period, as_of=period.end,
                                           with_breakdowns=False, with_follow_up=False,
                                           with_forwarded=True)
    table1 = selectors.channel_rows(office, stats.channel_counts, in_report_only=True)
    total = sum(r.count for r in table1)
    progress(20, "Menggambar Diagram 1")
    diagram = charts.bar_chart([r.label for r in table1], [r.count for r in table1],
                               highlight_max=True)
    progress(30, "Menyusun Tabel 2")
    settled_rows = selectors.settled_rows(total, sum(r.settled for r in table1))
    table2 = [(r.label, r.count, percent_id(r.count, total)) for r in settled_rows]
    values = {
        "periode": short_label, "periode_lengkap": long_label, "tahun": str(period.end.year),
        "jumlah": number_id(total), "kantor": office.name, "singkatan": office.short_name,
    }
    chapter1 = [Section("1.1", "Latar Belakang", profile.background),
                Section("1.2", "Dasar Hukum", profile.legal_basis),
                Section("1.3", "Maksud dan Tujuan", profile.purpose)]
    chapter2 = [Section("2.1", "Sasaran", profile.targets),
                Section("2.2", "Ruang Lingkup", profile.scope),
                Section("2.3", "Pengertian", profile.definitions),
                Section("2.4", "Kegiatan Penanganan Pengaduan", profile.activities)]
    report = SemesterReport(
        office=office, profile=profile, period=period, period_label=long_label,
        period_short=short_label, signed_on=signed_on or dt.date.today(),  # noqa: DTZ011
        values=values, chapter1=chapter1, chapter2=chapter2, table1=table1,
        table1_total=total, diagram1_png=diagram,
        table1_comment=_table1_comment(table1, total),
        table2=table2, table2_total=total,
        table2_comment=_table2_comment(settled_rows, total, short_label),
        table3=None,
    )
    progress(40, "Menyusun Tabel 3")
    if total <= limit:
        report.table3 = list(table3_rows(selectors.complaints_for_recap(office, period),
                                         selectors.forwarded_out(office, period)))
    else:
        report.annex_name = annex_file_name(office, period)
        report.table3_summary = _table3_summary(stats, report.annex_name)
    progress(55, "Menyusun pemantauan proaktif permohonan izin")
    report.proactive = proactive_section(office, period)
    progress(58, "Menghitung Indeks Kepuasan Masyarakat")
    report.ikm = ikm_section(office, period)
    progress(60, "Menyusun dokumen")
    return report


def _table1_comment(rows: list[Row], total: int) -> str:
    if not total:
        return "Pada periode ini tidak ada pengaduan yang diterima."
    top = max(rows, key=lambda r: r.count)
    return (f"Berdasarkan tabel dan diagram di atas dapat diketahui bahwa media pengaduan yang "
            f"paling banyak digunakan masyarakat adalah {top.label} dengan "
            f"{number_id(top.count)} pengaduan ({percent_id(top.count, total)}).")


def _table2_comment(rows: list[Row], total: int, period_label: str) -> str:
    settled, in_process = rows[0].count, rows[1].count
    if not total:
        return "Tidak ada pengaduan pada periode ini."
    if not in_process:
        return (f"Berdasarkan tabel di atas dapat diketahui bahwa seluruh pengaduan masyarakat "
                f"{period_label} ({number_id(total)} pengaduan) telah selesai ditangani.")
    return (f"Berdasarkan tabel di atas, dari {number_id(total)} pengaduan masyarakat "
            f"{period_label}, {number_id(settled)} pengaduan ({percent_id(settled, total)}) "
            f"telah selesai ditangani dan {number_id(in_process)} pengaduan "
            f"({percent_id(in_process, total)}) sedang dalam proses penanganan.")


def _table3_summary(stats: selectors.Statistics, annex: str) -> list[str]:
    duration, total = stats.duration, stats.total
    lines = [
        f"Rekapitulasi {number_id(total)} pengaduan beserta tindak lanjutnya terlalu panjang "
        f"untuk dimuat di dalam laporan ini; Tabel 3 disajikan sebagai lampiran dalam berkas "
        f"{annex}. Ringkasannya sebagai berikut:",
        f"Pengaduan selesai: {number_id(stats.settled)} "
        f"({percent_id(stats.settled, total)}); sedang dalam proses: "
        f"{number_id(stats.in_process)} ({percent_id(stats.in_process, total)}).",
        f"Pengaduan yang melewati batas waktu dan belum selesai pada akhir periode: "
        f"{number_id(stats.overdue)}.",
    ]
    if duration and duration.settled_with_days:
        avg = f"{duration.average:.1f}".replace(".", ",")
        within = percent_id(duration.within_limit, duration.settled_with_days)
        lines.append(
            f"Rata-rata waktu penyelesaian {avg} hari kerja; 90% pengaduan selesai dalam "
            f"{duration.p90:.0f} hari kerja; {within} selesai dalam {duration.limit_days} hari "
            f"kerja.")
    return lines


def annex_file_name(office: Office, period: Period) -> str:
    return (f"lampiran-tabel-3-{office.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx")


def _open_case_follow_ups(complaints: QuerySet[Complaint]) -> dict[int, str]:
    """The latest follow-up or clarification of each still-open case without a response yet:
    what Tabel 3's "Tindak Lanjut" shows for a case in process."""
    events = (CaseEvent.objects.filter(
        complaint__in=complaints.exclude(status__in=SETTLED_STATUSES).filter(response_text=""),
        kind__in=[EventKind.FOLLOWED_UP, EventKind.CLARIFIED]).exclude(body="")
        .order_by("complaint_id", "created_at", "id").values_list("complaint_id", "body"))
    return dict(events)


FORWARDED_NOTE = "Diteruskan ke instansi lain"


def forwarded_problem(f: selectors.ForwardedOut) -> str:
    """What the sender's documents say of a case it forwarded: where it went and its number
    there, never the case's contents (the case is the receiver's, decision 0014)."""
    return (f"Diteruskan ke {f.hop.to_office.name} (nomor {f.hop.to_register_number}); "
            f"nomor di kantor ini {f.hop.from_register_number}")


def forwarded_rows(forwarded: Sequence[selectors.ForwardedOut]) -> Iterator[Table3Row]:
    """Tabel 3 rows (unnumbered) of forwarded cases: received, settled by the forward."""
    names = dict(Channel.objects.filter(pk__in={f.channel_id for f in forwarded})
                 .values_list("pk", "name")) if forwarded else {}
    for f in forwarded:
        yield Table3Row(
            no=0, channel=names.get(f.channel_id, "-"), received=date_id(f.received_on),
            problem=forwarded_problem(f), settled=date_id(f.forwarded_on), findings="-",
            follow_up=f"{FORWARDED_NOTE}: {f.hop.to_office.name}", status=STATUS_SETTLED)


def table3_rows(complaints: QuerySet[Complaint],
                forwarded: Sequence[selectors.ForwardedOut] = ()) -> Iterator[Table3Row]:
    """Tabel 3 rows in order of receipt, the cases the office forwarded among them (every
    number it issued is accounted for, decision 0014)."""
    keyed = [((f.received_on, f.hop.from_register_sequence, 0), row)
             for f, row in zip(forwarded, forwarded_rows(forwarded), strict=True)]
    keyed.sort(key=lambda kr: kr[0])
    merged = heapq.merge(((k, r) for k, r in _case_rows(complaints)), keyed,
                         key=lambda kr: kr[0])
    for no, (_key, row) in enumerate(merged, start=1):
        yield replace(row, no=no)


def _case_rows(complaints: QuerySet[Complaint]) -> Iterator[tuple[tuple, Table3Row]]:
    """Tabel 3 rows: channel with the masked reporter, date and problem, date settled with the
    working days taken, findings, follow-up, status."""
    open_follow_ups = _open_case_follow_ups(complaints)
    for no, c in enumerate(complaints.iterator(chunk_size=2000), start=1):
        r = c.reporter
        who = reporter_line(name=r.name, phone=r.phone, email=r.email,
                            is_anonymous=r.is_anonymous, is_confidential=r.is_confidential)
        redact = complaint_redactor(c)  # exports redact free text (complaints/privacy.py)
        settled = c.status in SETTLED_STATUSES
        if settled and c.settled_on:
            days = f" ({c.working_days_taken} hari)" if c.working_days_taken else ""
            done = f"{date_id(c.settled_on)}{days}"
        else:
            done = "-"
        yield (c.received_on, c.register_sequence, c.pk), Table3Row(
            no=no, channel="\n".join(filter(None, [c.channel.name, who])),
            received=date_id(c.received_on), problem=redact(c.description or c.subject),
            settled=done, findings=redact(c.findings_note) or "-",
            follow_up=redact(c.response_text or open_follow_ups.get(c.pk, "-")),
            status=STATUS_SETTLED if settled else STATUS_IN_PROCESS)

"""Portal read paths: the public view of a case, knowledge-base search and open statistics.

Statistics are database aggregations over the whole office; they carry no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from aduan.complaints.models import CaseEvent, Complaint
from aduan.complaints.selectors import complaint_get_by_tracking_code, complaint_public_timeline
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.offices.models import Office, ReferralAgency
from aduan.portal.models import FaqEntry, ServiceRating
from aduan.portal.search import score, stem_text, stems
from aduan.portal.services import RATEABLE_STATUSES

SATISFACTION_STATUSES = frozenset({Status.RESPONDED, Status.CONCLUDED})


# --------------------------------------------------------------------------------------------
# Tracking
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicCase:
    """What anyone holding the tracking code may see: no personal data, no internal notes."""

    complaint: Complaint
    timeline: list[CaseEvent]
    may_confirm: bool
    may_rate: bool
    rating: ServiceRating | None


def public_case_get(code: str) -> PublicCase:
    """The public view of the case with tracking code `code` (NotFound otherwise)."""
    complaint = complaint_get_by_tracking_code(code)
    rating = ServiceRating.objects.filter(complaint=complaint).first()
    return PublicCase(
        complaint=complaint,
        timeline=complaint_public_timeline(complaint),
        may_confirm=complaint.status in SATISFACTION_STATUSES,
        may_rate=rating is None and complaint.status in RATEABLE_STATUSES,
        rating=rating,
    )


# --------------------------------------------------------------------------------------------
# Knowledge pages
# --------------------------------------------------------------------------------------------


def _ranked(items: list[Any], query: str, text_of: Any) -> list[Any]:
    query_stems = stems(query)
    if not query_stems:
        return items
    scored = [(score(query_stems, text_of(item)), i, item) for i, item in enumerate(items)]
    return [item for s, _i, item in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]


def faq_search(office: Office, query: str = "") -> list[FaqEntry]:
    """Published questions, best match first (stemmed words); all of them without a query."""
    entries = list(FaqEntry.objects.filter(office=office, is_published=True)
                   .order_by("order", "question"))
    return _ranked(entries, query, lambda e: e.search_text)


def referral_search(office: Office, query: str = "") -> list[ReferralAgency]:
    """Which agency handles what, best match first."""
    agencies = list(ReferralAgency.objects.filter(office=office, is_active=True)
                    .order_by("name"))
    return _ranked(agencies, query,
                   lambda a: stem_text(f"{a.name} {a.topics} {a.keywords}"))


# --------------------------------------------------------------------------------------------
# Public statistics (keterbukaan informasi, SPEC §5)
# --------------------------------------------------------------------------------------------


@dataclass
class PublicStats:
    year: int | None
    years: list[int]
    total: int = 0
    settled: int = 0
    in_process: int = 0
    settled_within_deadline: int = 0
    average_working_days: float | None = None
    by_month: list[dict[str, Any]] = field(default_factory=list)
    by_channel: list[dict[str, Any]] = field(default_factory=list)
    by_status: list[dict[str, Any]] = field(default_factory=list)
    by_unit: list[dict[str, Any]] = field(default_factory=list)

    @property
    def share_within_deadline(self) -> float | None:
        if not self.settled:
            return None
        return round(100 * self.settled_within_deadline / self.settled, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year, "total": self.total, "settled": self.settled,
            "in_process": self.in_process,
            "settled_within_deadline": self.settled_within_deadline,
            "share_within_deadline_percent": self.share_within_deadline,
            "average_working_days_to_settle": self.average_working_days,
            "by_month": self.by_month, "by_channel": self.by_channel,
            "by_status": self.by_status, "by_unit": self.by_unit,
        }


MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def stats_years(office: Office) -> list[int]:
    return sorted(
        {int(y) for y in Complaint.objects.filter(office=office)
         .annotate(y=ExtractYear("received_on")).values_list("y", flat=True).distinct()},
        reverse=True)


def public_stats(office: Office, year: int | None) -> PublicStats:
    """Counts by month, channel, status and unit; average working days to settle; share
    settled within the deadline. Every figure is one aggregate query."""
    years = stats_years(office)
    stats = PublicStats(year=year, years=years)
    qs: QuerySet[Complaint] = Complaint.objects.filter(office=office)
    if year is not None:
        qs = qs.filter(received_on__year=year)
    settled_q = Q(status__in=list(SETTLED_STATUSES))
    totals = qs.aggregate(
        total=Count("pk"), settled=Count("pk", filter=settled_q),
        within=Count("pk", filter=settled_q & Q(settled_on__lte=F("due_on"))),
        avg_days=Avg("working_days_taken", filter=settled_q),
    )
    stats.total = totals["total"]
    stats.settled = totals["settled"]
    stats.in_process = stats.total - stats.settled
    stats.settled_within_deadline = totals["within"]
    if totals["avg_days"] is not None:
        stats.average_working_days = round(float(totals["avg_days"]), 1)
    months = {
        (int(r["y"]), int(r["m"])): r["n"]
        for r in qs.annotate(y=ExtractYear("received_on"), m=ExtractMonth("received_on"))
        .values("y", "m").annotate(n=Count("pk")).order_by("y", "m")
    }
    stats.by_month = [
        {"year": y, "month": m, "label": f"{MONTHS[m - 1]} {y}", "count": n}
        for (y, m), n in sorted(months.items())
    ]
    channel_counts = dict(qs.values_list("channel_id").annotate(n=Count("pk")))
    stats.by_channel = [
        {"code": c.code, "label": c.name, "count": channel_counts.get(c.pk, 0)}
        for c in office.channels.filter(Q(is_active=True) | Q(pk__in=channel_counts))
        .order_by("order", "name")
    ]
    status_counts = dict(qs.values_list("status").annotate(n=Count("pk")))
    stats.by_status = [
        {"code": s.value, "label": str(s.label), "count": status_counts[s.value]}
        for s in Status if status_counts.get(s.value)
    ]
    unit_counts = dict(qs.filter(unit__isnull=False).values_list("unit_id")
                       .annotate(n=Count("pk")))
    stats.by_unit = [
        {"code": u.code, "label": u.name, "count": unit_counts[u.pk]}
        for u in office.units.filter(pk__in=unit_counts).order_by("order", "name")
    ]
    return stats


def public_stats_rows(stats: PublicStats) -> list[list[Any]]:
    """The statistics as flat rows (dimension, key, label, value) for CSV."""
    rows: list[list[Any]] = [["dimension", "key", "label", "value"]]
    rows += [
        ["summary", "total", "Jumlah pengaduan", stats.total],
        ["summary", "settled", "Selesai", stats.settled],
        ["summary", "in_process", "Dalam proses", stats.in_process],
        ["summary", "settled_within_deadline", "Selesai dalam batas waktu",
         stats.settled_within_deadline],
        ["summary", "share_within_deadline_percent", "Persentase selesai tepat waktu",
         "" if stats.share_within_deadline is None else stats.share_within_deadline],
        ["summary", "average_working_days_to_settle", "Rata-rata hari kerja penyelesaian",
         "" if stats.average_working_days is None else stats.average_working_days],
    ]
    rows += [["month", f"{m['year']}-{m['month']:02d}", m["label"], m["count"]]
             for m in stats.by_month]
    rows += [["channel", c["code"], c["label"], c["count"]] for c in stats.by_channel]
    rows += [["status", s["code"], s["label"], s["count"]] for s in stats.by_status]
    rows += [["unit", u["code"], u["label"], u["count"]] for u in stats.by_unit]
    return rows

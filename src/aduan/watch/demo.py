"""Demo permit applications (data/demo_applications.json) placed relative to today, so the
watch shows late and at-risk applications whenever `make run` is started."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Office, ReferralAgency
from aduan.watch.importers import Outcome, import_rows
from aduan.watch.services import DATA_DIR, watch_settings_for


def _working_days_before(calendar, day: dt.date, days: int) -> dt.date:  # type: ignore[no-untyped-def]
    while days > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day


def load_demo_watch(office: Office) -> Outcome:
    data = json.loads((DATA_DIR / "demo_applications.json").read_text(encoding="utf-8"))
    for agency in data["agencies"]:
        ReferralAgency.objects.get_or_create(
            office=office, code=agency["code"],
            defaults={k: agency[k] for k in ("name", "topics", "keywords", "contact")})
    watch_settings_for(office)
    calendar = calendar_for_office(office.pk)
    today = timezone.localdate()
    rows = []
    for i, item in enumerate(data["applications"], start=1):
        row: dict[str, object] = {k: v for k, v in item.items() if not k.endswith("_ago")}
        row["number"] = str(item["number"]).format(year=today.year)
        row["submitted_on"] = _working_days_before(calendar, today, item["submitted_ago"])
        if "complete_ago" in item:
            row["complete_on"] = _working_days_before(calendar, today, item["complete_ago"])
        if "finished_ago" in item:
            row["finished_on"] = _working_days_before(calendar, today, item["finished_ago"])
        rows.append((i, row))
    return import_rows(office.pk, rows, source="demo", today=today)

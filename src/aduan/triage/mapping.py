"""Loading an office's taxonomy mapping from a data file (the demo's: data/demo_mapping.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from aduan.offices.models import Office
from aduan.triage import taxonomy
from aduan.triage.models import AgencyLabel, ServiceTypeLabel, UnitLabel
from aduan.triage.taxonomy import DATA_DIR


def _check(field: str, code: str) -> str:
    if code not in taxonomy.codes(field):
        raise ValueError(f"unknown {field} code {code!r}")
    return code


@transaction.atomic
def mapping_load(office: Office, data: dict[str, Any]) -> int:
    """Create or update the mapping of `office` from {"service_types": {code: [category,
    authority]}, "units": {code: [categories]}, "agencies": {code: authority}}; idempotent.
    Objects the office does not have are skipped. Returns how many rows were written."""
    written = 0
    for code, (category, authority) in data.get("service_types", {}).items():
        st = office.service_types.filter(code=code).first()
        if st is not None:
            ServiceTypeLabel.objects.update_or_create(service_type=st, defaults={
                "category": _check("category", category),
                "authority": _check("authority", authority)})
            written += 1
    for code, categories in data.get("units", {}).items():
        unit = office.units.filter(code=code).first()
        if unit is not None:
            UnitLabel.objects.update_or_create(unit=unit, defaults={
                "categories": [_check("category", c) for c in categories]})
            written += 1
    for code, authority in data.get("agencies", {}).items():
        agency = office.agencies.filter(code=code).first()
        if agency is not None:
            AgencyLabel.objects.update_or_create(agency=agency, defaults={
                "authority": _check("authority", authority)})
            written += 1
    return written


def load_demo_mapping(office: Office, path: Path | None = None) -> int:
    data = json.loads((path or DATA_DIR / "demo_mapping.json").read_text(encoding="utf-8"))
    return mapping_load(office, data)

"""One long date format on pages, one short in tables, per language, and valid <time> values
everywhere: the `when` filter and the format modules (config/formats)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

JAKARTA = ZoneInfo("Asia/Jakarta")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# https://html.spec.whatwg.org/#valid-date-string and #valid-global-date-and-time-string
VALID_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?")


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(("language", "value", "style", "text"), [
    ("id", dt.date(2025, 8, 17), "", "17 Agustus 2025"),
    ("id", dt.date(2025, 8, 7), "short", "07 Agu 2025"),
    ("id", dt.datetime(2025, 8, 17, 7, 5, 9, 123456, tzinfo=dt.UTC), "", "17 Agustus 2025, 14.05"),
    ("id", dt.datetime(2025, 8, 17, 7, 5, tzinfo=dt.UTC), "short", "17 Agu 2025 14.05"),
    ("id", dt.datetime(2025, 8, 17, 20, 0, tzinfo=dt.UTC), "date", "18 Agustus 2025"),
    ("en", dt.date(2025, 8, 17), "", "17 August 2025"),
    ("en", dt.datetime(2025, 8, 17, 7, 5, tzinfo=dt.UTC), "short", "17 Aug 2025 14:05"),
])
def test_when_writes_the_format_of_the_language_in_a_valid_time_element(language, value,
                                                                       style, text):
    source = "{{ v|when:s }}" if style else "{{ v|when }}"
    with translation.override(language):
        html = render(source, v=value, s=style)
    match = re.fullmatch(r'<time datetime="([^"]+)">([^<]+)</time>', html)
    assert match, html
    assert VALID_TIME.fullmatch(match.group(1)), match.group(1)
    assert match.group(2) == text


def test_moments_carry_the_local_offset_and_no_fractions():
    html = render("{{ v|when }}", v=dt.datetime(2025, 8, 17, 7, 5, 9, 999999, tzinfo=dt.UTC))
    assert 'datetime="2025-08-17T14:05:09+07:00"' in html


def test_no_value_is_empty_so_default_applies():
    assert render('{{ v|when|default:"belum" }}', v=None) == "belum"


def test_templates_show_dates_only_through_the_filter():
    """A display format written in a template would be a second format: only machine formats
    (form values, URLs), the register's month column and localised names remain."""
    allowed = {"'Y-m-d'", '"F Y"', '"DATE_FORMAT"'}
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for fmt in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text()):
            if fmt not in allowed:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {fmt}")
    assert offenders == []


def test_every_time_element_on_the_track_page_is_valid(client, db):
    from aduan.complaints.tests.factories import register_complaint
    from aduan.demo.office import load_demo_office

    complaint = register_complaint(load_demo_office())
    html = client.post("/lacak/", {"code": complaint.tracking_code}).text
    values = re.findall(r'<time datetime="([^"]*)"', html)
    assert len(values) >= 3
    assert all(VALID_TIME.fullmatch(v) for v in values), values


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_direct_formatting_writes_what_date_format_writes(language):
    """`when` writes the formats' characters itself (fast); it must equal Django's
    date_format for every format of every language, on every month and on edge hours."""
    from django.utils.formats import date_format

    from aduan.core.templatetags.dates import _format

    days = [dt.date(2025, month, day) for month in range(1, 13) for day in (1, 9, 28)]
    moments = [dt.datetime(2024, month, 5, hour, minute, 7) for month in range(1, 13)
               for hour, minute in ((0, 0), (9, 5), (23, 59))]
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            for day in days:
                assert _format(day, name) == date_format(day, name)
        for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            for moment in moments:
                assert _format(moment, name) == date_format(moment, name)


def test_month_names_are_looked_up_once_per_format_and_language():
    """A month name is lazy text (a gettext call per use): `when` resolves the twelve names
    when it first plans a format in a language, not on every date (issue 17)."""
    from unittest import mock

    from aduan.core.templatetags import dates

    day = dt.date(2025, 8, 17)
    with translation.override("id"):
        assert "17 Agustus 2025" in dates.when(day)
        with mock.patch.object(dates, "MONTHS", side_effect=AssertionError("looked up")):
            assert "17 Agustus 2025" in dates.when(day)
    with translation.override("en"):
        assert "17 August 2025" in dates.when(day)


def test_the_plans_are_forgotten_when_a_setting_they_come_from_changes(settings):
    from aduan.core.templatetags import dates

    with translation.override("id"):
        dates.when(dt.date(2025, 8, 17))
        assert ("DATE_FORMAT", "id") in dates._plans
        settings.SHORT_DATE_FORMAT = "Y-m-d"
        assert dates._plans == {}
        dates.when(dt.date(2025, 8, 17))
        settings.FORMAT_MODULE_PATH = None
        assert dates._plans == {}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("zone", [None, "Asia/Makassar", "UTC"])
def test_the_moment_writer_writes_what_when_writes(language, zone):
    """trackcase.py writes a page's moments with one `moment_writer()`: the same text as the
    filter, in the active time zone and language, for anything it is given."""
    from django.utils import timezone

    from aduan.core.templatetags.dates import moment_writer, when

    values: list[object] = [
        dt.datetime(2025, 8, 17, 7, 5, 9, 123456, tzinfo=dt.UTC),
        dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=JAKARTA),
        dt.datetime(2024, 2, 29, 0, 0, tzinfo=ZoneInfo("America/New_York")),
        dt.datetime(2025, 8, 17, 7, 5),  # naive
        dt.date(2025, 8, 17), None, "", "teks",
    ]
    # None: no zone activated, the default one, as in every request.
    with translation.override(language), timezone.override(ZoneInfo(zone) if zone else None):
        write = moment_writer()
        for value in values:
            assert write(value) == str(when(value)), value

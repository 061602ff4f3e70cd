"""The regency table's body drawn by `regency_rows` (and its total's forwarding cells by
`transfer_cells`, issue 18) is the HTML the template's loop and include drew before: on the
dashboard and an office's page, and on edge cases, in both languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from hypothesis import given, settings
from hypothesis import strategies as st

from aduan.accounts.models import Role
from aduan.accounts.testing import login_verified
from aduan.oversight.selectors import Figures, RegencyFigures, TransferFigures
from aduan.oversight.templatetags.oversight_table import _grouped
from aduan.reports.selectors import Period

pytestmark = pytest.mark.django_db

# oversight/_transfer_cells.html and the loop of oversight/_table.html as they were before
# the tags.
CELLS = ('<td class="num">{{ hops.sent|intcomma }}</td><td class="num">{% if hops.sent %}'
         '{{ hops.median_days|floatformat:"0" }} / {{ hops.max_days }}{% else %}–{% endif %}'
         '</td><td class="num{% if hops.refused %} is-overdue{% endif %}">'
         "{{ hops.refused|intcomma }}</td>")
LOOP = Template(
    "{% load i18n humanize l10n reports_format %}"
    "<tbody>{% with max_total=figures.max_total %}{% for r in figures.rows %}"
    '<tr data-key="{{ r.key }}">\n'
    '    <th scope="row">{% if link_offices %}<a href="{{ office_link.0 }}{{ r.key }}'
    '{{ office_link.1 }}?{{ query }}">{{ r.label }}</a>{% else %}{{ r.label }}{% endif %}</th>\n'
    '    <td class="num"><span class="cell-value">{{ r.total|intcomma }}</span>'
    '{% if max_total %}<meter class="cell-bar" aria-hidden="true" min="0" '
    'max="{{ max_total|unlocalize }}" value="{{ r.total|unlocalize }}"></meter>{% endif %}</td>\n'
    '    <td class="num">{{ r.in_process|intcomma }}</td>\n'
    '    <td class="num{% if r.overdue %} is-overdue{% endif %}">{{ r.overdue|intcomma }}</td>\n'
    '    <td class="num">{{ r.settled|intcomma }} <small>({{ r.settled_share|pct }})</small>'
    "</td>\n"
    '    <td class="num"><span class="cell-value">{{ r.on_time_share|pct }}</span>'
    '{% if r.on_time_share is not None %}<meter class="cell-bar" aria-hidden="true" min="0" '
    'max="{{ r.settled|unlocalize }}" value="{{ r.on_time|unlocalize }}"></meter>{% endif %}'
    "</td>\n"
    '    {% if with_ikm %}<td class="num">{% if r.ikm.respondents %}{{ r.ikm.ikm }} <small>('
    "{{ r.ikm.grade.letter }}, {% blocktranslate count n=r.ikm.respondents %}{{ n }} responden"
    "{% plural %}{{ n }} responden{% endblocktranslate %})</small>{% else %}–{% endif %}</td>"
    "{% endif %}\n"
    "    {% if with_transfers %}{% with hops=r.transfers %}" + CELLS + "{% endwith %}{% endif %}\n"
    "  </tr>{% empty %}<tr><td colspan=\"{% if with_ikm %}7{% else %}6{% endif %}\">"
    '{% translate "Belum ada data pada periode ini." %}</td></tr>{% endfor %}{% endwith %}'
    "</tbody>|{% with hops=figures.total.transfers %}" + CELLS + "{% endwith %}")
TAGS = Template(
    "{% load oversight_table %}<tbody>{% regency_rows figures link_offices=link_offices "
    "with_ikm=with_ikm with_transfers=with_transfers office_link=office_link query=query %}"
    "</tbody>|{% transfer_cells figures.total.transfers %}")


def _both(context: dict) -> tuple[str, str]:
    return LOOP.render(Context(context)), TAGS.render(Context(context))


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_dashboard_and_office_tables_are_unchanged(regency, make_staff, client, language):
    login_verified(client, make_staff("pengawas", regency.c, Role.OVERSIGHT))
    client.cookies["django_language"] = language
    query = {"start": "2025-01-01", "end": "2025-06-30"}
    pages = [(reverse("oversight:dashboard"), {"link_offices": True, "with_ikm": True,
                                                "with_transfers": True}),
             (reverse("oversight:office", args=[regency.a.code]), {})]
    for url, flags in pages:
        response = client.get(url, query)
        assert response.status_code == 200
        context = {key: response.context.get(key)
                   for key in ("figures", "office_link", "query")} | flags
        assert context["figures"].rows
        with translation.override(language):
            before, after = _both(context)
        assert after == before
        body = after.split("|")[0]
        assert body in response.content.decode()
    assert "Dinas B" in body or "Bidang" in body


def _ikm(respondents: int, value: str | None, letter: str | None) -> SimpleNamespace:
    grade = SimpleNamespace(letter=letter) if letter else None
    return SimpleNamespace(respondents=respondents, ikm=Decimal(value) if value else None,
                           grade=grade)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("flags", [
    {"link_offices": True, "with_ikm": True, "with_transfers": True},
    {"link_offices": False, "with_ikm": False, "with_transfers": False},
    {"link_offices": "", "with_ikm": True, "with_transfers": ""},
])
def test_edge_cases_are_drawn_as_the_loop_drew_them(language, flags):
    period = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    rows = [
        Figures("a&b", 'Dinas "A" <&>', total=1234567, settled=1000001, overdue=12,
                on_time=999999, late=2, ikm=_ikm(1, "82.57", "B"),
                transfers=TransferFigures(sent=1500, refused=3, median_days=2.5, max_days=1234)),
        Figures("b", "Dinas B", total=3, settled=0, ikm=_ikm(2345, "100.00", "A"),
                transfers=TransferFigures()),
        Figures("c", "", ikm=_ikm(0, None, None), transfers=None),
        Figures("d", "Dinas D", total=2, settled=2, on_time=0, late=2,
                ikm=_ikm(3, "60", None),
                transfers=TransferFigures(sent=1, refused=0, median_days=0.0, max_days=0)),
        Figures("e", "Dinas E", total=5, settled=5, on_time=5, ikm=None),
    ]
    empty_total = RegencyFigures(period=period, as_of=period.end, rows=[
        Figures("z", "Dinas Z", transfers=TransferFigures())])
    for figures in (RegencyFigures(period=period, as_of=period.end, rows=rows),
                    empty_total,
                    RegencyFigures(period=period, as_of=period.end, rows=[])):
        figures.total.transfers = TransferFigures(sent=7, refused=1, median_days=3.0,
                                                  max_days=9)
        context = {"figures": figures, "office_link": ("/desk/kabupaten/", "/"),
                   "query": "start=2025-01-01&end=2025-06-30"} | flags
        with translation.override(language):
            before, after = _both(context)
        assert after == before
    with translation.override(language):
        before, after = _both({"figures": RegencyFigures(period=period, as_of=period.end,
                                                         rows=rows),
                               "office_link": ("/a/", "/"), "query": "x=1&y=2",
                               "link_offices": True, "with_ikm": True, "with_transfers": True})
    assert after == before
    assert "&amp;y=2" in after and "Dinas &quot;A&quot; &lt;&amp;&gt;" in after
    assert ("1.234.567" if language == "id" else "1,234,567") in after
    assert ("2345 respondents" if language == "en" else "2345 responden") in after


@pytest.mark.parametrize("language", ["id", "en"])
@given(value=st.one_of(st.integers(min_value=-10**15, max_value=10**15),
                       st.decimals(min_value=-10**9, max_value=10**9, places=0),
                       st.booleans()))
@settings(max_examples=200, deadline=None)
def test_the_fast_grouping_is_intcomma(language, value):
    with translation.override(language):
        assert _grouped()(value) == str(conditional_escape(intcomma(value)))


# The loop of portal/statistics_regency.html before `public_regency_rows`.
PUBLIC_LOOP = Template(
    "{% load humanize l10n %}<tbody>{% for r, url in rows %}<tr data-key=\"{{ r.code }}\">\n"
    '      <th scope="row"><a href="{{ url }}{% if stats.year %}?tahun='
    '{{ stats.year|unlocalize }}{% endif %}">{{ r.name }}</a></th>\n'
    '      <td class="num">{{ r.total|intcomma }}</td>\n'
    '      <td class="num">{{ r.settled|intcomma }}</td>\n'
    '      <td class="num">{{ r.in_process|intcomma }}</td>\n'
    '      <td class="num"><span class="cell-value">{% if r.share_within_deadline is not None %}'
    "{{ r.share_within_deadline }}%{% else %}–{% endif %}</span>{% if r.settled %}"
    '<meter class="cell-bar" aria-hidden="true" min="0" max="{{ r.settled|unlocalize }}" '
    'value="{{ r.settled_within_deadline|unlocalize }}"></meter>{% endif %}</td>\n'
    '      <td class="num">{% if r.ikm.respondents %}{{ r.ikm.ikm }} <small>('
    "{{ r.ikm.grade.letter }})</small>{% else %}–{% endif %}</td>\n"
    "    </tr>{% endfor %}</tbody>")
PUBLIC_TAG = Template(
    "{% load oversight_table %}<tbody>{% public_regency_rows rows stats.year %}</tbody>")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_public_regency_table_is_unchanged(regency, client, language):
    client.cookies["django_language"] = language
    for params in ({}, {"tahun": "semua"}, {"tahun": "2025"}):
        response = client.get(reverse("portal:statistics-regency"), params)
        assert response.status_code == 200
        context = {"rows": response.context["rows"], "stats": response.context["stats"]}
        assert context["rows"]
        with translation.override(language):
            before = PUBLIC_LOOP.render(Context(context))
            after = PUBLIC_TAG.render(Context(context))
        assert after == before
        assert after in response.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("year", [None, 2025])
def test_public_edge_cases_are_drawn_as_the_loop_drew_them(language, year):
    from aduan.oversight.selectors import PublicOfficeRow

    rows = [
        (PublicOfficeRow("a&b", 'Dinas "A" <&>', 1234567, 1000001, 999999,
                         _ikm(3, "82.57", "B")), "/instansi/a&b/statistik/"),
        (PublicOfficeRow("b", "Dinas B", 3, 0, 0, _ikm(0, None, None)), "/b/"),
        (PublicOfficeRow("c", "", 0, 0, 0, None), "/c/"),
        (PublicOfficeRow("d", "Dinas D", 3, 3, 1, _ikm(1, "60", None)), "/d/"),
    ]
    context = {"rows": rows, "stats": SimpleNamespace(year=year)}
    with translation.override(language):
        before = PUBLIC_LOOP.render(Context(context))
        after = PUBLIC_TAG.render(Context(context))
    assert after == before
    assert ("33,3%" if language == "id" else "33.3%") in after

"""The regency table's lines drawn in Python (issue 18): one tag for the body of 50 offices
instead of a `{% for %}` of some 25 variable nodes, filters, a plural `{% blocktranslate %}`
and an `{% include %}` per line (~12 ms of CPU at 50 offices, docs/benchmarks.md). The HTML is
byte for byte what the loop drew (oversight/tests/test_table_tag.py compares them in both
languages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from aduan.reports.templatetags.reports_format import intcomma_for_ints, pct

register = template.Library()


def _out(value: Any) -> str:
    """`{{ value }}`: localised, then escaped (Django's `render_value_in_context`)."""
    return str(conditional_escape(localize(value)))


def _num(value: Any) -> str:
    """`{{ value|intcomma }}`."""
    return str(conditional_escape(intcomma(value)))


def _grouped() -> Callable[[Any], str]:
    """`_num` for the current language, fast for an int (reports_format.intcomma_for_ints;
    oversight/tests/test_table_tag.py holds the two equal)."""
    return intcomma_for_ints(_num, html=True)


def _raw(value: Any) -> str:
    """`{{ value|unlocalize }}`."""
    return str(conditional_escape(str(value)))


def _transfer_cells(hops: Any, num: Callable[[Any], str] = _num) -> str:
    """oversight/_transfer_cells.html: hops sent, median / longest working days, refused."""
    if hops is None:  # the template's lookups on None render as empty strings
        return '<td class="num"></td><td class="num">–</td><td class="num"></td>'
    days = (f"{conditional_escape(floatformat(hops.median_days, '0'))} / "
            f"{_out(hops.max_days)}") if hops.sent else "–"
    refused = " is-overdue" if hops.refused else ""
    return (f'<td class="num">{num(hops.sent)}</td><td class="num">{days}</td>'
            f'<td class="num{refused}">{num(hops.refused)}</td>')


@register.simple_tag
def transfer_cells(hops: Any) -> SafeString:
    """The three forwarding cells of a line (the table's total line)."""
    return mark_safe(_transfer_cells(hops))  # noqa: S308 - every value escaped above


def _ikm_cell(ikm: Any) -> str:
    if ikm is None or not ikm.respondents:
        return '<td class="num">–</td>'
    letter = ikm.grade.letter if ikm.grade is not None else ""
    respondents = ngettext("%(n)s responden", "%(n)s responden", ikm.respondents) % {
        "n": _out(ikm.respondents)}
    return (f'<td class="num">{_out(ikm.ikm)} <small>({_out(letter)}, {respondents})'
            "</small></td>")


@register.simple_tag
def regency_rows(figures: Any, *, link_offices: Any, with_ikm: Any, with_transfers: Any,
                 office_link: Any, query: Any) -> SafeString:
    """The table's body: a line per office (linked to its page when `link_offices`) or unit,
    with the IKM cell when `with_ikm` and the forwarding cells when `with_transfers`."""
    rows = figures.rows
    if not rows:
        colspan = 7 if with_ikm else 6
        return mark_safe(  # noqa: S308 - a translated constant, escaped
            f'<tr><td colspan="{colspan}">'
            f"{conditional_escape(gettext('Belum ada data pada periode ini.'))}</td></tr>")
    max_total = figures.max_total
    num = _grouped()
    if link_offices:
        before, after = _out(office_link[0]), _out(office_link[1])
        tail = f"{after}?{_out(query)}"
    out = []
    for r in rows:
        label = _out(r.label)
        name = f'<a href="{before}{_out(r.key)}{tail}">{label}</a>' if link_offices else label
        bar = (f'<meter class="cell-bar" aria-hidden="true" min="0" max="{_raw(max_total)}" '
               f'value="{_raw(r.total)}"></meter>') if max_total else ""
        share = r.on_time_share
        on_time_bar = (f'<meter class="cell-bar" aria-hidden="true" min="0" '
                       f'max="{_raw(r.settled)}" value="{_raw(r.on_time)}"></meter>'
                       ) if share is not None else ""
        overdue = " is-overdue" if r.overdue else ""
        out.append(
            f'<tr data-key="{_out(r.key)}">\n'
            f'    <th scope="row">{name}</th>\n'
            f'    <td class="num"><span class="cell-value">{num(r.total)}</span>{bar}</td>\n'
            f'    <td class="num">{num(r.in_process)}</td>\n'
            f'    <td class="num{overdue}">{num(r.overdue)}</td>\n'
            f'    <td class="num">{num(r.settled)} <small>({_out(pct(r.settled_share))})'
            "</small></td>\n"
            f'    <td class="num"><span class="cell-value">{_out(pct(share))}</span>'
            f"{on_time_bar}</td>\n"
            f"    {_ikm_cell(r.ikm) if with_ikm else ''}\n"
            f"    {_transfer_cells(r.transfers, num) if with_transfers else ''}\n"
            "  </tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


@register.simple_tag
def public_regency_rows(rows: Any, year: Any) -> SafeString:
    """The body of the public regency statistics' table (portal/statistics_regency.html):
    an office's name linked to its own statistics page (for `year` when set), its counts,
    the share settled within the deadline with its bar, and its IKM."""
    num = _grouped()
    query = f"?tahun={_raw(year)}" if year else ""
    out = []
    for r, url in rows:
        share = r.share_within_deadline
        bar = (f'<meter class="cell-bar" aria-hidden="true" min="0" max="{_raw(r.settled)}" '
               f'value="{_raw(r.settled_within_deadline)}"></meter>') if r.settled else ""
        ikm = r.ikm
        ikm_cell = (f"{_out(ikm.ikm)} <small>({_out(ikm.grade.letter if ikm.grade else '')})"
                    "</small>") if ikm is not None and ikm.respondents else "–"
        out.append(
            f'<tr data-key="{_out(r.code)}">\n'
            f'      <th scope="row"><a href="{_out(url)}{query}">{_out(r.name)}</a></th>\n'
            f'      <td class="num">{num(r.total)}</td>\n'
            f'      <td class="num">{num(r.settled)}</td>\n'
            f'      <td class="num">{num(r.in_process)}</td>\n'
            f'      <td class="num"><span class="cell-value">'
            f"{'–' if share is None else _out(share) + '%'}</span>{bar}</td>\n"
            f'      <td class="num">{ikm_cell}</td>\n'
            "    </tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above

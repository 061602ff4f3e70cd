"""The dashboard's table bodies drawn by `count_rows` and `overdue_rows` (issue 18) are the
HTML the template's loops drew before, on the demo's page and on edge cases."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from aduan.accounts.testing import login_verified
from aduan.reports.selectors import Row

pytestmark = pytest.mark.django_db

# The loops as they were in reports/dashboard.html before the tags.
LOOPS = Template(
    "{% load humanize %}"
    "<tbody>{% for row in rows %}<tr><td>{{ row.label }}</td><td>{{ row.count|intcomma }}"
    "</td><td>{{ row.settled|intcomma }}</td></tr>{% endfor %}</tbody>"
    "|<tbody>{% for c in overdue_cases %}<tr>\n"
    "      <td><a href=\"{% url 'desk:complaint-detail' c.pk %}\">{{ c.register_number }}"
    "</a></td>\n"
    '      <td>{{ c.received_on|when:"short" }}</td><td>{{ c.due_on|when:"short" }}</td>\n'
    '      <td>{{ c.unit.name|default:"-" }}</td><td><bdi>{{ c.subject }}</bdi></td></tr>'
    "{% endfor %}</tbody>"
)
TAGS = Template(
    "{% load reports_format %}<tbody>{% count_rows rows %}</tbody>"
    "|<tbody>{% overdue_rows overdue_cases %}</tbody>"
)


def _both(rows, cases) -> tuple[str, str]:
    context = {"rows": rows, "overdue_cases": cases}
    return LOOPS.render(Context(context)), TAGS.render(Context(context))


def test_the_demo_dashboards_tables_are_unchanged(client, demo_users):
    login_verified(client, demo_users["kadis"])
    response = client.get(
        reverse("reports:dashboard"), {"start": "2025-01-01", "end": "2025-06-30"}
    )
    page = response.content.decode()
    cases = list(response.context["overdue_cases"])
    assert cases
    before, after = _both([], cases)
    assert after == before
    assert after.split("|")[1] in page
    for key, _title, rows in response.context["charts"]:
        assert rows
        before, after = _both(rows, [])
        assert after == before
        body = after.split("|")[0]
        assert re.search(f'id="table-{key}">.*?{re.escape(body)}', page, re.S)


@pytest.mark.parametrize("language", ["id", "en"])
def test_edge_cases_are_drawn_as_the_loops_drew_them(language):
    rows = [Row("a", "Jalan & <jembatan>", 1234567, 999), Row("b", "", 0, 0)]
    cases = [
        SimpleNamespace(
            pk=7,
            register_number="ADU/2025/<7>",
            received_on=dt.date(2025, 1, 2),
            due_on=dt.date(2025, 1, 30),
            unit=None,
            subject='"Kutip" & <b>',
        ),
        SimpleNamespace(
            pk=12345,
            register_number="ADU/2025/8",
            received_on=None,
            due_on=dt.date(2025, 2, 3),
            unit=SimpleNamespace(name=""),
            subject="x",
        ),
        SimpleNamespace(
            pk=9,
            register_number="ADU/2025/9",
            received_on=dt.date(2025, 3, 4),
            due_on=dt.date(2025, 3, 5),
            unit=SimpleNamespace(name="Bidang <A>"),
            subject="",
        ),
    ]
    with translation.override(language):
        before, after = _both(rows, cases)
    assert after == before
    assert "1,234,567" in after or "1.234.567" in after
    assert "&lt;b&gt;" in after and "<td>-</td>" in after

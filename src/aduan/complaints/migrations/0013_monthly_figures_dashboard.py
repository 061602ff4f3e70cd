"""The monthly roll-up (complaints/figures.py) also sums the channel, service type and
working-days figures, and the status figures per unit (the UNIT dimension, key: the unit's id,
"" for none), so the desk dashboard reads a semester's whole months from it (issue 18) instead
of summing every day's cells per (dimension, key, unit).

No schema change: new rows of `MonthlyFigure`, filled from the daily figures by one
INSERT ... SELECT (a UNION ALL of two GROUP BYs) inside the migration's transaction; the month's
first day per database as in 0012. The daily figures stay the source of truth
(`manage.py rebuild_daily_figures` rebuilds both, `--check` compares them). A worker of the
previous release still writing while this runs would not add its increments to the new rows:
run it with the workers stopped, or rebuild after. Reversible: the new rows are deleted.
"""

from django.db import migrations

_MONTH = {
    "postgresql": "date_trunc('month', day)::date",
    "sqlite": "date(day, 'start of month')",
}
_FILL = """
INSERT INTO complaints_monthlyfigure (office_id, month, dimension, key, count, settled)
SELECT office_id, {month}, dimension, key, SUM(count), SUM(settled)
FROM complaints_dailyfigure
WHERE dimension IN ('channel', 'service', 'days')
GROUP BY office_id, {month}, dimension, key
UNION ALL
SELECT office_id, {month}, 'unit', COALESCE(CAST(unit_id AS TEXT), ''), SUM(count),
       SUM(settled)
FROM complaints_dailyfigure
WHERE dimension = 'status'
GROUP BY office_id, {month}, COALESCE(CAST(unit_id AS TEXT), '')
"""


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(_FILL.format(month=_MONTH[connection.vendor]))


def empty(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_monthlyfigure "
                       "WHERE dimension IN ('channel', 'service', 'days', 'unit')")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0012_monthly_figures"),
    ]

    operations = [
        migrations.RunPython(fill, empty),
    ]

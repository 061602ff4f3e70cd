"""The monthly roll-up of the status and deadline daily figures (complaints/figures.py), so
the regency table reads a period's whole months from a row per office, month and key instead
of summing every day (five years of 50 offices: about 1.2 million daily-figure rows at
5,000,000 cases).

Filled from the daily figures by one INSERT ... SELECT ... GROUP BY inside the migration's
transaction (the daily figures are the source of truth; `manage.py rebuild_daily_figures`
rebuilds both). The month's first day is computed per database: `date_trunc` on PostgreSQL,
`date(..., 'start of month')` on SQLite. Reversible: the table is dropped.
"""

import django.db.models.deletion
from django.db import migrations, models

_MONTH = {
    "postgresql": "date_trunc('month', day)::date",
    "sqlite": "date(day, 'start of month')",
}
_FILL = """
INSERT INTO complaints_monthlyfigure (office_id, month, dimension, key, count, settled)
SELECT office_id, {month}, dimension, key, SUM(count), SUM(settled)
FROM complaints_dailyfigure
WHERE dimension IN ('status', 'deadline')
GROUP BY office_id, {month}, dimension, key
"""


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(_FILL.format(month=_MONTH[connection.vendor]))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_deadline_figures_per_unit"),
        ("offices", "0006_channel_sends_as"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("dimension", models.CharField(max_length=12)),
                ("key", models.CharField(blank=True, max_length=40)),
                ("count", models.IntegerField(default=0)),
                ("settled", models.IntegerField(default=0)),
                (
                    "office",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="offices.office",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("office", "dimension", "month", "key"), name="figure_month_key"
                    )
                ],
                "indexes": [
                    models.Index(
                        fields=["office", "dimension", "month", "key", "count", "settled"],
                        name="figure_month_all",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

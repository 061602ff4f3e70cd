"""The daily figures count settled on time / late per unit too, in a dimension of their own
("unitdeadline", complaints/figures.py `cells_from_rows`), so the oversight's drill-down per
unit reads the figures instead of grouping the office's settled cases of the period (93,898
cases of opd-01's semester at 5,000,000: 175 ms). The "deadline" cells per office stay as they
are: the dashboards that sum them read no more rows.

The new cells are counted from the cases in one INSERT ... SELECT (the same folding as
`cells_from_rows`: a settled case with a settlement date counts once, on time when settled on
or before its due date), inside the migration's transaction. Reversible (the cells deleted).
"""

from django.db import migrations

_FILL = """
INSERT INTO complaints_dailyfigure (office_id, day, dimension, key, unit_id, count, settled)
SELECT office_id, received_on, 'unitdeadline',
       CASE WHEN settled_on <= due_on THEN 'on_time' ELSE 'late' END, unit_id,
       COUNT(*), COUNT(*)
FROM complaints_complaint
WHERE status IN ('answered', 'closed', 'referred', 'withdrawn') AND settled_on IS NOT NULL
GROUP BY 1, 2, 4, 5
"""
_DELETE = "DELETE FROM complaints_dailyfigure WHERE dimension = 'unitdeadline'"


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0010_open_work_filter_indexes'),
    ]

    operations = [
        migrations.RunSQL(sql=[_DELETE, _FILL], reverse_sql=[_DELETE]),
    ]

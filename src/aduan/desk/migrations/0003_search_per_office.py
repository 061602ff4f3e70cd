"""PostgreSQL: the keyword search's name branch reads one office (issue 18, 50 offices on one
instance).

The search finds the reporters whose name matches (desk_reporter_name_fts) and then only the
viewer's office's cases of those reporters, through (office_id, reporter_id), instead of all
their cases in the instance before the office narrows them (complaints/search.py).

A GIN index on (office_id, text) through the btree_gin extension was measured too and not kept:
the planner never used its office column (it combined the text GIN with the office's b-tree
index in a BitmapAnd instead), docs/benchmarks.md, "Keyword search in one office".

SQLite: nothing to do.
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX desk_complaint_office_reporter ON complaints_complaint (office_id, reporter_id)",
]
BACKWARD = ["DROP INDEX IF EXISTS desk_complaint_office_reporter"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_postgres_split_slashes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

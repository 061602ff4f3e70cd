"""PostgreSQL: index "OSS/NIB", "PBG/IMB" as separate words.

The default text parser reads "OSS/NIB" as one file-path token, so a search for "nib" missed
it (SQLite's unicode61 tokenizer already splits on "/"). The expression now turns slashes into
spaces; the search code uses the same expression (complaints/search.py).
"""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS desk_complaint_fts",
    "CREATE INDEX desk_complaint_fts ON complaints_complaint "
    "USING gin (to_tsvector('simple', translate(subject || ' ' || description, '/', ' ')))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS desk_complaint_fts",
    "CREATE INDEX desk_complaint_fts ON complaints_complaint "
    "USING gin (to_tsvector('simple', subject || ' ' || description))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_keyword_search_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

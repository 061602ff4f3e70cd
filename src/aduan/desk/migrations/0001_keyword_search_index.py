"""Full-text index for the inbox keyword search (subject, description, reporter name).

SQLite: an FTS5 table with external content (a view joining the reporter's name), kept in step
by triggers on complaints_complaint and complaints_reporter. PostgreSQL: GIN indexes on
to_tsvector('simple', ...) expressions; 'simple' because the texts mix Indonesian, names and
permit acronyms that a stemmer would mangle. The SQL differs per vendor, so each operation runs
only on its own database; both are reversible.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIEW desk_complaint_search_source AS
    SELECT c.id AS id, c.subject AS subject, c.description AS description,
           COALESCE(r.name, '') AS reporter_name
    FROM complaints_complaint c LEFT JOIN complaints_reporter r ON r.id = c.reporter_id
    """,
    """
    CREATE VIRTUAL TABLE desk_complaint_fts USING fts5(
        subject, description, reporter_name,
        content='desk_complaint_search_source', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER desk_complaint_fts_ai AFTER INSERT ON complaints_complaint BEGIN
        INSERT INTO desk_complaint_fts(rowid, subject, description, reporter_name)
        VALUES (new.id, new.subject, new.description,
                COALESCE((SELECT name FROM complaints_reporter WHERE id = new.reporter_id), ''));
    END
    """,
    """
    CREATE TRIGGER desk_complaint_fts_ad AFTER DELETE ON complaints_complaint BEGIN
        INSERT INTO desk_complaint_fts(desk_complaint_fts, rowid, subject, description,
                                       reporter_name)
        VALUES ('delete', old.id, old.subject, old.description,
                COALESCE((SELECT name FROM complaints_reporter WHERE id = old.reporter_id), ''));
    END
    """,
    """
    CREATE TRIGGER desk_complaint_fts_au
    AFTER UPDATE OF subject, description, reporter_id ON complaints_complaint BEGIN
        INSERT INTO desk_complaint_fts(desk_complaint_fts, rowid, subject, description,
                                       reporter_name)
        VALUES ('delete', old.id, old.subject, old.description,
                COALESCE((SELECT name FROM complaints_reporter WHERE id = old.reporter_id), ''));
        INSERT INTO desk_complaint_fts(rowid, subject, description, reporter_name)
        VALUES (new.id, new.subject, new.description,
                COALESCE((SELECT name FROM complaints_reporter WHERE id = new.reporter_id), ''));
    END
    """,
    # A reporter's name changes (correction, anonymisation at the end of retention): re-index
    # each of their complaints with the old name removed and the new one added.
    """
    CREATE TRIGGER desk_reporter_fts_au AFTER UPDATE OF name ON complaints_reporter BEGIN
        INSERT INTO desk_complaint_fts(desk_complaint_fts, rowid, subject, description,
                                       reporter_name)
        SELECT 'delete', c.id, c.subject, c.description, COALESCE(old.name, '')
        FROM complaints_complaint c WHERE c.reporter_id = old.id;
        INSERT INTO desk_complaint_fts(rowid, subject, description, reporter_name)
        SELECT c.id, c.subject, c.description, COALESCE(new.name, '')
        FROM complaints_complaint c WHERE c.reporter_id = new.id;
    END
    """,
    "INSERT INTO desk_complaint_fts(desk_complaint_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS desk_reporter_fts_au",
    "DROP TRIGGER IF EXISTS desk_complaint_fts_au",
    "DROP TRIGGER IF EXISTS desk_complaint_fts_ad",
    "DROP TRIGGER IF EXISTS desk_complaint_fts_ai",
    "DROP TABLE IF EXISTS desk_complaint_fts",
    "DROP VIEW IF EXISTS desk_complaint_search_source",
]

POSTGRES_FORWARD = [
    "CREATE INDEX desk_complaint_fts ON complaints_complaint "
    "USING gin (to_tsvector('simple', subject || ' ' || description))",
    "CREATE INDEX desk_reporter_name_fts ON complaints_reporter "
    "USING gin (to_tsvector('simple', name))",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS desk_reporter_name_fts",
    "DROP INDEX IF EXISTS desk_complaint_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial_case_file"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]

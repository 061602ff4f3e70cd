"""PostgreSQL: the distinct words of reporters' names, so that the desk's search expands a
typed word's beginning to the exact name words that begin with it (issue 17).

The name index (desk_reporter_name_fts) matches a word's beginning (`'rahmat':*`) by first
collecting every reporter of every matching word into a bitmap, then ANDing the bitmaps: for a
full name of two common words at 1,000,000 reporters ('rahmat hidayat', about 48,000 reporters
per word) that alone cost 50-80 ms. Exact words (`'rahmat' & 'hidayat'`) are ANDed by skipping
through the index's posting trees. complaints/search.py looks the typed beginnings up in this
table and queries the name index with the words found; the results are the same as long as the
table holds every word of every name (words of names since changed or erased may stay: they
match no one).

Kept by statement triggers on complaints_reporter, like the SQLite index's triggers of 0001:
every path that writes a name (the services, the generator's COPY, the admin, a fixture) is
covered, where a call in each service could miss one and silently drop matches. The words are
the lexemes of the name index's own expression, inserted in order (two registrations adding
the same two new words cannot deadlock). Collation "C": a word's beginning is a range of the
primary key.

SQLite: nothing to do (its FTS5 index matches prefixes from its own term index).
"""

from django.db import migrations

FORWARD = [
    'CREATE TABLE desk_reporter_name_word (word text COLLATE "C" PRIMARY KEY)',
    """
    CREATE FUNCTION desk_reporter_name_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO desk_reporter_name_word (word)
        SELECT DISTINCT w.word COLLATE "C"
        FROM new_rows r, unnest(tsvector_to_array(to_tsvector('simple', r.name))) AS w(word)
        ORDER BY 1
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER desk_reporter_name_word_ai AFTER INSERT ON complaints_reporter
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION desk_reporter_name_word_add()
    """,
    """
    CREATE TRIGGER desk_reporter_name_word_au AFTER UPDATE ON complaints_reporter
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION desk_reporter_name_word_add()
    """,
    """
    INSERT INTO desk_reporter_name_word (word)
    SELECT DISTINCT w.word COLLATE "C"
    FROM complaints_reporter r, unnest(tsvector_to_array(to_tsvector('simple', r.name))) AS w(word)
    ON CONFLICT DO NOTHING
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS desk_reporter_name_word_au ON complaints_reporter",
    "DROP TRIGGER IF EXISTS desk_reporter_name_word_ai ON complaints_reporter",
    "DROP FUNCTION IF EXISTS desk_reporter_name_word_add()",
    "DROP TABLE IF EXISTS desk_reporter_name_word",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("desk", "0003_search_per_office")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

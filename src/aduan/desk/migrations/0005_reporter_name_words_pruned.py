"""PostgreSQL: the words of a name that was erased or corrected leave desk_reporter_name_word
when no other name has them (review of session 10, issue 17).

0004 only ever added words ("words of names since changed or erased may stay: they match no
one"). But the table is personal data too: after a reporter's erasure (complaints.retention,
on request or at the end of the retention period: the name set to "") a rare family name stayed
in the database for good, which the erasure must not allow (SPEC §6, UU 27/2022).

A statement trigger after UPDATE (and DELETE) of complaints_reporter takes the words of the
names that changed and deletes those no name has any more (asked of the name index,
desk_reporter_name_fts, one probe per word). A statement that changes no name (most updates)
finds no word and does nothing else.

The race with a registration that adds the same word: the adding trigger's INSERT ... ON
CONFLICT DO NOTHING finds the word present and does nothing, and the pruning statement, not
seeing the uncommitted new name, would delete it: the new reporter would then not be found by
that word's beginnings. So the adding trigger holds a shared advisory lock (until its
transaction ends) and the pruning one an exclusive one before it looks: a pruning waits for the
registrations in flight to commit (their names then seen), and a registration during a pruning
waits for it and then inserts the word again. Names are pruned rarely (erasure, correction);
the shared lock costs a registration one lock call.
"""

from django.db import migrations

LOCK = "1483100000, 0"  # advisory lock (two-key form); figures.py uses first key 1483000000

ADD = f"""
CREATE OR REPLACE FUNCTION desk_reporter_name_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({LOCK});
    INSERT INTO desk_reporter_name_word (word)
    SELECT DISTINCT w.word COLLATE "C"
    FROM new_rows r, unnest(tsvector_to_array(to_tsvector('simple', r.name))) AS w(word)
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""  # noqa: S608 - module constants only

# Words still in some name: the name index, asked for the exact word (quoted as tsquery input
# wants, as complaints/search.py quotes it).
_UNUSED = """
    NOT EXISTS (SELECT 1 FROM complaints_reporter r
                WHERE to_tsvector('simple', r.name) @@ ('''' || replace(replace(d.word, '\\',
                      '\\\\'), '''', '''''') || '''')::tsquery)
"""

PRUNE = f"""
CREATE FUNCTION desk_reporter_name_word_prune() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone text[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT w.word) INTO gone
        FROM old_rows o JOIN new_rows n ON n.id = o.id,
             unnest(tsvector_to_array(to_tsvector('simple', o.name))) AS w(word)
        WHERE n.name IS DISTINCT FROM o.name;
    ELSE
        SELECT array_agg(DISTINCT w.word) INTO gone
        FROM old_rows o, unnest(tsvector_to_array(to_tsvector('simple', o.name))) AS w(word);
    END IF;
    IF gone IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK});
    DELETE FROM desk_reporter_name_word d
    WHERE d.word = ANY(gone COLLATE "C") AND {_UNUSED};
    RETURN NULL;
END
$$
"""  # noqa: S608 - module constants only

FORWARD = [
    ADD,
    PRUNE,
    """
    CREATE TRIGGER desk_reporter_name_word_pu AFTER UPDATE ON complaints_reporter
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION desk_reporter_name_word_prune()
    """,
    """
    CREATE TRIGGER desk_reporter_name_word_pd AFTER DELETE ON complaints_reporter
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION desk_reporter_name_word_prune()
    """,
    # The words already left behind since 0004.
    f"SELECT pg_advisory_xact_lock({LOCK})",
    f"DELETE FROM desk_reporter_name_word d WHERE {_UNUSED}",  # noqa: S608 - constants
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS desk_reporter_name_word_pd ON complaints_reporter",
    "DROP TRIGGER IF EXISTS desk_reporter_name_word_pu ON complaints_reporter",
    "DROP FUNCTION IF EXISTS desk_reporter_name_word_prune()",
    """
    CREATE OR REPLACE FUNCTION desk_reporter_name_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
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
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("desk", "0004_reporter_name_words")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

"""PostgreSQL: a reporter's UPDATE takes the name-words lock only when it changes a name, and
then the exclusive one at once (review of session 10, issue 17).

0005 made the adding trigger (desk_reporter_name_word_au, after every UPDATE of
complaints_reporter) take the shared advisory lock, and the pruning trigger after it
(desk_reporter_name_word_pu) the exclusive one when a name changed. Two transactions that both
held the shared lock and then both asked for the exclusive one waited for each other:
PostgreSQL found the deadlock and aborted one of them. Two concurrent renamings or erasures of
different reporters (one row each, started together) deadlocked in 6 rounds of 40, two
statements of 2,000 rows each in 26 of 40; a transaction that had updated any reporter (any
column: the shared lock stays until it ends) and then renamed one deadlocked with every
erasure in between, each time.

Now the UPDATE trigger adds the words of the changed names only (an unchanged name's words are
there, and the pruning sees its committed row), takes no lock when no name changed, and takes
the exclusive lock, which the pruning then holds already, when one did. INSERTs keep the shared
lock (registrations do not wait for each other); a transaction that inserts a reporter and then
renames one in the same transaction can still deadlock with another doing the same (no code
path does so).
"""

from django.db import migrations

LOCK = "1483100000, 0"  # as desk/0005

ADD_CHANGED = f"""
CREATE FUNCTION desk_reporter_name_word_add_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added text[];
BEGIN
    SELECT array_agg(DISTINCT w.word) INTO added
    FROM old_rows o JOIN new_rows n ON n.id = o.id,
         unnest(tsvector_to_array(to_tsvector('simple', n.name))) AS w(word)
    WHERE n.name IS DISTINCT FROM o.name;
    IF added IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK});
    INSERT INTO desk_reporter_name_word (word)
    SELECT w.word COLLATE "C" FROM unnest(added) AS w(word)
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""  # noqa: S608 - module constants only

FORWARD = [
    ADD_CHANGED,
    "DROP TRIGGER desk_reporter_name_word_au ON complaints_reporter",
    """
    CREATE TRIGGER desk_reporter_name_word_au AFTER UPDATE ON complaints_reporter
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION desk_reporter_name_word_add_changed()
    """,
]
BACKWARD = [
    "DROP TRIGGER desk_reporter_name_word_au ON complaints_reporter",
    """
    CREATE TRIGGER desk_reporter_name_word_au AFTER UPDATE ON complaints_reporter
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION desk_reporter_name_word_add()
    """,
    "DROP FUNCTION desk_reporter_name_word_add_changed()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("desk", "0005_reporter_name_words_pruned")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

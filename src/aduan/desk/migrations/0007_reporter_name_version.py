"""PostgreSQL: a version of the reporters' names that an erasure or correction bumps, so that
every process drops its sample of names (complaints/search.py) once the erasure commits; and
the pruning of desk_reporter_name_word asks the name index once, not once per word (issue 17).

The version. complaints/search.py keeps, per process, a sample of about 30,000 reporters' names
(their words) to estimate how many reporters bear every word of a name of several words. An
erased reporter's name stayed in that memory until the sample's next read, up to 10 minutes
later (SPEC §6, UU 27/2022: the erasure must not leave the name anywhere). The pruning trigger
of desk/0005, which runs for every statement that changes or deletes a name that had words, now
also adds one to desk_reporter_name_version's single row, in the same transaction and under the
exclusive name-words lock it holds already (no new waiting; seen by others once it commits). A
process reads that version at most once a second when a search uses its sample (and a watcher
thread at least once a minute while the process holds one), and on a new one drops the sample at once and reads a new one in the background. Every path that
writes a name (the services, the admin, a raw UPDATE) is covered, as the triggers cover them.

The probe, batched (a bulk erasure held the name-words lock for up to ~0.5 s at 300,000
reporters, ~1 s at 1M). 0005 asked the name index once per word that left (`NOT EXISTS (...
@@ 'word')`): each probe reads the index's whole pending list (fastupdate: the recent
registrations' entries, up to gin_pending_list_limit, 4 MB) and, for a common word ("siti", one
reporter in ten), collects every holder into a bitmap. Now, under the same lock: (1) the words
found in the newest PRUNE_RECENT names (one backward scan of the primary key) are in use and
stay: a common word is all but always among them; (2) the rest are asked of the name index in
one probe, the words ORed, and those found in the matching names stay; (3) the others are
deleted. Both steps keep only a word that some name visibly has, and delete none that one has:
the table still holds every word of every name, and an erased word leaves. Measured at 300,000
reporters in docs/benchmarks.md ("The name words' pruning, batched").

The known limit, kept: a transaction that inserts a reporter (the shared name-words lock, held
to its end, desk/0005) and then renames or erases one (the exclusive lock) deadlocks with
another transaction doing the same at the same moment; PostgreSQL aborts one of them after
deadlock_timeout. No code path does so (registrations only insert; erasures and corrections
only update, each in its own transaction). There is no clean way out inside the triggers: the
shared lock must last until the registration commits (its name is invisible to a pruning
before then), and a lock held cannot be upgraded without waiting for the other holders; row
locks on each word instead would make concurrent registrations of a common word ("siti") wait
for each other on the submission path. A future path that must do both in one transaction
takes the exclusive lock before its first insert: `SELECT pg_advisory_xact_lock(1483100000, 0)`.
"""

from importlib import import_module

from django.db import migrations

LOCK = "1483100000, 0"  # as desk/0005
# Names read newest first before the index is asked: a word held by one reporter in a hundred is
# missing from them with probability 0.99 ** 1000 (0.004 %); ~1 ms of to_tsvector.
PRUNE_RECENT = 1000

# The gone words that some name still has, in one probe of the name index
# (desk_reporter_name_fts); `probe` is every gone word ORed, each quoted as tsquery input wants
# (quotes and backslashes doubled, as complaints/search.py quotes them).
PROBE = r"""
    SELECT string_agg('''' || replace(replace(w.word, '\', '\\'), '''', '''''') || '''', ' | ')
           ::tsquery
    INTO probe FROM unnest(gone) AS w(word)
"""
USED = """
    SELECT array_agg(DISTINCT x.word) INTO used
    FROM complaints_reporter r, unnest(tsvector_to_array(to_tsvector('simple', r.name))) AS x(word)
    WHERE to_tsvector('simple', r.name) @@ probe AND x.word = ANY(gone)
"""

PRUNE = f"""
CREATE OR REPLACE FUNCTION desk_reporter_name_word_prune() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    gone text[];
    used text[];
    probe tsquery;
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
    UPDATE desk_reporter_name_version SET version = version + 1;
    SELECT array_agg(w.word) INTO gone FROM unnest(gone) AS w(word)
    WHERE w.word NOT IN (
        SELECT x.word
        FROM (SELECT name FROM complaints_reporter ORDER BY id DESC LIMIT {PRUNE_RECENT}) r,
             unnest(tsvector_to_array(to_tsvector('simple', r.name))) AS x(word));
    IF gone IS NULL THEN
        RETURN NULL;
    END IF;
    {PROBE};
    {USED};
    DELETE FROM desk_reporter_name_word d
    WHERE d.word = ANY(gone COLLATE "C") AND d.word <> ALL(COALESCE(used, '{{}}') COLLATE "C");
    RETURN NULL;
END
$$
"""  # noqa: S608 - module constants only

FORWARD = [
    "CREATE TABLE desk_reporter_name_version ("
    "id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)",
    "INSERT INTO desk_reporter_name_version (id, version) VALUES (1, 0)",
    PRUNE,
]


def _backward():
    # desk/0005's pruning: one probe per word, no version.
    pruned = import_module("aduan.desk.migrations.0005_reporter_name_words_pruned")
    return [pruned.PRUNE.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
            "DROP TABLE IF EXISTS desk_reporter_name_version"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements() if callable(statements) else statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("desk", "0006_reporter_name_words_no_lock_upgrade")]

    operations = [migrations.RunPython(_run(FORWARD), _run(_backward))]

"""How long an erasure's pruning of desk_reporter_name_word holds the name-words lock, PostgreSQL:
desk/0005's per-word probe against desk/0007's batched one, interleaved.

Each run erases the N oldest named reporters in one UPDATE inside a transaction that is rolled
back, after installing one pruning function in that transaction (so the database is unchanged),
and reports the pruning trigger's time from EXPLAIN ANALYZE (the lock is taken at its start and
held to the commit). With --clean the name index's pending list is flushed before each run.

    DATABASE_URL=postgres://... PYTHONPATH=src python bench/name_words_prune.py --runs 3 [--clean]
"""

from __future__ import annotations

import argparse
import os
import re
from importlib import import_module

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1,100,2000")
    parser.add_argument("--clean", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings_test")
    django.setup()
    from django.db import connection, transaction

    old = import_module("aduan.desk.migrations.0005_reporter_name_words_pruned").PRUNE.replace(
        "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    new = import_module("aduan.desk.migrations.0007_reporter_name_version").PRUNE
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(args.runs):
        for label, function in (("0005 per word", old), ("0007 batched", new)):
            for size in [int(s) for s in args.sizes.split(",")]:
                with connection.cursor() as cursor:
                    if args.clean:
                        cursor.execute("SELECT gin_clean_pending_list('desk_reporter_name_fts')")
                    with transaction.atomic():
                        cursor.execute(function)
                        cursor.execute(
                            "EXPLAIN (ANALYZE, COSTS OFF) UPDATE complaints_reporter SET name = '' "
                            "WHERE id IN (SELECT id FROM complaints_reporter WHERE name <> '' "
                            "ORDER BY id LIMIT %s)", [size])
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                        transaction.set_rollback(True)
                found = re.search(r"name_word_pu: time=([0-9.]+)", plan)
                times.setdefault((label, size), []).append(float(found[1]) if found else -1.0)
    for (label, size), values in sorted(times.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        print(f"{size:>6} names  {label:<14} " + " ".join(f"{v:7.1f}" for v in values) + " ms")


if __name__ == "__main__":
    main()

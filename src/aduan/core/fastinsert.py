"""One-row INSERTs for the busiest write path (a web submission), without the ORM compiling
the statement on every call.

Most of `Model.save()`'s time for a new row goes to building the INSERT, not to the database:
111 µs per case event through `objects.create()` against 51 µs here (SQLite, 2026-11-28), and
a registration writes four such rows while it holds SQLite's only write lock
(docs/decisions/0008-sqlite-writer-queue.md). `insert()` does what `save(force_insert=True)`
does for a new row of a model without multi-table inheritance: foreign keys taken from assigned
instances, each field's `pre_save` (auto_now, auto_now_add) and `get_db_prep_save`, the primary
key read back with RETURNING. The statement is built once per model and database vendor.

It sends no `pre_save`/`post_save` signals; it is used only for models that have no receivers
(core/tests/test_fastinsert.py checks that, so adding one fails loudly).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)

_statements: dict[tuple[str, type[Model]], tuple[str, list[Field]]] = {}


def _statement(model: type[Model], alias: str) -> tuple[str, list[Field]]:
    connection = connections[alias]
    key = (connection.vendor, model)
    entry = _statements.get(key)
    if entry is None:
        meta = model._meta
        if meta.parents:
            raise TypeError(f"{meta.label}: multi-table inheritance is not supported")
        pk = meta.pk
        fields = [f for f in meta.local_concrete_fields
                  if not getattr(f, "generated", False) and not (f is pk and f.db_returning)]
        quote = connection.ops.quote_name  # names from model metadata; values are parameters
        sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608
            quote(meta.db_table), ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)), quote(pk.column))
        entry = _statements[key] = (sql, fields)
    return entry


def insert(obj: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
    """INSERT `obj` as a new row and set its primary key."""
    sql, fields = _statement(type(obj), using)
    connection = connections[using]
    obj._prepare_related_fields_for_save(operation_name="save")
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj

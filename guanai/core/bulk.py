"""Inserting many rows at once, faster than `bulk_create` for the wide tables of an import.

`bulk_create` prepares every value of every row through its field (three or four calls each);
for a roster of a million rows that is most of the import's time. `insert_many` adapts only the
values whose Python type the driver does not take as it is (dates and times on SQLite, JSON)
and sends multi-row INSERT ... RETURNING statements, setting the new ids on the instances, as
`bulk_create` does (on PostgreSQL: ids from the sequence, then COPY). It runs no `save()` and
sends no signals, like `bulk_create`. `update_many` writes some fields of saved instances, one
UPDATE by primary key each, sent together.
"""

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

# SQLite's default limit on a statement's parameters (3.32+); PostgreSQL allows 65535.
MAX_PARAMS = 32_000


def _adapter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """How to turn the attribute into a parameter (None: pass it as it is)."""
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_many(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert unsaved instances (auto_now and auto_now_add fields get the time) and set ids."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    now = timezone.now()
    adapters = []
    for f in fields:
        adapt = _adapter(f, connection)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
            # Every row has the same time: adapted once, not once per row.
            adapt = _constant(adapt(now) if adapt is not None else now)
        adapters.append((f.attname, adapt))
    if connection.vendor == "postgresql":
        _copy(connection, opts, fields, adapters, objs)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["?"] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMS // len(fields))
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    # sqlite3's own connection takes "?" as written; Django's cursor would rewrite "%s" to "?"
    # with a regular expression over each 100 KB statement (7 ms each, 2% of an import).
    with connection.wrap_database_errors:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            params: list[Any] = []
            for obj in batch:
                params.extend(_values(obj, adapters))
            cursor = connection.connection.execute(
                f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES "
                + ", ".join([placeholder] * len(batch))
                + f" RETURNING {quote(opts.pk.column)}",
                params,
            )
            _stored(batch, [pk for (pk,) in cursor.fetchall()], connection.alias)


def update_many(
    model: type[models.Model], objs: Sequence[models.Model], field_names: Sequence[str]
) -> None:
    """Write some fields of saved instances, one UPDATE by primary key each, sent together
    (`executemany`); auto_now fields among them get the time. Faster than `bulk_update`, whose
    CASE WHEN per field and row costs more than the statements for a chunk of an import."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    fields = [opts.get_field(name) for name in field_names]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    sql = f"UPDATE {quote(opts.db_table)} SET {sets} WHERE {quote(opts.pk.column)} = %s"
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]  # type: ignore[union-attr]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _copy(connection, opts, fields, adapters, objs: Sequence[models.Model]) -> None:
    """PostgreSQL: ids taken from the table's sequence first, then one COPY."""
    quote = connection.ops.quote_name
    table, pk = opts.db_table, opts.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(c) for c in [pk, *(f.column for f in fields)])
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for obj, pk_value in zip(objs, ids, strict=True):
                copy.write_row([pk_value, *_values(obj, adapters)])
    _stored(objs, ids, connection.alias)


def _constant(value: Any) -> Callable[[Any], Any]:
    return lambda _: value


def _values(obj: models.Model, adapters) -> list[Any]:
    values = []
    for attname, adapt in adapters:
        value = getattr(obj, attname)
        values.append(adapt(value) if adapt is not None and value is not None else value)
    return values


def _stored(objs: Sequence[models.Model], ids: list[int], alias: str) -> None:
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias


class SqliteTuning:
    """SQLite, for one bulk job: a big page cache (index inserts into million-row tables stay in
    memory) and, for seeding only, synchronous=OFF; the old values come back afterwards."""

    def __init__(self, connection, *, cache_kib: int, synchronous_off: bool = False) -> None:
        self.connection = connection
        self.pragmas = [("cache_size", -cache_kib)]
        if synchronous_off:
            self.pragmas.append(("synchronous", 0))
        self.saved: list[tuple[str, object]] = []

    def __enter__(self) -> "SqliteTuning":
        c = self.connection
        if c.vendor != "sqlite":
            return self
        with c.cursor() as cursor:
            for pragma, value in self.pragmas:
                if pragma == "synchronous" and c.in_atomic_block:
                    continue  # SQLite refuses to change it inside a transaction (tests)
                cursor.execute(f"PRAGMA {pragma}")
                self.saved.append((pragma, cursor.fetchone()[0]))
                cursor.execute(f"PRAGMA {pragma} = {value}")
        return self

    def __exit__(self, *exc) -> None:
        if not self.saved:
            return
        with self.connection.cursor() as cursor:
            for pragma, value in self.saved:
                if pragma == "synchronous" and self.connection.in_atomic_block:
                    continue
                cursor.execute(f"PRAGMA {pragma} = {int(value)}")


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off for one bulk job. It runs after every few hundred new objects
    and walks the young ones again each time: over the model instances of a million-row import
    that is a tenth of the CPU. The job collects (`gc.collect(1)`) once per part instead."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""Fast paths for the one table that is too big for the ORM: observations (2.2 million rows).

On PostgreSQL the rows go in through COPY; on SQLite through `executemany` of one prepared
INSERT. Both write the same columns the ORM would, inside the caller's transaction.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection

SQLITE_BATCH = 20_000


def _columns(model, field_names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in field_names]


def rows_insert(model, field_names: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples (values in the order of `field_names`, foreign keys as ids)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, field_names))
    if connection.vendor == "postgresql":
        return _copy(f"COPY {table} ({columns}) FROM STDIN", rows)
    placeholders = ", ".join(["%s"] * len(field_names))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    written = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, SQLITE_BATCH):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _copy(sql: str, rows: Iterable[tuple]) -> int:
    """COPY goes past Django's cursor, so the page cache is told of the write here."""
    from mineralstrategi.caching import invalidate_public_cache

    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    invalidate_public_cache()
    return written


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def sqlite_tune_for_bulk() -> None:
    """For this connection only (the generation run): no fsync, a larger page cache, and
    temporary B-trees in memory. The database file stays valid; a crash mid-run loses the run."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-131072")  # 128 MiB
        cursor.execute("PRAGMA temp_store=MEMORY")


def analyze() -> None:
    """Fresh planner statistics, so that the first queries on the new data use the indexes."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

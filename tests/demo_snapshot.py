"""The demo data loaded once per test session and copied into each test that needs it.

Loading the demo through its services takes several seconds (history records, imports,
analysis), and dozens of tests start from it. The session loads it once inside a transaction,
reads every table's rows, and rolls back; a test then gets exactly those rows by replacing the
contents of every table, which takes a fraction of a second. Tests of the loader itself still
call demo_load().

PostgreSQL copies with COPY (text format, so every column type round-trips as the server
writes it); SQLite reads and inserts the rows. Django creates foreign keys as deferrable on both,
so the order of the tables does not matter inside one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import connection, transaction


@dataclass
class TableRows:
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)  # SQLite
    copy_data: bytes = b""  # PostgreSQL, COPY text format


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(cursor, table: str) -> list[str]:
    description = connection.introspection.get_table_description(cursor, table)
    return [column.name for column in description]


def snapshot_take() -> dict[str, TableRows]:
    """Every Django table's rows, as the current transaction sees them."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in _tables():
            columns = _columns(cursor, table)
            column_list = ", ".join(_quote(column) for column in columns)
            if connection.vendor == "postgresql":
                data = bytearray()
                with cursor.cursor.copy(f"COPY {_quote(table)} ({column_list}) TO STDOUT") as copy:
                    for block in copy:
                        data += block
                snapshot[table] = TableRows(columns, copy_data=bytes(data))
            else:
                cursor.execute(f"SELECT {column_list} FROM {_quote(table)}")  # noqa: S608
                snapshot[table] = TableRows(columns, rows=cursor.fetchall())
    return snapshot


def snapshot_restore(snapshot: dict[str, TableRows]) -> None:
    """Replace the contents of every table with the snapshot's rows; empty the caches."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _restore_postgresql(cursor, snapshot)
        else:
            _restore_sqlite(cursor, snapshot)
    for alias in caches:
        caches[alias].clear()


def _restore_postgresql(cursor, snapshot: dict[str, TableRows]) -> None:
    # DELETE rather than TRUNCATE: the tables hold few rows, and TRUNCATE gives each of ~150
    # tables and its indexes new files (1.2 s a restore against 0.05 s; benchmarks/RESULTS.md).
    for table in snapshot:
        cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608
    _copy_in(cursor, snapshot)
    _sequences_past_every_row(cursor)


def _copy_in(cursor, snapshot: dict[str, TableRows]) -> None:
    for table, contents in snapshot.items():
        if not contents.copy_data:
            continue
        column_list = ", ".join(_quote(column) for column in contents.columns)
        with cursor.cursor.copy(f"COPY {_quote(table)} ({column_list}) FROM STDIN") as copy:
            copy.write(contents.copy_data)


def rows_written_by(load: Callable[[], object]) -> dict[str, TableRows]:
    """The rows `load()` writes, run in a transaction that is rolled back: the tables it fills
    must be empty before (so that `rows_add` can put exactly these rows back)."""
    with transaction.atomic():
        before = _row_counts()
        load()
        written = {
            table: rows
            for table, rows in snapshot_take().items()
            if (rows.rows or rows.copy_data) and before[table] != _row_count(rows)
        }
        transaction.set_rollback(True)
    filled = [table for table in written if before[table]]
    assert not filled, f"{load.__name__} adds to tables that already had rows: {filled}"
    for alias in caches:
        caches[alias].clear()
    return written


def rows_add(snapshot: dict[str, TableRows]) -> None:
    """Insert the snapshot's rows into their (empty) tables: a fraction of what loading them
    through the services costs (the geography: 0.02 s instead of 0.1 s on SQLite, 0.25 s on
    PostgreSQL, in hundreds of tests)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_in(cursor, snapshot)
            _sequences_past_every_row(cursor, tables=set(snapshot))
        else:
            _insert_sqlite(cursor, snapshot)


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _row_count(rows: TableRows) -> int:
    return len(rows.rows) if connection.vendor != "postgresql" else rows.copy_data.count(b"\n")


def _sequences_past_every_row(cursor, tables: set[str] | None = None) -> None:
    """Move each sequence past the largest key in its table, never back.

    A sequence is not transactional: moved back (to the snapshot's largest key) inside a test's
    transaction, it stays back when the test rolls its rows away, and a row that an earlier test
    committed (a live-server or task-worker test) would then meet a key the sequence hands out
    again: a duplicate key, many tests later."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        pk = model._meta.pk
        if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
            continue
        table, column = model._meta.db_table, pk.column
        if tables is not None and table not in tables:
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = cursor.fetchone()[0]
        if sequence is None:
            continue
        cursor.execute(
            f"SELECT setval(%s, GREATEST(COALESCE(MAX({_quote(column)}), 1), "  # noqa: S608
            f"(SELECT last_value FROM {sequence}))) FROM {_quote(table)}",
            [sequence],
        )


def _restore_sqlite(cursor, snapshot: dict[str, TableRows]) -> None:
    for table in snapshot:
        cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608
    _insert_sqlite(cursor, snapshot)


def _insert_sqlite(cursor, snapshot: dict[str, TableRows]) -> None:
    for table, contents in snapshot.items():
        if contents.rows:
            column_list = ", ".join(_quote(column) for column in contents.columns)
            placeholders = ", ".join(["%s"] * len(contents.columns))
            cursor.executemany(
                f"INSERT INTO {_quote(table)} ({column_list}) VALUES ({placeholders})",  # noqa: S608
                contents.rows,
            )


def demo_snapshot_load() -> dict[str, TableRows]:
    """Load the demo in a transaction that is rolled back, keeping a snapshot of its rows."""
    from mineralstrategi.demo.loader import demo_load

    with transaction.atomic():
        demo_load()
        snapshot = snapshot_take()
        transaction.set_rollback(True)
    for alias in caches:
        caches[alias].clear()
    return snapshot

"""The session's copy of the demo data (tests/demo_snapshot.py) is the demo as the loader makes it."""

from mineralstrategi.demo.loader import demo_load
from mineralstrategi.strategy.models import Strategy
from tests.demo_snapshot import snapshot_restore, snapshot_take


def rows_of(snapshot) -> dict:
    """Each table's columns and rows, in no particular order (a table's physical order is not
    its rows': PostgreSQL reuses the room of deleted rows)."""
    return {
        table: (contents.columns, sorted(map(repr, contents.rows)),
                sorted(contents.copy_data.splitlines()))
        for table, contents in snapshot.items()
    }  # fmt: skip


def test_a_restored_snapshot_is_the_demo_row_for_row(db, demo_snapshot):
    snapshot_restore(demo_snapshot)

    assert rows_of(snapshot_take()) == rows_of(demo_snapshot)
    assert Strategy.objects.filter(slug="mineralstrategi-norrbotten-vasterbotten").exists()
    assert not demo_load().changed  # the loader finds everything it would create


def test_the_snapshot_holds_the_demo(demo_snapshot):
    populated = {
        table for table, contents in demo_snapshot.items() if contents.rows or contents.copy_data
    }
    assert {
        "organisations_organisation",
        "strategy_strategy",
        "indicators_observation",
    } <= populated

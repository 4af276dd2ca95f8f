"""The session's copy of the demo data (tests/demo_snapshot.py) is the demo as the loader makes it."""

from mineralstrategi.demo.loader import demo_load
from mineralstrategi.strategy.models import Strategy
from tests.demo_snapshot import snapshot_restore, snapshot_take


def test_a_restored_snapshot_is_the_demo_row_for_row(db, demo_snapshot):
    snapshot_restore(demo_snapshot)

    assert snapshot_take() == demo_snapshot
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

import csv

import pytest

from mineralstrategi.organisations.models import Role


@pytest.fixture
def editor(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR)


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(rows, name) -> the path of a long-layout CSV (geo, period, value)."""

    def write(rows, name="observations.csv"):
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["geo", "period", "value"])
            writer.writerows(rows)
        return path

    return write

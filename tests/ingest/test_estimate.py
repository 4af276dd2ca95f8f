import json
from pathlib import Path

import pytest

from mineralstrategi import ingest
from mineralstrategi.ingest.estimate import estimate_records
from mineralstrategi.ingest.jsonstat import MAX_DECLARED_VALUES, declared_values

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("file_name", "format"),
    [
        ("long_mining_employment.csv", "csv"),
        ("opensdg_8-5-2_unemployment.csv", "opensdg-csv"),
        ("scb_population_jsonstat2.json", "jsonstat"),
    ],
)
def test_the_estimate_matches_the_records_of_the_file(file_name, format):
    assert estimate_records(DATA / file_name, format) == ingest.check(DATA / file_name).record_count


def test_no_cheap_estimate_gives_none(tmp_path):
    assert estimate_records(DATA / "kolada_N00945.json", "kolada") is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert estimate_records(broken, "jsonstat") is None
    assert estimate_records(tmp_path / "missing.csv", "csv") is None


def test_a_declared_size_over_the_limit_gives_no_estimate(tmp_path):
    body = json.loads((DATA / "scb_population_jsonstat2.json").read_text(encoding="utf-8"))
    body["size"] = [2**62, 2**62, 2**62]
    declared = tmp_path / "huge.json"
    declared.write_text(json.dumps(body), encoding="utf-8")

    assert estimate_records(declared, "jsonstat") is None
    assert declared_values([2**62] * 1000) is None  # stops at the first size over the limit
    assert declared_values([10_000, 10_000]) == MAX_DECLARED_VALUES

"""Kolada v2 data answers: KPI values per municipality, region or nation, by gender."""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import DATA

from mineralstrategi.ingest import Observation, check, parse_all
from mineralstrategi.ingest.dimensions import breakdown_key

FIXTURE = DATA / "kolada_N00945.json"
json_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def write(folder: Path, body, name: str = "kolada.json") -> Path:
    path = Path(folder) / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def item(municipality="2584", period=2022, values=None, kpi="N00945") -> dict:
    if values is None:
        values = [{"count": 1, "gender": "T", "status": "", "value": 1.5}]
    return {"kpi": kpi, "municipality": municipality, "period": period, "values": values}


def test_a_kolada_answer():
    result = parse_all(FIXTURE)
    assert result.ok, result.errors
    assert result.format == "kolada"
    assert result.record_count == 9
    assert result.records[0] == Observation(
        "SE", "nation", "2022", 48.2, dimensions={"gender": "K"}, measure='{"kpi":"N00945"}'
    )
    # T, the total of both genders, is the headline figure: no breakdown
    region = {
        r.dimensions.get("gender", "T"): r for r in result.records if r.geography_level == "county"
    }
    assert region["T"].geography_code == "25" and region["T"].value == 42.2
    missing = result.records[6]
    assert (missing.geography_code, missing.value, missing.status) == ("2584", None, "Saknas")


def test_a_bare_list_of_items(tmp_path):
    result = parse_all(write(tmp_path, [item(), item("2482", "2021")]), "kolada")
    assert result.ok, result.errors
    assert [(r.geography_code, r.period) for r in result.records] == [
        ("2584", "2022"),
        ("2482", "2021"),
    ]


@pytest.mark.parametrize(
    ("bad_item", "fault"),
    [
        (item(municipality="G33374"), "field 'values[0].municipality': 'G33374' is a municipality group; groups are not supported"),
        (item(municipality="25"), "field 'values[0].municipality': '25' is not a Kolada municipality id (like 0000, 0025, 2580)"),
        (item(municipality="0026"), "field 'values[0].municipality': '0026' is not a Swedish geography code"),
        (item(period="2022K1"), "field 'values[0].period': '2022K1' is not a year like 2019"),
        (item(kpi=""), "field 'values[0].kpi': '' is not a KPI id (like N00945)"),
        (item(values=[{"gender": "F", "value": 1}]), "field 'values[0].values[0].gender': 'F' is not a gender (expected T, K or M)"),
        (item(values=[{"gender": "T", "value": "n/a"}]), "field 'values[0].values[0].value': 'n/a' is not a number"),
        (item(values=[{"gender": "T", "value": 1}, {"gender": "T", "value": 2}]), "field 'values[0].values[1].gender': gender 'T' appears twice"),
        (item(values={"T": 1}), "field 'values[0].values': values must be a list of {gender, value, status}"),
        ({"kpi": "N15033", "ou": "V15E144001301", "period": 2009, "values": []}, "field 'values[0].ou': organisational-unit data (oudata) is not supported"),
        ("N00945", "field 'values[0]': a Kolada data item must be an object"),
    ],
)  # fmt: skip
def test_each_fault_is_named(tmp_path, bad_item, fault):
    result = check(write(tmp_path, {"count": 2, "values": [bad_item, item()]}), "kolada")
    assert result.error_count == 1
    assert str(result.errors[0]).startswith(f"kolada.json, {fault}")
    assert result.record_count == 1  # the good item still counts


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ({"count": 0}, "kolada.json: the object has no 'values' list: it is not a Kolada data answer"),
        ({"values": {}}, "kolada.json: values must be a list of Kolada data items"),
        ("text", "kolada.json: the name says JSON (.json) but the file is CSV text"),
    ],
)  # fmt: skip
def test_answers_that_are_not_kolada(tmp_path, body, fault):
    assert [str(e) for e in check(write(tmp_path, body), "kolada").errors] == [fault]


# --- properties -------------------------------------------------------------------------------

places = st.sampled_from(["0000", "0025", "0024", "2584", "2482", "2580"])
numbers = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
entries = st.lists(
    st.tuples(st.sampled_from(["T", "K", "M"]), numbers), max_size=3, unique_by=lambda e: e[0]
)
items = st.tuples(
    st.sampled_from(["N00945", "N01951", "U28116"]), places, st.integers(1998, 2030), entries
)


def level_of(code: str) -> tuple[str, str]:
    if code == "0000":
        return "SE", "nation"
    if code.startswith("00"):
        return code[2:], "county"
    return code, "municipality"


@json_settings
@given(st.lists(items, max_size=10))
def test_kolada_round_trip(generated):
    body = {
        "count": len(generated),
        "values": [
            {
                "kpi": kpi,
                "municipality": place,
                "period": year,
                "values": [
                    {"count": 1, "gender": gender, "status": "", "value": value}
                    for gender, value in values
                ],
            }
            for kpi, place, year, values in generated
        ],
    }
    expected = [
        Observation(
            *level_of(place),
            str(year),
            value,
            dimensions={} if gender == "T" else {"gender": gender},
            measure=breakdown_key({"kpi": kpi}),
        )
        for kpi, place, year, values in generated
        for gender, value in values
    ]
    with tempfile.TemporaryDirectory() as folder:
        result = parse_all(write(Path(folder), body))
    assert result.ok, result.errors
    assert result.records == expected


KOLADA_KEYS = ["kpi", "municipality", "period", "values", "gender", "value", "status", "x"]
json_values = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KOLADA_KEYS), children, max_size=5)
    ),
    max_leaves=15,
)


@json_settings
@given(st.lists(json_values, max_size=5))
def test_garbage_items_never_crash(garbage):
    with tempfile.TemporaryDirectory() as folder:
        result = check(write(Path(folder), {"values": garbage}), "kolada")
    assert result.ok == (result.error_count == 0)
    assert all(error.message for error in result.errors)

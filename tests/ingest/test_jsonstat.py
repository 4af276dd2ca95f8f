"""JSON-stat 2.0 datasets as SCB's PxWeb serves them, and every structural fault named."""

import itertools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import DATA

from mineralstrategi.ingest import Observation, check, parse_all

FIXTURE = DATA / "scb_population_jsonstat2.json"
json_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def dataset() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def write(folder: Path, body, name: str = "scb.json") -> Path:
    path = Path(folder) / name
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def faults(folder: Path, body) -> list[str]:
    return [str(error) for error in check(write(folder, body), "jsonstat").errors]


def test_a_pxweb_dataset():
    result = parse_all(FIXTURE)
    assert result.ok, result.errors
    assert result.format == "jsonstat"
    assert result.record_count == 12
    assert result.records[0] == Observation(
        "SE", "nation", "2021", 10452000.0, measure='{"ContentsCode":"BE0101N1"}'
    )
    kiruna = [(r.period, r.value) for r in result.records if r.geography_code == "2584"]
    assert kiruna == [("2021", 22600.0), ("2022", 22400.0), ("2023", 22200.0)]
    last = result.records[-1]
    assert (last.geography_code, last.period, last.status, last.provisional) == (
        "2482",
        "2023",
        "p",
        True,
    )
    assert result.meta["geo"] == "Region" and result.meta["time"] == "Tid"
    assert result.meta["units"] == {"BE0101N1": {"base": "antal", "decimals": 0}}
    assert result.meta["source"] == "SCB"


def test_quarters_months_list_index_single_category_and_nulls(tmp_path):
    body = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Tid", "Region", "ContentsCode"],
        "size": [2, 1, 1],
        "role": {"time": ["Tid"], "geo": ["Region"]},
        "dimension": {
            "Tid": {"category": {"index": ["2023K4", "2024M01"]}},
            "Region": {"category": {"label": {"0025": "Norrbotten"}}},
            "ContentsCode": {"category": {"index": ["AM0401"]}},
        },
        "value": [None, 4.5],
        "status": [".."],
    }
    result = parse_all(write(tmp_path, body))
    assert result.ok, result.errors
    assert [(r.period, r.geography_code, r.value, r.status) for r in result.records] == [
        ("2023-Q4", "25", None, ".."),
        ("2024-01", "25", 4.5, ".."),
    ]


def test_sparse_values_with_a_status_array(tmp_path):
    body = dataset()
    body["value"] = {"0": 1, "5": 2.5, "11": None}
    body["status"] = [""] * 11 + ["e"]
    result = parse_all(write(tmp_path, body))
    assert result.ok, result.errors
    assert [(r.geography_code, r.period, r.value, r.estimated) for r in result.records] == [
        ("SE", "2021", 1.0, False),
        ("25", "2023", 2.5, False),
        ("2482", "2023", None, True),
    ]


def _mutate(change):
    body = dataset()
    change(body)
    return body


def _set(path: str, value):
    def change(body):
        *parents, last = path.split("/")
        target = body
        for key in parents:
            target = target[key]
        target[last] = value

    return change


CATEGORY = "dimension/Region/category"
FAULTS = [
    (
        _set("value", list(range(11))),
        "scb.json, field 'value': value has 11 items but the sizes multiply to 12",
    ),
    (_set("size", [4, 1]), "scb.json, field 'size': id lists 3 dimensions but size has 2 numbers"),
    (
        _set("size", [100_000, 100_000, 100_000]),  # 10**15 values declared in a file of 2 kB
        "scb.json, field 'size': the sizes multiply to more than 100,000,000 values, the most a "
        "dataset may declare",
    ),
    (
        lambda b: b["dimension"].pop("Tid"),
        "scb.json, field 'dimension': dimension 'Tid' is listed in id but missing",
    ),
    (
        _set("value", {"0": 1, "12": 2}),
        "scb.json, field 'value.12': '12' is not a value position below 12",
    ),
    (
        _set("value", {"0": 1, "x": 2}),
        "scb.json, field 'value.x': 'x' is not a value position below 12",
    ),
    (
        lambda b: b.update(size=[5, 1, 3], value=list(range(15))),
        "scb.json, field 'dimension.Region.category': dimension 'Region' has 4 categories but size says 5",
    ),
    (_set("status", ["p"] * 5), "scb.json, field 'status': status has 5 items but value has 12"),
    (
        _set("status", {"12": "p"}),
        "scb.json, field 'status.12': status key '12' is not a value position below 12",
    ),
    (
        _set(f"{CATEGORY}/label/9999", "Nowhere"),
        "scb.json, field 'dimension.Region.category.label': unknown categories in label: 9999",
    ),
    (
        _set(f"{CATEGORY}/unit", {"XX": {"decimals": 0}}),
        "scb.json, field 'dimension.Region.category.unit': unknown categories in unit: XX",
    ),
    (
        _set(f"{CATEGORY}/child", {"25": ["2584", "9999"]}),
        "scb.json, field 'dimension.Region.category.child.25': unknown child categories: 9999",
    ),
    (
        _set(f"{CATEGORY}/child", {"00": ["25"], "25": ["2584"], "2584": ["00"]}),
        "scb.json, field 'dimension.Region.category.child': the child hierarchy has a cycle through '00'",
    ),
    (
        _set(f"{CATEGORY}/index", {"00": 0, "25": 0, "2584": 2, "2482": 3}),
        "scb.json, field 'dimension.Region.category.index': index positions must be 0 to 3, each once",
    ),
    (
        _set(f"{CATEGORY}/index", ["00", "25", "25", "2482"]),
        "scb.json, field 'dimension.Region.category.index': index must list distinct category ids",
    ),
    (
        _set(f"{CATEGORY}/colour", "red"),
        "scb.json, field 'dimension.Region.category.colour': 'colour' is not a property of a category",
    ),
    (
        _set("version", "1.0"),
        "scb.json, field 'version': version is '1.0'; expected '2.0' (JSON-stat 2.0)",
    ),
    (
        _set("class", "collection"),
        "scb.json: a JSON-stat collection must list its datasets in link.item",
    ),
    (
        _set("role", {"time": ["Tid"], "place": ["Region"]}),
        "scb.json, field 'role.place': 'place' is not a role (expected time, geo or metric)",
    ),
    (
        _set("role", {"time": ["Year"]}),
        "scb.json, field 'role.time': role 'time' must list dimensions that are in id",
    ),
    (lambda b: b.pop("value"), "scb.json, field 'value': value is missing"),
    (
        lambda b: b["dimension"]["Region"].update(
            category={"index": ["00", "SE1", "2584", "2482"]}
        ),
        "scb.json, field 'dimension.Region': category 'SE1': 'SE1' is not a Swedish geography code",
    ),
    (
        _set("value", [1, 2, 3, "x", 5, 6, 7, 8, 9, 10, 11, 12]),
        "scb.json, field 'value[3]': 'x' is not a number (Region=25, ContentsCode=BE0101N1, Tid=2021)",
    ),
]


@pytest.mark.parametrize(("change", "fault"), FAULTS)
def test_each_fault_is_named(tmp_path, change, fault):
    found = faults(tmp_path, _mutate(change))
    assert len(found) == 1, found
    assert found[0].startswith(fault)


def test_no_time_dimension(tmp_path):
    body = dataset()
    body["id"][2] = "Omgång"
    body["dimension"]["Omgång"] = {"category": {"index": ["första", "andra", "tredje"]}}
    del body["dimension"]["Tid"]
    body["role"] = {"metric": ["ContentsCode"]}
    assert faults(tmp_path, body) == [
        "scb.json, field 'role': no time dimension: none has the role 'time', an id or label like "
        "Tid, år, year, time or period, or categories that are all periods"
    ]


def test_without_roles_time_is_found_by_its_label_or_its_categories(tmp_path):
    """The standard makes role optional: time is then the dimension named like time, else the
    one whose categories are all periods; the meta says which was taken."""
    body = dataset()
    del body["role"]
    body["id"][2] = "Period2"
    body["dimension"]["Period2"] = body["dimension"].pop("Tid")
    del body["dimension"]["Period2"]["label"]
    result = parse_all(write(tmp_path, body))
    assert result.ok, result.errors
    assert result.meta["time"] == "Period2"
    assert result.dimensions.by_id["Period2"].reason == "its categories"
    assert {r.period for r in result.records} == {"2021", "2022", "2023"}

    body["dimension"]["Period2"]["label"] = "år"
    result = parse_all(write(tmp_path, body))
    assert result.dimensions.by_id["Period2"].reason == "label 'år'"


def test_a_json_stat_1_bundle_is_read_as_a_collection(tmp_path):
    """SCB's website saves "JSON-stat file" in the 1.x form: id, size and role in dimension."""
    body = {"dataset": {"dimension": {"id": ["Tid"], "size": [1], "Tid": {"category": {"index": ["2024"]}}}, "value": [1]}}  # fmt: skip
    result = parse_all(write(tmp_path, body))
    assert result.ok, result.errors
    assert result.records == [Observation("SE", "nation", "2024", 1.0)]
    assert result.meta["jsonstat"] == "1.x bundle, read as JSON-stat 2.0"


def test_a_dimension_that_id_does_not_list_is_ignored_and_said(tmp_path):
    """Statistics Greenland's PxWeb leaves an eliminated ContentsCode in dimension."""
    body = _mutate(_set("dimension/Extra", {"category": {"index": ["x"]}}))
    result = parse_all(write(tmp_path, body))
    assert result.ok, result.errors
    assert result.meta["ignored"] == "dimensions not listed in id: Extra"


def test_broken_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"version": "2.0", "value": [1, 2,', encoding="utf-8")
    (fault,) = check(path, "jsonstat").errors
    assert str(fault).startswith("broken.json: the file is not valid JSON: ")


# --- properties -------------------------------------------------------------------------------


@st.composite
def cubes(draw):
    """A dataset with a geography, a sex and a time dimension, in any id order and encoding."""
    geos = draw(
        st.lists(
            st.sampled_from(["00", "25", "24", "2584", "2482"]), min_size=1, max_size=4, unique=True
        )
    )
    sexes = draw(st.lists(st.sampled_from(["1", "2", "1+2"]), min_size=1, max_size=3, unique=True))
    years = draw(st.lists(st.integers(1990, 2030).map(str), min_size=1, max_size=4, unique=True))
    dims = draw(st.permutations([("Region", geos), ("Kon", sexes), ("Tid", years)]))
    total = len(geos) * len(sexes) * len(years)
    values = draw(
        st.lists(
            st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
            min_size=total,
            max_size=total,
        )
    )
    as_dict_index = draw(st.booleans())
    sparse = draw(st.booleans())
    dimension = {
        name: {
            "label": name,
            "category": {"index": {c: i for i, c in enumerate(cats)} if as_dict_index else cats},
        }
        for name, cats in dims
    }
    body = {
        "version": "2.0",
        "class": "dataset",
        "id": [name for name, _ in dims],
        "size": [len(cats) for _, cats in dims],
        "dimension": dimension,
        "value": {str(i): v for i, v in enumerate(values) if v is not None} if sparse else values,
    }
    expected = []
    position = 0
    for combination in itertools.product(*(cats for _, cats in dims)):
        coordinates = dict(zip([name for name, _ in dims], combination, strict=True))
        value = values[position]
        position += 1
        if sparse and value is None:
            continue
        region = coordinates["Region"]
        level = "nation" if region == "00" else "county" if len(region) == 2 else "municipality"
        expected.append(
            Observation(
                "SE" if region == "00" else region,
                level,
                coordinates["Tid"],
                value,
                # SCB's 1+2 is the total of both sexes: the headline figure, without a breakdown
                dimensions={} if coordinates["Kon"] == "1+2" else {"Kon": coordinates["Kon"]},
            )
        )
    return body, expected


@json_settings
@given(cubes())
def test_json_stat_round_trip(cube):
    body, expected = cube
    with tempfile.TemporaryDirectory() as folder:
        result = parse_all(write(Path(folder), body))
    assert result.ok, result.errors
    assert result.records == expected


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5)
    | st.integers(-3, 20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)
TOP_KEYS = ["version", "class", "id", "size", "dimension", "value", "status", "role"]


@json_settings
@given(st.dictionaries(st.sampled_from(TOP_KEYS), json_values, max_size=4))
def test_a_damaged_dataset_never_crashes(replacements):
    body = dataset()
    body.update(replacements)
    with tempfile.TemporaryDirectory() as folder:
        result = check(write(Path(folder), body), "jsonstat")
    assert result.ok == (result.error_count == 0)
    if not result.ok:
        assert all(error.message for error in result.errors)


@json_settings
@given(json_values)
def test_any_json_never_crashes(body):
    with tempfile.TemporaryDirectory() as folder:
        result = check(write(Path(folder), body), "jsonstat")
    assert result.error_count >= 1

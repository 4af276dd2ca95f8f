"""CSV files: the Open SDG and long layouts of observations, and the tidy commodity prices."""

import csv
import io
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import DATA, METALS_CSV

from mineralstrategi.ingest import Observation, PricePoint, PriceSeries, check, parse, parse_all


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_open_sdg_as_swedish_excel_saves_it():
    """Semicolons, a byte-order mark, decimal commas, empty disaggregations = the nation."""
    result = parse_all(DATA / "opensdg_8-5-2_unemployment.csv")
    assert result.ok, result.errors
    assert result.format == "opensdg-csv"
    assert result.meta["delimiter"] == ";"
    assert result.record_count == 15
    first, women = result.records[0], result.records[1]
    # Units name what is measured; an empty Sex is the total: the headline has no breakdown.
    assert first == Observation("SE", "nation", "2021", 8.8, measure='{"Units":"Procent"}')
    assert (women.dimensions, women.measure) == ({"Sex": "Kvinnor"}, '{"Units":"Procent"}')
    kiruna = [r for r in result.records if r.geography_code == "2584"]
    assert [(r.period, r.value, r.geography_level) for r in kiruna] == [
        ("2021", 4.1, "municipality"),
        ("2022", 3.6, "municipality"),
    ]
    assert result.records[-1].value is None  # an empty Value is a missing value
    assert all("Geography" not in r.dimensions for r in result.records)


def test_long_layout_with_sites_quarters_and_statuses():
    result = parse_all(DATA / "long_mining_employment.csv")
    assert result.ok, result.errors
    assert result.format == "csv"
    by_place = {(r.geography_code, r.period): r for r in result.records}
    assert by_place[("25", "2022")].geography_level == "county"
    assert by_place[("2584", "2023-Q1")].provisional
    assert by_place[("2482", "2023-Q1")].estimated
    site = by_place[("LKAB-KIRUNAVAARA", "2023")]
    assert (site.geography_level, site.provisional, site.value) == ("site", True, 3050.0)
    assert (site.dimensions, site.measure) == ({}, '{"indicator":"mining_employment"}')


def test_the_world_bank_metal_prices_csv():
    result = parse_all(METALS_CSV)
    assert result.ok, result.errors
    assert result.format == "prices-csv"
    assert result.record_count == 779 * 10  # 1960-01 … 2024-11, ten metals
    points = {(p.commodity, p.month): p for p in result.records}
    copper = PriceSeries("copper", "mt", "USD", column="copper_usd_per_mt")
    assert points[("copper", "2024-11")] == PricePoint(copper, "2024-11", 9075.73)
    assert not copper.described  # a tidy CSV names no series: the curated names are used
    assert points[("iron_ore", "1960-01")].unit == "dmtu"
    assert points[("gold", "2024-10")].unit == "troy oz"
    assert points[("gold", "2024-10")].value == 2690.08


def test_text_in_the_value_column_on_row_9812(tmp_path):
    lines = ["geo,period,value"]
    lines += [f"2584,{1900 + i % 100},{i}.5" for i in range(2, 10_001)]
    lines[9811] = "2584,2019,n/a"  # lines[0] is row 1, the header
    path = write(tmp_path / "observations.csv", "\n".join(lines) + "\n")
    result = check(path)
    assert [str(error) for error in result.errors] == [
        "observations.csv, row 9812, field 'value': 'n/a' is not a number"
    ]
    assert result.record_count == 9_998
    assert not result.ok


def test_every_fault_of_a_row_is_named_and_good_rows_still_count(tmp_path):
    path = write(
        tmp_path / "faults.csv",
        "geo;period;value;status\n"
        "2584;2021;1,5;\n"
        "2584;2021M13;x;\n"
        "\n"
        "Kiruna;2021;2;\n"
        "2584;2021;3;final-ish\n"
        "2584;2021;4;;extra\n"
        ";2021;5;\n",
    )
    result = check(path)
    assert [str(error) for error in result.errors] == [
        "faults.csv, row 3, field 'value': 'x' is not a number",
        "faults.csv, row 3, field 'period': '2021M13' is not a period (expected a year like "
        "2019, a quarter like 2019-Q3 or 2019K3, or a month like 2019-07 or 2019M07)",
        "faults.csv, row 5, field 'geo': 'Kiruna' is not a Swedish geography code (expected SE "
        "or 00 for the nation, a two-digit county code like 25, or a four-digit municipality "
        "code like 2580)",
        "faults.csv, row 6, field 'status': 'final-ish' is not a status (expected empty, "
        "'provisional' or 'p', 'estimated' or 'e')",
        "faults.csv, row 7: the row has 5 cells but the header has 4",
        "faults.csv, row 8, field 'geo': the geography code is empty",
    ]
    assert result.record_count == 1


def test_windows_1252_text_and_tabs(tmp_path):
    path = write(tmp_path / "excel.txt", "Year\tSex\tValue\n2022\tMän\t7,7\n", "cp1252")
    result = parse_all(path)
    assert result.ok, result.errors
    assert result.meta["delimiter"] == "tab"
    assert result.records[0].dimensions == {"Sex": "Män"}


def test_quoted_decimal_comma_in_a_comma_separated_file(tmp_path):
    path = write(tmp_path / "quoted.csv", 'Year,GeoCode,Value\n2022,25,"12,5"\n')
    assert parse_all(path).records[0].value == 12.5


def test_open_sdg_row_naming_a_place_without_its_code(tmp_path):
    path = write(tmp_path / "sdg.csv", "Year,Geography,GeoCode,Value\n2022,Norrbottens län,,3\n")
    assert [str(e) for e in check(path).errors] == [
        "sdg.csv, row 2, field 'GeoCode': the row names a place ('Norrbottens län') but gives "
        "no code for it"
    ]


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("", "sdg.csv: the file is empty"),
        ("\n\n", "sdg.csv: the file is empty: no header row"),
        ("a,b,c\n1,2,3\n", "sdg.csv, row 1: unrecognised header 'a, b, c': expected an Open SDG"),
        ("Year,Value,value\n", "sdg.csv, row 1: the column 'value' appears twice in the header"),
        ("Year,,Value\n2020,x,1\n", "sdg.csv, row 1: column 2 of the header has no name"),
        (
            "month,copper\n2020-01,1\n",
            "sdg.csv, row 1, field 'copper': the column 'copper' is not a price series",
        ),
    ],
)
def test_files_that_cannot_be_read_at_all(tmp_path, text, fault):
    result = check(write(tmp_path / "sdg.csv", text))
    assert result.record_count == 0
    assert str(result.errors[0]).startswith(fault)


def test_a_format_asked_for_must_match_the_header(tmp_path):
    path = write(tmp_path / "long.csv", "geo,period,value\n25,2020,1\n")
    result = check(path, "opensdg-csv")
    assert [str(e) for e in result.errors] == [
        "long.csv, row 1: the header 'geo, period, value' is not an Open SDG header (Year, …, Value)"
    ]


def test_reading_streams_a_large_file_in_little_memory(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("geo,period,value,sex\n")
        for i in range(100_000):
            handle.write(f"2584,{1950 + i % 70},{i},{'KM'[i % 2]}\n")
    tracemalloc.start()
    try:
        result = check(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.ok and result.record_count == 100_000
    assert peak < 5_000_000  # kept as objects, 100,000 observations would take ~50 MB


# --- properties -------------------------------------------------------------------------------

GEO_CODES = ["SE", "25", "24", "2584", "2482", "2580", "0114"]
periods = st.one_of(
    st.integers(1950, 2100).map(str),
    st.tuples(st.integers(1950, 2100), st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(st.integers(1950, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)
values = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64))
observations = st.builds(
    lambda geo, period, value, sex: Observation(
        geo,
        "nation" if geo == "SE" else "county" if len(geo) == 2 else "municipality",
        period,
        value,
        dimensions={"Sex": sex} if sex else {},
    ),
    st.sampled_from(GEO_CODES),
    periods,
    values,
    st.sampled_from(["", "Kvinnor", "Män"]),
)
settings_for_files = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _cell(value: float | None, decimal_comma: bool) -> str:
    if value is None:
        return ""
    text = repr(value)
    return text.replace(".", ",") if decimal_comma else text


@settings_for_files
@given(st.lists(observations, max_size=30), st.sampled_from([",", ";"]), st.booleans())
def test_long_csv_round_trip(records, delimiter, decimal_comma):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["geo", "period", "value", "Sex"])
    for r in records:
        writer.writerow(
            [r.geography_code, r.period, _cell(r.value, decimal_comma), r.dimensions.get("Sex", "")]
        )
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "round.csv", buffer.getvalue())
        result = parse_all(path)
    assert result.ok, result.errors
    assert result.records == records


@settings_for_files
@given(st.lists(observations, max_size=30), st.booleans())
def test_open_sdg_round_trip(records, bom):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Year", "GeoCode", "Sex", "Value"])
    for r in records:
        code = "" if r.geography_code == "SE" else r.geography_code
        writer.writerow([r.period, code, r.dimensions.get("Sex", ""), _cell(r.value, True)])
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "sdg.csv", ("\ufeff" if bom else "") + buffer.getvalue())
        result = parse_all(path)
    assert result.ok, result.errors
    assert result.records == records


garbage_cells = st.text(  # NUL makes it binary: refused as a whole, tested below
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
)


@settings_for_files
@given(st.lists(st.lists(garbage_cells, min_size=1, max_size=5), max_size=20))
def test_garbage_rows_give_each_row_a_record_or_a_fault(rows):
    """Under a good header, every row that is not blank is either a record or named in a fault."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["geo", "period", "value"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "garbage.csv", buffer.getvalue())
        stream = parse(path, "csv")
        records = list(stream)
        physical_rows = list(csv.reader(io.StringIO(buffer.getvalue())))[1:]
    filled = [number for number, row in enumerate(physical_rows, 2) if any(c.strip() for c in row)]
    faulty = {error.row for error in stream.errors}
    assert faulty <= set(filled)
    # A fault that recurs on several rows is listed once and summed up in one line.
    summed_up = sum(error.repeats for error in stream.errors)
    assert len(records) + len(faulty) <= len(filled) <= len(records) + len(faulty) + summed_up


@settings_for_files
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_a_csv_parser(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_bytes(data)
        for layout in (None, "csv", "opensdg-csv", "prices-csv"):
            result = check(path, layout)
            assert all(error.file == "random.csv" and error.message for error in result.errors)
            assert result.ok == (result.error_count == 0)


def test_the_stream_fills_in_its_faults_as_it_is_read(tmp_path):
    path = write(tmp_path / "late.csv", "geo,period,value\n25,2020,1\n25,2021,2\n25,2022,x\n")
    stream = parse(path)
    assert next(stream) == Observation("25", "county", "2020", 1.0)
    assert (stream.record_count, stream.error_count, stream.finished) == (1, 0, False)
    result = stream.drain()
    assert (result.record_count, result.error_count, stream.finished) == (2, 1, True)
    assert result.records == []  # drain keeps no record


def test_faults_beyond_the_limit_are_counted_not_kept(tmp_path):
    lines = ["geo,period,value"] + [f"25,{2000 + i},bad{i}" for i in range(20)]
    path = write(tmp_path / "many.csv", "\n".join(lines))
    result = check(path, max_errors=5)
    assert (len(result.errors), result.error_count, result.unlisted_error_count) == (5, 20, 15)
    assert result.errors[-1].row == 6

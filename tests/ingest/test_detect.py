"""The format found from the content; files that are not what their name says are refused."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import DATA, METALS_CSV

from mineralstrategi.ingest import FORMATS, FileRejected, check, detect_format


@pytest.mark.parametrize(
    ("path", "format"),
    [
        (DATA / "opensdg_8-5-2_unemployment.csv", "opensdg-csv"),
        (DATA / "long_mining_employment.csv", "csv"),
        (METALS_CSV, "prices-csv"),
        (DATA / "scb_population_jsonstat2.json", "jsonstat"),
        (DATA / "kolada_N00945.json", "kolada"),
    ],
)
def test_formats_are_found_from_the_content(path, format):
    assert detect_format(path) == format


def test_the_pink_sheet_is_found_by_its_sheet(pink_sheet):
    assert detect_format(pink_sheet) == "pinksheet"


def test_content_decides_even_under_a_neutral_name(tmp_path):
    path = tmp_path / "download"
    path.write_bytes((DATA / "kolada_N00945.json").read_bytes())
    assert detect_format(path) == "kolada"


@pytest.mark.parametrize(
    ("name", "content", "fault"),
    [
        ("data.csv", "zip", "data.csv: the name says CSV text (.csv) but the file is an .xlsx workbook"),
        ("data.csv", b"PK\x05\x06" + bytes(18), "data.csv: the name says CSV text (.csv) but the file is a zip archive"),
        ("data.json", b"Year,Value\n2020,1\n", "data.json: the name says JSON (.json) but the file is CSV text"),
        ("data.json", b"%PDF-1.7\n", "data.json: the name says JSON (.json) but the file is a PDF document"),
        ("data.bin", b"\x1f\x8b\x08\x00", "data.bin: the file is a gzip archive, not a statistics file"),
        ("data.csv", b"", "data.csv: the file is empty"),
        ("data.csv", b"Year,Value\n\x00\x01\x02", "data.csv: the name says CSV text (.csv) but the file is binary data"),
        ("data.json", b'{"type": "FeatureCollection", "features": []}', "data.json: the JSON is neither a JSON-stat dataset"),
        ("data.json", b'{"values": [1, 2', "data.json: the file is not valid JSON: "),
    ],
)  # fmt: skip
def test_files_that_are_not_what_their_name_says(tmp_path, pink_sheet, name, content, fault):
    path = tmp_path / name
    path.write_bytes(pink_sheet.read_bytes() if content == "zip" else content)
    result = check(path)
    assert result.record_count == 0 and result.error_count == 1
    assert str(result.errors[0]).startswith(fault)
    with pytest.raises(FileRejected):
        detect_format(path)


def test_a_format_asked_for_must_fit_the_content(tmp_path):
    assert [str(e) for e in check(METALS_CSV, "jsonstat").errors] == [
        "CMO-Historical-Data-Monthly_metals.csv: the format asked for needs JSON, but the file "
        "is CSV text"
    ]
    assert [str(e) for e in check(DATA / "kolada_N00945.json", "pinksheet").errors] == [
        "kolada_N00945.json: the format asked for needs an .xlsx workbook, but the file is JSON"
    ]


def test_a_missing_file_and_an_unknown_format(tmp_path):
    assert [str(e) for e in check(tmp_path / "gone.csv").errors] == [
        "gone.csv: there is no such file"
    ]
    with pytest.raises(ValueError, match="unknown format 'sdmx'"):
        check(METALS_CSV, "sdmx")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    st.sampled_from([".csv", ".json", ".xlsx", ".txt", ""]),
)
def test_random_bytes_under_any_name_and_format_never_crash(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(data)
        for format in (None, *FORMATS):
            result = check(path, format)
            assert result.ok == (result.error_count == 0)
            assert all(error.message for error in result.errors)

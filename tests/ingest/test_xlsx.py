"""XLSX workbooks: sheets of observations, unsafe files (the World Bank's workbook: test_pink_sheet)."""

import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import write_pink_sheet

from mineralstrategi.ingest import FileRejected, Observation, check, parse_all
from mineralstrategi.ingest.xlsx_files import check_workbook_container

workbook_settings = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def observations_workbook(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Arbetslöshet 16–64 år (exempeldata)"])
    sheet.append([])
    sheet.append(["Year", "GeoCode", "Sex", "Value"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_sheet_of_observations_below_title_rows(tmp_path):
    path = observations_workbook(
        tmp_path / "sdg.xlsx",
        [[2022, "25", None, 5.8], [2022, 2584, "Kvinnor", "3,9"], [2023, None, None, "saknas"]],
    )
    result = parse_all(path)
    assert result.format == "xlsx"
    assert result.records == [
        Observation("25", "county", "2022", 5.8),
        Observation("2584", "municipality", "2022", 3.9, dimensions={"Sex": "Kvinnor"}),
    ]
    assert [str(e) for e in result.errors] == [
        "sdg.xlsx, row 6, field 'Value': 'saknas' is not a number"
    ]


def test_the_pink_sheet_format_needs_its_sheet(tmp_path):
    path = observations_workbook(tmp_path / "sdg.xlsx", [[2022, "25", None, 5.8]])
    assert [str(e) for e in check(path, "pinksheet").errors] == [
        "sdg.xlsx: the workbook has no sheet 'Monthly Prices' (its sheets: Sheet)"
    ]


# --- unsafe or mislabelled files ----------------------------------------------------------------


def test_a_workbook_over_the_size_limit_is_refused(pink_sheet):
    size = round(pink_sheet.stat().st_size / 1000)
    with pytest.raises(FileRejected, match=f"the workbook is {size} kB; the limit is 50 kB"):
        check_workbook_container(pink_sheet, max_bytes=50_000)


def test_a_workbook_that_would_unpack_too_far_is_refused(pink_sheet):
    with pytest.raises(FileRejected, match=r"would unpack to \d+ kB; the limit is 300 kB"):
        check_workbook_container(pink_sheet, max_unpacked=300_000)


def test_a_zip_bomb_is_refused_before_any_xml_is_read(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    assert path.stat().st_size < 100_000
    (fault,) = check(path).errors
    assert str(fault).startswith("bomb.xlsx: xl/worksheets/sheet1.xml in the workbook expands ")
    assert str(fault).endswith(" times; the limit is 100 (a zip bomb?)")


@pytest.mark.parametrize(
    ("name", "content", "fault"),
    [
        (
            "prices.xlsx",
            b"month,copper_usd_per_mt\n2020-01,1\n",
            "the name says an .xlsx workbook (.xlsx) but the file is CSV text",
        ),
        (
            "prices.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "this is an old .xls workbook or an encrypted .xlsx",
        ),
        (
            "prices.xlsx",
            b"PK\x05\x06" + bytes(18),
            "the zip archive is not an .xlsx workbook (no xl/workbook.xml)",
        ),
        (
            "prices.xlsx",
            b"PK\x03\x04garbage",
            "the file is not an .xlsx workbook (it is not a zip archive)",
        ),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, name, content, fault):
    path = tmp_path / name
    path.write_bytes(content)
    result = check(path)
    assert result.record_count == 0
    assert str(result.errors[0]).startswith(f"{name}: {fault}")


def test_a_damaged_workbook_is_a_fault_not_a_crash(tmp_path):
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all")
    result = check(path)
    assert result.error_count == 1
    assert str(result.errors[0]).startswith("damaged.xlsx: the workbook cannot be opened: ")


# --- properties -------------------------------------------------------------------------------

# A workbook keeps 15 significant digits, as Excel does; the Pink Sheet has fewer.
prices = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 4)))


@workbook_settings
@given(st.lists(st.tuples(prices, prices), min_size=1, max_size=24), st.sampled_from(["…", ".."]))
def test_pink_sheet_round_trip(months, marker):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "CMO.xlsx"
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Monthly Prices"
        sheet.append(["World Bank Commodity Price Data (The Pink Sheet)"])
        sheet.append([None, "Copper", "Silver"])
        sheet.append([None, "($/mt)", "($/troy oz)"])
        for index, pair in enumerate(months):
            year, month = divmod(index, 12)
            sheet.append(
                [f"{2000 + year}M{month + 1:02d}", *(marker if v is None else v for v in pair)]
            )
        workbook.save(path)
        result = parse_all(path)
    assert result.ok, result.errors
    assert [p.value for p in result.records] == [v for pair in months for v in pair]
    assert {(p.commodity, p.unit) for p in result.records} == {
        ("copper", "mt"),
        ("silver", "troy oz"),
    }


@workbook_settings
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
                "[Content_Types].xml",
                "xl/_rels/workbook.xml.rels",
            ]
        ),
        st.binary(max_size=200),
        min_size=1,
    )
)
def test_garbage_inside_a_workbook_never_crashes(members):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "garbage.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in members.items():
                archive.writestr(name, content)
        for layout in (None, "xlsx", "pinksheet"):
            result = check(path, layout)
            assert result.error_count >= 1


def test_every_row_is_read_even_when_the_sheet_declares_a_smaller_size(tmp_path):
    """Some programs write <dimension ref="A1"/> for a full sheet; no row may be lost to it."""
    written = write_pink_sheet(tmp_path / "written.xlsx", months=24)
    path = tmp_path / "CMO.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:K31" />' in content
                content = content.replace(b'<dimension ref="A1:K31" />', b'<dimension ref="A1" />')
            target.writestr(member, content)
    result = parse_all(path)
    assert result.ok, result.errors
    assert result.record_count == 24 * 10

"""Single cells: numbers, periods, statuses and geography codes."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mineralstrategi.ingest.values import (
    geography_from_code,
    normalise_period,
    parse_number,
    status_flags,
)


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234", 1.234),
        ("\u22123,5", -3.5),
        ("-0", 0.0),
        ("1e3", 1000.0),
        (7, 7.0),
        (7.25, 7.25),
    ],
)
def test_numbers_in_the_forms_offices_write_them(cell, number):
    assert parse_number(cell) == number


@pytest.mark.parametrize("cell", ["", "  ", "..", "…", ":", None])
def test_missing_markers_are_no_value(cell):
    assert parse_number(cell) is None


@pytest.mark.parametrize("cell", ["n/a", "nan", "inf", "12,5%", "1.234.567", "abc", True, "1e999"])
def test_text_is_not_a_number(cell):
    with pytest.raises(ValueError, match="not a number|too large|not a finite"):
        parse_number(cell)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_written_with_a_decimal_comma_reads_back(number):
    assert parse_number(repr(number).replace(".", ",")) == number


@pytest.mark.parametrize(
    ("cell", "period"),
    [
        ("2019", "2019"),
        (2019, "2019"),
        (2019.0, "2019"),
        ("2019K3", "2019-Q3"),
        ("2019Q3", "2019-Q3"),
        ("2019-Q3", "2019-Q3"),
        ("2019M07", "2019-07"),
        ("1960M01", "1960-01"),
        ("2019-07", "2019-07"),
        ("2019-7", "2019-07"),
    ],
)
def test_periods_are_normalised(cell, period):
    assert normalise_period(cell) == period


@pytest.mark.parametrize("cell", ["2019M13", "2019K5", "19", "year", "1700", "2019.5", "", True])
def test_what_is_not_a_period(cell):
    with pytest.raises(ValueError):
        normalise_period(cell)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("00", ("SE", "nation")),
        ("0000", ("SE", "nation")),
        ("SE", ("SE", "nation")),
        ("25", ("25", "county")),
        ("0025", ("25", "county")),
        ("2584", ("2584", "municipality")),
        ("0114", ("0114", "municipality")),
    ],
)
def test_swedish_geography_codes(code, expected):
    assert geography_from_code(code) == expected


@pytest.mark.parametrize("code", ["26", "0026", "2500", "99999", "Kiruna", "", "SE1"])
def test_what_is_not_a_geography_code(code):
    with pytest.raises(ValueError):
        geography_from_code(code)


def test_a_site_is_named_by_its_level_and_a_level_must_match_the_code():
    assert geography_from_code("LKAB-KIRUNAVAARA", "site") == ("LKAB-KIRUNAVAARA", "site")
    with pytest.raises(ValueError, match="is a county code"):
        geography_from_code("25", "municipality")


@pytest.mark.parametrize(
    ("status", "flags"),
    [
        ("", (False, False)),
        ("p", (True, False)),
        ("Estimated value", (False, True)),
        ("p,e", (True, True)),
    ],
)
def test_status_flags(status, flags):
    assert status_flags(status, strict=True) == flags


def test_an_unknown_status_is_a_fault_only_in_our_own_layout():
    with pytest.raises(ValueError, match="not a status"):
        status_flags("B", strict=True)
    assert status_flags("B", strict=False) == (False, False)


@given(st.text(max_size=30))
def test_any_text_gives_a_number_none_or_a_value_error(text):
    try:
        number = parse_number(text)
    except ValueError:
        return
    assert number is None or math.isfinite(number)

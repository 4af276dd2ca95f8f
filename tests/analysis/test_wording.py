"""Numbers written for readers: English 1,234.5 and -3; Swedish 1 234,5 and −3."""

import pytest

from mineralstrategi.analysis.wording import is_percentage_unit, number, significant, year_span


@pytest.mark.parametrize(
    ("value", "decimals", "signed", "en", "sv"),
    [
        (1234.5, 1, False, "1,234.5", "1\u00a0234,5"),
        (-3.0, 0, False, "-3", "\u22123"),
        (0.45, 2, True, "+0.45", "+0,45"),
        (-0.004, 2, False, "0.00", "0,00"),  # never "-0"
        (129600, 0, False, "129,600", "129\u00a0600"),
    ],
)
def test_number(value, decimals, signed, en, sv):
    assert number(value, "en", decimals, signed) == en
    assert number(value, "sv", decimals, signed) == sv


def test_significant_digits_without_exponents_or_trailing_zeros():
    assert significant(9.2201, "en", 4) == "9.22"
    assert significant(11.904, "sv", 4) == "11,9"
    assert significant(123456.0, "en", 3) == "123,456"
    assert significant(0.0, "en") == "0"


def test_year_span_and_percentage_units():
    assert year_span([2016, 2014, 2015]) == "2014–2016"
    assert year_span([2015]) == "2015"
    assert all(map(is_percentage_unit, ["procent", "%", "Procent av BNP", "per cent"]))
    assert not any(map(is_percentage_unit, ["personer", "andel", "miljoner kronor"]))

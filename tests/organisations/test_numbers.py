import pytest
from django.core.exceptions import ValidationError

from mineralstrategi.organisations.numbers import luhn_valid, normalise_organisation_number


@pytest.mark.parametrize(
    "text,expected",
    [
        ("212000-2817", "212000-2817"),  # Kiruna kommun
        ("2120002817", "212000-2817"),
        (" 212000-2817 ", "212000-2817"),
    ],
)
def test_valid_numbers_are_written_with_a_hyphen(text, expected):
    assert normalise_organisation_number(text) == expected


def test_a_wrong_check_digit_is_named():
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number("212000-2818")
    assert error.value.code == "check_digit"
    assert "212000-2818" in error.value.messages[0]


@pytest.mark.parametrize("text", ["", "21200-2817", "212000+2817", "abcdef-ghij", "212000-28170"])
def test_wrong_shapes_are_refused(text):
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number(text)
    assert error.value.code == "shape"


def test_luhn():
    assert luhn_valid("2120002817")
    assert not luhn_valid("2120002816")

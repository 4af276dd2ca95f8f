"""Swedish organisation numbers (organisationsnummer): ten digits, written NNNNNN-NNNN, whose
last digit is a Luhn check digit over the first nine."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SHAPE = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_valid(digits: str) -> bool:
    """Whether the last digit of `digits` is the Luhn check digit of the ones before it."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_organisation_number(text: str) -> str:
    """The number written NNNNNN-NNNN, or a ValidationError naming what is wrong.

    Accepts the ten digits with or without the hyphen and with surrounding spaces."""
    match = _SHAPE.match(text.strip())
    if match is None:
        raise ValidationError(
            _("An organisation number has ten digits, written NNNNNN-NNNN: “%(value)s” is not."),
            code="shape",
            params={"value": text},
        )
    digits = match.group(1) + match.group(2)
    if not luhn_valid(digits):
        raise ValidationError(
            _("The organisation number %(value)s has a wrong check digit (its last digit)."),
            code="check_digit",
            params={"value": f"{match.group(1)}-{match.group(2)}"},
        )
    return f"{match.group(1)}-{match.group(2)}"


def validate_organisation_number(text: str) -> None:
    """A model and form field validator; an empty value is left to the field's `blank`."""
    if text:
        normalise_organisation_number(text)

"""Numbers, year spans and units written for readers, in English and in Swedish.

English: decimal point, thousands grouped with a comma (1,234.5), the hyphen-minus.
Swedish: decimal comma, thousands grouped with a no-break space (1 234,5) and the minus sign
U+2212, as Svenska skrivregler (Språkrådet) recommend. One helper per concern, so that every
sentence of the package writes a number the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

NO_BREAK_SPACE = "\u00a0"
MINUS = "\u2212"
_SWEDISH = str.maketrans({",": NO_BREAK_SPACE, ".": ",", "-": MINUS})
_PERCENT_WORDS = ("%", "procent", "percent", "per cent")


def number(value: float, lang: str = "en", decimals: int = 0, signed: bool = False) -> str:
    """``value`` with ``decimals`` decimals and thousands grouped, in the reader's language."""
    if round(value, decimals) == 0:
        value = 0.0  # never "-0"
    text = f"{value:{'+' if signed else ''},.{decimals}f}"
    return text.translate(_SWEDISH) if lang == "sv" else text


def significant(value: float, lang: str = "en", digits: int = 3, signed: bool = False) -> str:
    """``value`` to ``digits`` significant digits without trailing zeros (9.22, 11.9), never in
    exponent notation (a number of more digits than that is rounded to a whole number: 12,345,
    not 1.23e+04)."""
    if value == 0 or not math.isfinite(value):
        return number(0.0 if value == 0 else value, lang, 0, signed)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = number(value, lang, decimals, signed)
    if decimals:
        point = "," if lang == "sv" else "."
        text = text.rstrip("0").rstrip(point)
    return text


def year_span(years: Iterable[int]) -> str:
    """'2015' or '2015–2017' (first and last of the years, joined by an en dash)."""
    ordered = sorted(years)
    if not ordered:
        return ""
    if ordered[0] == ordered[-1]:
        return str(ordered[0])
    return f"{ordered[0]}–{ordered[-1]}"


def is_percentage_unit(unit: str) -> bool:
    """True when the unit says the values are percentages ('procent', '%', 'per cent of …'):
    differences of such values are percentage points. A bare 'andel' or 'share' does not count,
    since a share may also be written as a fraction of one."""
    text = unit.strip().lower()
    return any(word in text for word in _PERCENT_WORDS)

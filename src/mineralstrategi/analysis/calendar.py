"""Calendar-year values from observations of any frequency: the series every verdict is given on.

The progress status, the trend and cycle, and the cycle adjustment all work on one value a year.
Statistics offices publish many indicators monthly ("2024-03") or quarterly ("2024-Q1"), so their
observations are turned into calendar-year means here, over complete years only: twelve months or
four quarters. A mean over part of a year carries the season of the months it has (population
peaks in summer, employment dips in winter), so an incomplete year is left out, and named with how
many of its periods there are ("only 4 of 12 months of 2026"). A year published as a year ("2024")
is taken as it is.

A mean is the right annual figure for levels (population, employees, a share); for a flow (tonnes a
month) the annual total is twelve times the mean, which leaves every growth rate, and so every
Open SDG verdict without a target, unchanged; a target in levels must then be set on the mean.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mineralstrategi.analysis._series import Frequency

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_PERIOD_NAMES = {Frequency.MONTHLY: "months", Frequency.QUARTERLY: "quarters"}


@dataclass(frozen=True)
class IncompleteYear:
    """A calendar year left out for having only ``present`` of its ``needed`` periods."""

    year: int
    present: int
    needed: int
    frequency: Frequency

    @property
    def text_en(self) -> str:
        return (
            f"only {self.present} of {self.needed} {_PERIOD_NAMES[self.frequency]} of {self.year}"
        )


@dataclass(frozen=True)
class CalendarYears:
    """Year -> value over complete calendar years (``annual``), and what was left out and why.

    ``frequency`` is that of the observations: annual when every year was published as a year,
    else monthly or quarterly (the finer when both occur). ``ok`` is False when no year is left,
    with the reason."""

    annual: dict[int, float] = field(default_factory=dict)
    frequency: Frequency | None = None
    incomplete: tuple[IncompleteYear, ...] = ()
    reason: str = ""
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.annual)

    @property
    def averaged(self) -> bool:
        """True when some year is a mean of months or quarters."""
        return self.frequency in (Frequency.MONTHLY, Frequency.QUARTERLY)


def calendar_year_means(
    observations: Mapping[str, float | None] | Iterable[tuple[str, float | None]],
    name: str = "series",
) -> CalendarYears:
    """Calendar-year means of ``observations`` (period -> value; periods "2024", "2024-Q1" or
    "2024-03"), over complete years. A missing value (None or NaN) leaves its period out, so its
    year is incomplete. Never raises: a period it cannot read gives ``ok=False`` and names it."""
    items = observations.items() if isinstance(observations, Mapping) else observations
    years: dict[int, float] = {}
    periods: dict[Frequency, dict[int, dict[int, float]]] = {
        Frequency.MONTHLY: {},
        Frequency.QUARTERLY: {},
    }
    seen: set[str] = set()
    for raw_period, raw_value in items:
        period = str(raw_period).strip()
        if period in seen:
            return CalendarYears(reason=f"{name}: period {period} occurs more than once")
        seen.add(period)
        parsed = _parse(period)
        if parsed is None:
            return CalendarYears(
                reason=f"{name}: '{period}' is not a year, quarter or month "
                "(2024, 2024-Q1 or 2024-03)"
            )
        frequency, year, position = parsed
        value = _number(raw_value)
        if value is None:
            continue
        if frequency is Frequency.ANNUAL:
            years[year] = value
        else:
            periods[frequency].setdefault(year, {})[position] = value
    return _combined(years, periods, name)


def _parse(period: str) -> tuple[Frequency, int, int] | None:
    if match := _YEAR.match(period):
        return Frequency.ANNUAL, int(match[1]), 0
    if match := _MONTH.match(period):
        return Frequency.MONTHLY, int(match[1]), int(match[2])
    if match := _QUARTER.match(period):
        return Frequency.QUARTERLY, int(match[1]), int(match[2])
    return None


def _number(raw: float | None) -> float | None:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _combined(years: dict[int, float], periods, name: str) -> CalendarYears:
    annual = dict(years)
    incomplete: list[IncompleteYear] = []
    notes: list[str] = []
    used: set[Frequency] = {Frequency.ANNUAL} if years else set()
    sub_annual_years = set(periods[Frequency.MONTHLY]) | set(periods[Frequency.QUARTERLY])
    for year in sorted(sub_annual_years):
        if year in years:
            notes.append(f"{name}: {year} was published as a year; that value was used")
            continue
        mean, frequency, short = _year_mean(year, periods)
        used.add(frequency)
        if mean is None:
            incomplete.append(short)
        else:
            annual[year] = mean
    frequency = next(
        (f for f in (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL) if f in used), None
    )
    if incomplete:
        listed = "; ".join(item.text_en for item in incomplete)
        notes.append(f"{name}: left out, a calendar-year mean needs every period: {listed}")
    reason = ""
    if not annual:
        reason = f"{name}: no observations"
        if incomplete:
            reason = f"{name}: no complete calendar year: " + "; ".join(
                item.text_en for item in incomplete
            )
    return CalendarYears(
        annual=dict(sorted(annual.items())),
        frequency=frequency,
        incomplete=tuple(incomplete),
        reason=reason,
        notes=tuple(notes),
    )


def _year_mean(year: int, periods) -> tuple[float | None, Frequency, IncompleteYear | None]:
    """The year's mean of its months (else of its quarters) when complete, else what it has."""
    shortest = None
    for frequency in (Frequency.MONTHLY, Frequency.QUARTERLY):
        values = periods[frequency].get(year)
        if not values:
            continue
        needed = frequency.periods_per_year
        if len(values) == needed:
            return math.fsum(values.values()) / needed, frequency, None
        shortest = shortest or IncompleteYear(year, len(values), needed, frequency)
    return None, shortest.frequency, shortest

"""Turning what callers hand us into clean pandas series, or a reason why we cannot.

Every public function of the package accepts a mapping (year -> value) or a pandas Series. These
helpers check the input once, in one place, and answer with a short English reason naming what is
wrong and where (which year or period), so that no function crashes or judges on bad data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

SeriesLike = Mapping[int, float] | pd.Series


class Frequency(StrEnum):
    """How often a series is observed; decides the smoothing parameter of the HP filter."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def periods_per_year(self) -> int:
        return {"annual": 1, "quarterly": 4, "monthly": 12}[self.value]


@dataclass(frozen=True)
class Checked:
    """A series that passed the checks (``series``), or the reason it did not (``reason``)."""

    series: pd.Series | None
    reason: str = ""
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.series is not None


def _label(key: object) -> str:
    return str(key)


def annual_series(data: SeriesLike, name: str = "series") -> Checked:
    """A float series indexed by integer year, sorted; missing values (NaN/None) dropped with a note.

    Refused: keys that are not years, duplicate years, infinite values, an empty series.
    """
    if not isinstance(data, pd.Series | Mapping):
        return Checked(None, f"{name}: expected a mapping of year to value or a pandas Series")
    items = list(data.items())
    years: list[int] = []
    values: list[float] = []
    missing: list[int] = []
    for key, raw in items:
        year = _as_year(key)
        if year is None:
            return Checked(None, f"{name}: '{_label(key)}' is not a year")
        value = _as_float(raw)
        if value is _NOT_A_NUMBER:
            return Checked(None, f"{name}: the value for {year} is not a number ({raw!r})")
        if value is None or math.isnan(value):
            missing.append(year)
            continue
        if math.isinf(value):
            return Checked(None, f"{name}: the value for {year} is infinite")
        years.append(year)
        values.append(value)
    if len(set(years + missing)) != len(years) + len(missing):
        duplicated = sorted({y for y in years + missing if (years + missing).count(y) > 1})
        return Checked(None, f"{name}: year {duplicated[0]} occurs more than once")
    if not years:
        return Checked(None, f"{name}: no observations")
    series = pd.Series(values, index=pd.Index(years, name="year"), name=name, dtype=float)
    notes = ()
    if missing:
        notes = (f"{name}: no value for {_years_text(sorted(missing))}; those years were left out",)
    return Checked(series.sort_index(), notes=notes)


def periodic_series(data: pd.Series, frequency: Frequency, name: str = "series") -> Checked:
    """A float series indexed by a pandas PeriodIndex of the given frequency, sorted, NaN-free.

    Accepts a Series indexed by periods, timestamps, period strings ('2024-01', '2024Q1'), or, for
    annual data, integer years. Missing values are refused here (a filter needs an unbroken series);
    ``contiguous`` checks for gaps in the periods themselves.
    """
    if not isinstance(data, pd.Series):
        if frequency is Frequency.ANNUAL and isinstance(data, Mapping):
            checked = annual_series(data, name)
            if not checked.ok:
                return checked
            data = checked.series
        else:
            return Checked(None, f"{name}: expected a pandas Series")
    freq = {"annual": "Y", "quarterly": "Q", "monthly": "M"}[frequency.value]
    try:
        index = _period_index(data.index, freq)
    except (ValueError, TypeError) as error:
        return Checked(
            None, f"{name}: the index cannot be read as {frequency.value} periods ({error})"
        )
    try:
        values = pd.to_numeric(pd.Series(data.to_numpy(), index=index), errors="raise").astype(
            float
        )
    except (ValueError, TypeError):
        return Checked(None, f"{name}: a value is not a number")
    if index.has_duplicates:
        return Checked(None, f"{name}: period {index[index.duplicated()][0]} occurs more than once")
    values = values.sort_index()
    nan_at = values.index[values.isna()]
    if len(nan_at):
        return Checked(None, f"{name}: no value for {_periods_text(nan_at)}")
    inf_at = values.index[np.isinf(values.to_numpy())]
    if len(inf_at):
        return Checked(None, f"{name}: the value for {inf_at[0]} is infinite")
    if values.empty:
        return Checked(None, f"{name}: no observations")
    values.name = name
    return Checked(values)


def gap_reason(series: pd.Series, name: str = "series") -> str:
    """'' if the periods (or integer years) follow each other without a gap, else what is missing."""
    index = series.index
    if isinstance(index, pd.PeriodIndex):
        expected = pd.period_range(index[0], index[-1], freq=index.freq)
        missing = expected.difference(index)
        if len(missing):
            return f"{name}: gap in the series, no value for {_periods_text(missing)}"
        return ""
    years = list(index)
    missing_years = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing_years:
        return f"{name}: gap in the series, no value for {_years_text(missing_years)}"
    return ""


def too_short_reason(count: int, minimum: int, name: str = "series") -> str:
    if count < minimum:
        return f"{name}: too few observations: {count}, need at least {minimum}"
    return ""


def constant_reason(series: pd.Series, name: str = "series") -> str:
    values = series.to_numpy(dtype=float)
    if len(values) and np.ptp(values) <= 1e-12 * max(1.0, float(np.max(np.abs(values)))):
        return f"{name}: the series is constant, so it has no cycle to relate to anything"
    return ""


def _period_index(index: pd.Index, freq: str) -> pd.PeriodIndex:
    if isinstance(index, pd.PeriodIndex):
        if not index.freqstr.startswith(freq):
            raise ValueError(f"its periods are '{index.freqstr}'")
        return index
    if isinstance(index, pd.DatetimeIndex):
        return index.to_period(freq)
    if pd.api.types.is_integer_dtype(index):
        if freq != "Y":
            raise ValueError("whole numbers are read as years")
        return pd.PeriodIndex([pd.Period(year=int(y), freq="Y") for y in index])
    return pd.PeriodIndex([pd.Period(str(v), freq=freq) for v in index])


def _years_text(years: list[int]) -> str:
    shown = ", ".join(str(y) for y in years[:5])
    return shown + (f" and {len(years) - 5} more" if len(years) > 5 else "")


def _periods_text(periods: pd.Index) -> str:
    shown = ", ".join(str(p) for p in list(periods)[:5])
    return shown + (f" and {len(periods) - 5} more" if len(periods) > 5 else "")


_NOT_A_NUMBER = object()


def _as_year(key: object) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int | np.integer):
        return int(key)
    if isinstance(key, pd.Period) and key.freqstr.startswith("Y"):
        return int(key.year)
    if isinstance(key, str) and key.strip().isdigit() and len(key.strip()) == 4:
        return int(key.strip())
    if isinstance(key, float) and key.is_integer():
        return int(key)
    return None


def _as_float(raw: object) -> float | None | object:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return _NOT_A_NUMBER
    try:
        return float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return _NOT_A_NUMBER

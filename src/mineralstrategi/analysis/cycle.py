"""Trend and cycle: the Hodrick–Prescott filter (single, batch, break-aware) and band-pass / STL.

The HP trend tau of a series y solves (I + lambda * D'D) tau = y, with D the (n-2) x n second-
difference matrix; the cycle is y - tau. The matrix is symmetric, positive definite and
pentadiagonal, so one banded Cholesky factorisation (LAPACK ``pbtrf`` through
``scipy.linalg.cholesky_banded``) serves every series of the same length and lambda: solving many
right-hand sides at once is what makes ``hp_filter_batch`` fast. The numbers equal
``statsmodels.tsa.filters.hp_filter.hpfilter`` (a sparse LU solve) to rounding: the matrix's
condition number is about 1 + 16 * lambda (2e6 for monthly data), so the two agree to about
1e-11 relative to the size of the data, well inside 1e-8 (see tests/analysis/test_cycle_filters.py).

Smoothing parameter by frequency, one convention for all (Ravn and Uhlig 2002, "On adjusting the
Hodrick-Prescott filter for the frequency of observations", Review of Economics and Statistics 84(2)):
lambda scales with the fourth power of the number of periods a year, from Hodrick and Prescott's
1,600 for quarterly data: 1,600 / 4**4 = 6.25 for annual, 1,600 * 3**4 = 129,600 for monthly data.
With these values the filter separates the same cycles whatever the frequency: the cycle's gain,
4 lambda (1 - cos w)**2 / (1 + 4 lambda (1 - cos w)**2), is one half at a period of 9.8 years
(annual), 9.9 years (quarterly and monthly). So an annual indicator and the annual mean of a
monthly price cycle hold cycles of the same lengths. (The customary annual 100 would pass cycles of
up to 20 years into an annual indicator's cycle while the monthly price cycle holds those up to 10.)
Every indicator and every price uses ``HP_LAMBDA``; ``lamb`` overrides it for one call.

Minimum length: ten years of data whatever the frequency (10 years, 40 quarters, 120 months), one
full period at the filter's half-gain point; a shorter series cannot show a cycle of the lengths
the filter separates.

The estimates of the last few years of any series are provisional: the filter is two-sided and
has no later years to lean on there, so they move when data are added (``revisions``).

Known breaks in how a series is measured (the World Bank iron ore price changed method twice) must
not be read as a cycle. ``hp_decompose(..., breaks=...)`` offers three ways; in each the step is put
into the trend, so it never shows as a cycle:

- ``BreakMethod.LOCAL_JUMP`` (default): the shift is the jump across the break less the median change
  of the periods around it (two years either side).
- ``BreakMethod.LEVEL_SHIFT``: step dummies estimated jointly with the trend: minimise
  ||y - tau - S b||^2 + lambda ||D tau||^2 over tau and b; b is then a generalised least squares
  estimate with weight I - (I + lambda D'D)^-1. This is the maximum-likelihood answer if the cycle were
  white noise; a persistent cycle around the break leaks into b. On the iron ore price it gives +0.24
  at 2006-01 and -0.45 at 2008-12 (log points): the 2004-08 boom and the 2008 crash, not the change of
  grade (63.5 % to 62 % Fe), while the local jump gives +0.03 and +0.04. Hence the default.
- ``BreakMethod.SEGMENTS``: each segment between breaks is filtered on its own (with the end-point
  weakness of the HP filter at every break).

Second methods: the Christiano–Fitzgerald band-pass filter (``cf_decompose``, statsmodels'
``cffilter``; business cycles of 2 to 8 years by default, keeps every observation, unlike
Baxter–King) and, for monthly series with a seasonal pattern, STL (``stl_decompose``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import numpy as np
import pandas as pd

from mineralstrategi.analysis._series import (
    Frequency,
    constant_reason,
    gap_reason,
    periodic_series,
    too_short_reason,
)

HP_LAMBDA = {Frequency.ANNUAL: 6.25, Frequency.QUARTERLY: 1600.0, Frequency.MONTHLY: 129600.0}
MIN_YEARS = 10
MIN_OBSERVATIONS = {f: MIN_YEARS * f.periods_per_year for f in Frequency}
STL_MIN_MONTHS = 36


class BreakMethod(StrEnum):
    LEVEL_SHIFT = "level_shift"
    LOCAL_JUMP = "local_jump"
    SEGMENTS = "segments"


@dataclass(frozen=True)
class Decomposition:
    """A series split into trend and cycle (and, for STL, a seasonal part); or why it could not be."""

    ok: bool
    reason: str = ""
    method: str = ""
    frequency: Frequency | None = None
    observed: pd.Series | None = None
    trend: pd.Series | None = None
    cycle: pd.Series | None = None
    seasonal: pd.Series | None = None
    level_shifts: dict[str, float] = field(default_factory=dict)
    parameters: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, reason: str, method: str = "") -> Decomposition:
        return cls(ok=False, reason=reason, method=method)


@dataclass(frozen=True)
class BatchDecomposition:
    """Trends and cycles of many equal-length series, one series per row."""

    ok: bool
    reason: str = ""
    trend: np.ndarray | None = None
    cycle: np.ndarray | None = None


def hp_lambda(frequency: Frequency | str) -> float:
    return HP_LAMBDA[Frequency(frequency)]


@lru_cache(maxsize=32)
def _hp_cholesky(nobs: int, lamb: float) -> np.ndarray:
    """The upper banded Cholesky factor of I + lamb * D'D (read-only, cached by size and lambda)."""
    rows = np.ones(nobs - 2)  # each row of D adds lamb * [1, -2, 1]' [1, -2, 1] on the diagonal
    main = 1.0 + lamb * np.convolve(rows, [1.0, 4.0, 1.0])
    first = lamb * np.convolve(rows, [-2.0, -2.0])
    bands = np.zeros((3, nobs))
    bands[2] = main
    bands[1, 1:] = first
    bands[0, 2:] = lamb
    from scipy.linalg import (
        cholesky_banded,  # imported where used: statsmodels and scipy take seconds to load (see __init__)
    )

    factor = cholesky_banded(bands, lower=False)
    factor.setflags(write=False)
    return factor


def _hp_solve(values: np.ndarray, lamb: float) -> np.ndarray:
    """(I + lamb D'D)^-1 values, for a vector or for a matrix whose columns are series."""
    from scipy.linalg import (
        cho_solve_banded,  # imported where used: statsmodels and scipy take seconds to load (see __init__)
    )

    return cho_solve_banded((_hp_cholesky(values.shape[0], float(lamb)), False), values)


def hp_filter_batch(values: np.ndarray, lamb: float) -> BatchDecomposition:
    """HP-filter every row of ``values`` (n_series x n_obs) with one shared factorisation."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return BatchDecomposition(False, "the values are not numbers")
    if array.ndim != 2:
        return BatchDecomposition(
            False, f"expected a 2-D array (series x observations), got {array.ndim}-D"
        )
    if array.shape[1] < 3:
        return BatchDecomposition(False, too_short_reason(array.shape[1], 3, "each series"))
    if not np.isfinite(array).all():
        row, col = np.argwhere(~np.isfinite(array))[0]
        return BatchDecomposition(False, f"series {row}, observation {col}: not a finite number")
    if not (np.isfinite(lamb) and lamb > 0):
        return BatchDecomposition(False, f"lambda must be a positive number, not {lamb!r}")
    trend = _hp_solve(array.T, lamb).T
    return BatchDecomposition(True, trend=trend, cycle=array - trend)


def hp_decompose(
    series: pd.Series,
    frequency: Frequency | str,
    lamb: float | None = None,
    breaks: tuple[object, ...] | list[object] = (),
    break_method: BreakMethod | str = BreakMethod.LOCAL_JUMP,
    name: str = "series",
) -> Decomposition:
    """HP trend and cycle of one unbroken series, respecting known measurement breaks.

    ``breaks`` are the first periods of each new regime (e.g. ``"2006-01"``); a break outside the
    series is ignored with a note.
    """
    method = "hodrick_prescott"
    try:
        frequency = Frequency(frequency)
        break_method = BreakMethod(break_method)
    except ValueError as error:
        return Decomposition.refused(str(error), method)
    lamb = hp_lambda(frequency) if lamb is None else float(lamb)
    if not (np.isfinite(lamb) and lamb > 0):
        return Decomposition.refused(f"lambda must be a positive number, not {lamb!r}", method)
    checked = _checked_for_filter(series, frequency, name)
    if isinstance(checked, str):
        return Decomposition.refused(checked, method)
    values, notes = checked, []
    positions, break_notes, reason = _break_positions(values, breaks, frequency)
    notes += break_notes
    if reason:
        return Decomposition.refused(reason, method)
    params = {"lambda": lamb}
    if not positions:
        trend = _hp_solve(values.to_numpy(), lamb)
        return _decomposition(method, frequency, values, trend, params, notes)
    if break_method is BreakMethod.SEGMENTS:
        return _hp_by_segments(values, frequency, lamb, positions, notes, name)
    if break_method is BreakMethod.LOCAL_JUMP:
        return _hp_with_local_jumps(values, frequency, lamb, positions, notes)
    return _hp_with_level_shifts(values, frequency, lamb, positions, notes)


def cf_decompose(
    series: pd.Series,
    frequency: Frequency | str,
    low_years: float = 2.0,
    high_years: float = 8.0,
    drift: bool = True,
    name: str = "series",
) -> Decomposition:
    """Christiano–Fitzgerald band-pass: the cycle is what moves with periods of low..high years."""
    method = "christiano_fitzgerald"
    try:
        frequency = Frequency(frequency)
    except ValueError as error:
        return Decomposition.refused(str(error), method)
    per_year = frequency.periods_per_year
    low, high = low_years * per_year, high_years * per_year
    if not 2 <= low < high:
        return Decomposition.refused(
            f"the band must run from at least 2 periods up to a longer one; got {low:g} to {high:g}",
            method,
        )
    checked = _checked_for_filter(series, frequency, name)
    if isinstance(checked, str):
        return Decomposition.refused(checked, method)
    needed = max(MIN_OBSERVATIONS[frequency], int(np.ceil(2 * high)))
    if short := too_short_reason(len(checked), needed, name):
        return Decomposition.refused(short + " (twice the longest period of the band)", method)
    from statsmodels.tsa.filters.cf_filter import (
        cffilter,  # imported where used: statsmodels and scipy take seconds to load (see __init__)
    )

    cycle, _ = cffilter(checked.to_numpy(), low=low, high=high, drift=drift)
    # statsmodels' trend leaves out the drift it removed first; ours is everything but the cycle
    trend = checked.to_numpy() - np.asarray(cycle)
    params = {"low_years": low_years, "high_years": high_years}
    return _decomposition(method, frequency, checked, trend, params, [])


def stl_decompose(series: pd.Series, name: str = "series", robust: bool = True) -> Decomposition:
    """STL for a monthly series: trend, seasonal pattern and remainder (reported as ``cycle``)."""
    method = "stl"
    checked = _checked_for_filter(series, Frequency.MONTHLY, name, minimum=0)
    if isinstance(checked, str):
        return Decomposition.refused(checked, method)
    if short := too_short_reason(len(checked), STL_MIN_MONTHS, name):
        return Decomposition.refused(short + " (three years of months)", method)
    from statsmodels.tsa.seasonal import (
        STL,  # imported where used: statsmodels and scipy take seconds to load (see __init__)
    )

    fit = STL(checked.to_numpy(), period=12, robust=robust).fit()
    index = checked.index
    return Decomposition(
        ok=True,
        method=method,
        frequency=Frequency.MONTHLY,
        observed=checked,
        trend=pd.Series(fit.trend, index=index, name="trend"),
        cycle=pd.Series(fit.resid, index=index, name="remainder"),
        seasonal=pd.Series(fit.seasonal, index=index, name="seasonal"),
        parameters={"period": 12.0},
    )


def _checked_for_filter(
    series: pd.Series, frequency: Frequency, name: str, minimum: int | None = None
) -> pd.Series | str:
    checked = periodic_series(series, frequency, name)
    if not checked.ok:
        return checked.reason
    values = checked.series
    needed = MIN_OBSERVATIONS[frequency] if minimum is None else minimum
    return gap_reason(values, name) or too_short_reason(len(values), needed, name) or values


def _decomposition(method, frequency, values, trend, params, notes) -> Decomposition:
    trend_series = pd.Series(trend, index=values.index, name="trend")
    if constant_reason(values):
        notes = [*notes, "the series is constant: its cycle is zero"]
    return Decomposition(
        ok=True,
        method=method,
        frequency=frequency,
        observed=values,
        trend=trend_series,
        cycle=(values - trend_series).rename("cycle"),
        parameters=params,
        notes=tuple(notes),
    )


def _break_positions(values: pd.Series, breaks, frequency: Frequency):
    positions, notes = [], []
    freq = values.index.freqstr
    for raw in breaks:
        try:
            period = (
                raw.asfreq(freq) if isinstance(raw, pd.Period) else pd.Period(str(raw), freq=freq)
            )
        except (ValueError, TypeError):
            return [], notes, f"break '{raw}' is not a {frequency.value} period"
        if period <= values.index[0] or period > values.index[-1]:
            notes.append(f"break {period} lies outside the series and was ignored")
            continue
        positions.append(int(values.index.get_loc(period)))
    return sorted(set(positions)), notes, ""


def _hp_with_level_shifts(values, frequency, lamb, positions, notes) -> Decomposition:
    y = values.to_numpy()
    steps = np.zeros((len(y), len(positions)))
    for column, position in enumerate(positions):
        steps[position:, column] = 1.0
    weighted_steps = steps - _hp_solve(steps, lamb)  # (I - A^-1) S
    weighted_y = y - _hp_solve(y, lamb)  # (I - A^-1) y
    gram = steps.T @ weighted_steps
    if np.linalg.cond(gram) > 1e12:
        return Decomposition.refused("the level shifts cannot be told apart from the trend")
    shifts = np.linalg.solve(gram, steps.T @ weighted_y)
    shifted = steps @ shifts
    trend = _hp_solve(y - shifted, lamb) + shifted
    labels = {str(values.index[p]): float(s) for p, s in zip(positions, shifts, strict=True)}
    notes = notes + [
        "a level shift at each break was estimated with the trend and kept in the trend; "
        "it also takes up any real move of the series around the break, so compare it with "
        "what the change of method could plausibly cause"
    ]
    result = _decomposition("hodrick_prescott", frequency, values, trend, {"lambda": lamb}, notes)
    return _with(result, level_shifts=labels)


def _hp_with_local_jumps(values, frequency, lamb, positions, notes) -> Decomposition:
    """Shift = the jump across the break less the median change of the neighbouring periods."""
    y = values.to_numpy()
    changes = np.diff(y)
    shifted = np.zeros_like(y)
    labels = {}
    window = 2 * frequency.periods_per_year
    for position in positions:
        jump_at = position - 1  # changes[i] = y[i + 1] - y[i]
        around = np.r_[
            changes[max(0, jump_at - window) : jump_at], changes[jump_at + 1 : jump_at + 1 + window]
        ]
        shift = float(changes[jump_at] - (np.median(around) if len(around) else 0.0))
        shifted[position:] += shift
        labels[str(values.index[position])] = shift
    trend = _hp_solve(y - shifted, lamb) + shifted
    notes = notes + [
        "the jump across each break, less the usual change of the neighbouring periods, was "
        "taken as a level shift and kept in the trend"
    ]
    result = _decomposition("hodrick_prescott", frequency, values, trend, {"lambda": lamb}, notes)
    return _with(result, level_shifts=labels)


def _hp_by_segments(values, frequency, lamb, positions, notes, name) -> Decomposition:
    edges = [0, *positions, len(values)]
    trends = []
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        segment = values.iloc[start:stop]
        if stop - start < 3:
            return Decomposition.refused(
                f"{name}: the segment {segment.index[0]}–{segment.index[-1]} between breaks has "
                f"{stop - start} observations; the HP filter needs at least 3",
                "hodrick_prescott",
            )
        trends.append(_hp_solve(segment.to_numpy(), lamb))
    notes = notes + ["each segment between breaks was filtered on its own"]
    return _decomposition(
        "hodrick_prescott", frequency, values, np.concatenate(trends), {"lambda": lamb}, notes
    )


def _with(result: Decomposition, **changes) -> Decomposition:
    from dataclasses import replace

    return replace(result, **changes)

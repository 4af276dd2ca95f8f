"""How provisional the last years of a trend or of a cycle-adjusted series are.

The Hodrick–Prescott filter is two-sided: its estimate for a year leans on the years after it. At
the end of a series there are none, so the last estimates rest on less and move when data are added
(the end-point problem: St-Amant and van Norden 1997, "Measurement of the output gap: a discussion
of recent research at the Bank of Canada"; Orphanides and van Norden 2002, "The unreliability of
output-gap estimates in real time", Review of Economics and Statistics 84(4)). The cycle-adjusted
series moves too: its price cycle is an HP cycle with the same weakness at its end, and the
elasticity and the lag are estimated afresh.

We measure it by pseudo-real-time re-estimation (Orphanides and van Norden's "quasi-real-time"):
the series is cut at each of its last ``MAX_CUTS`` years (as the data would have stood at the end
of that year, prices included, but with today's values: revisions of the data themselves are not
counted), the same estimate is made on each cut, and it is compared with the full-sample estimate
for the same years:

- the end-point revision of a cut c: full-sample estimate for c less the estimate made with data up
  to c, in the indicator's units and in per cent of the full-sample estimate (of the trend, for a
  trend). The band shown is the largest of these: how far an end value has moved when one to five
  years were added;
- the provisional years: the last D years, where D - 1 is the largest distance d from a cut's end at
  which some cut's estimate still moved, beyond what the older years moved, by at least
  ``PROVISIONAL_SHARE`` (a quarter) of what the end point moved beyond it. "What the older years
  moved" is the median revision of the years ``MAX_CUTS`` or more before a cut's end: about nothing
  for a trend, but for a cycle-adjusted series every year moves when the elasticity is estimated
  again, and that is no end-point effect. The end year is always provisional when the end moves at
  all; a series the filter reproduces exactly (a straight line) has no provisional years and a band
  of zero.

At least ``MIN_CUTS`` cuts of at least ``cycle.MIN_YEARS`` years each are needed, so a series needs
13 years; with fewer the result says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from mineralstrategi.analysis._series import SeriesLike, annual_series, gap_reason
from mineralstrategi.analysis.adjust import CycleAdjustment, estimate_adjustment
from mineralstrategi.analysis.cycle import MIN_YEARS, _hp_solve, hp_lambda

MAX_CUTS = 5
MIN_CUTS = 3
PROVISIONAL_SHARE = 0.25


@dataclass(frozen=True)
class Revisions:
    """The end-point revisions of an estimate when data are added, or why they cannot be had."""

    ok: bool
    reason: str = ""
    cuts: tuple[int, ...] = ()
    end_revisions: tuple[float, ...] = ()
    end_revisions_percent: tuple[float | None, ...] = ()
    by_distance: tuple[float, ...] = ()
    largest: float | None = None
    largest_percent: float | None = None
    settled: float | None = None
    provisional_years: tuple[int, ...] = ()
    years_available: int | None = None
    years_needed: int = MIN_YEARS + MIN_CUTS
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, reason: str, years_available: int | None = None, notes=()) -> Revisions:
        return cls(ok=False, reason=reason, years_available=years_available, notes=tuple(notes))


def cut_years(years: list[int] | pd.Index) -> tuple[int, ...]:
    """The last years at which a series of these years is cut (oldest first): up to ``MAX_CUTS``
    of them, each leaving at least ``MIN_YEARS`` years."""
    ordered = sorted(int(y) for y in years)
    if not ordered:
        return ()
    first, last = ordered[0], ordered[-1]
    return tuple(c for c in range(last - MAX_CUTS, last) if c - first + 1 >= MIN_YEARS)


def compare_vintages(
    full: SeriesLike, vintages: Mapping[int, SeriesLike], level: SeriesLike | None = None
) -> Revisions:
    """Revisions of the estimates in ``vintages`` (cut year -> the estimate made with data up to
    that year) against ``full`` (the estimate from all the data); per cent of ``level`` (default
    ``full``)."""
    checked = annual_series(full, "full-sample estimate")
    if not checked.ok:
        return Revisions.refused(checked.reason)
    whole = checked.series
    base = whole if level is None else annual_series(level, "level").series
    cuts, ends, percents, distances = [], [], [], [0.0] * len(vintages)
    settled: list[float] = []  # revisions of the years far from a cut's end
    for cut, vintage in sorted(vintages.items()):
        estimate = annual_series(vintage, f"estimate up to {cut}")
        if not estimate.ok or cut not in estimate.series.index or cut not in whole.index:
            return Revisions.refused(f"the estimate up to {cut} has no value for {cut}")
        shared = estimate.series.index.intersection(whole.index)
        revision = (whole.loc[shared] - estimate.series.loc[shared]).abs()
        for distance in range(len(distances)):
            if cut - distance in revision.index:
                distances[distance] = max(distances[distance], float(revision[cut - distance]))
        settled += [float(r) for year, r in revision.items() if cut - year >= MAX_CUTS]
        cuts.append(int(cut))
        ends.append(float(whole[cut] - estimate.series[cut]))
        denominator = abs(float(base.get(cut, np.nan)))
        percents.append(100 * abs(ends[-1]) / denominator if denominator > 0 else None)
    if len(cuts) < MIN_CUTS:
        return Revisions.refused(
            f"too few cuts to measure revisions: {len(cuts)}, need at least {MIN_CUTS}"
        )
    largest = max(abs(e) for e in ends)
    known = [p for p in percents if p is not None]
    negligible = 1e-9 * max(1.0, float(whole.abs().max()))
    baseline = float(np.median(settled)) if settled else 0.0
    provisional: tuple[int, ...] = ()
    notes = []
    if largest - baseline > negligible:
        threshold = max(PROVISIONAL_SHARE * (largest - baseline), negligible)
        reach = max(d for d, r in enumerate(distances) if r - baseline >= threshold) + 1
        provisional = tuple(int(y) for y in whole.index[-reach:])
        if reach == len(distances):
            notes.append(
                f"the revisions stay large as far back as they were measured ({reach} years); "
                "earlier years may be provisional too"
            )
    return Revisions(
        ok=True,
        cuts=tuple(cuts),
        end_revisions=tuple(ends),
        end_revisions_percent=tuple(percents),
        by_distance=tuple(distances),
        largest=largest,
        largest_percent=max(known) if known else None,
        settled=baseline,
        provisional_years=provisional,
        years_available=len(whole),
        notes=tuple(notes),
    )


def trend_revisions(series: SeriesLike, name: str = "series") -> Revisions:
    """Pseudo-real-time revisions of the annual HP trend (``cycle.HP_LAMBDA``) at its end."""
    checked = annual_series(series, name)
    if not checked.ok:
        return Revisions.refused(checked.reason)
    values = checked.series
    if gap := gap_reason(values, name):
        return Revisions.refused(gap, len(values))
    cuts = cut_years(values.index)
    if len(cuts) < MIN_CUTS:
        return _too_short(name, len(values))
    lamb = hp_lambda("annual")
    full = pd.Series(_hp_solve(values.to_numpy(), lamb), index=values.index)
    vintages = {}
    for cut in cuts:
        data = values.loc[:cut]
        vintages[cut] = pd.Series(_hp_solve(data.to_numpy(), lamb), index=data.index)
    return compare_vintages(full, vintages)


def adjusted_revisions(
    indicator: SeriesLike,
    full_adjusted: SeriesLike,
    price_cycles: Mapping[int, SeriesLike],
    transform: str = "log",
    max_lag: int = 3,
    name: str = "series",
) -> Revisions:
    """Pseudo-real-time revisions of the cycle-adjusted series at its end.

    ``price_cycles`` maps each cut year (``cut_years``) to the annual price cycle as it was
    estimated from the prices up to the end of that year. At each cut the elasticity and the lag
    are estimated again, as they would have been then. A cut at which no adjustment can be made is
    left out with a note."""
    checked = annual_series(indicator, name)
    if not checked.ok:
        return Revisions.refused(checked.reason)
    values = checked.series
    cuts = [c for c in cut_years(values.index) if c in price_cycles]
    if len(cuts) < MIN_CUTS:
        return _too_short(name, len(values))
    vintages, notes = {}, []
    for cut in cuts:
        estimate = estimate_adjustment(
            values.loc[:cut], price_cycles[cut], None, max_lag, transform
        )
        if isinstance(estimate, CycleAdjustment):
            notes.append(f"cut at {cut}: no adjustment ({estimate.reason})")
            continue
        vintages[cut] = estimate.adjusted
    if len(vintages) < MIN_CUTS:
        return Revisions.refused(
            f"{name}: the adjustment could be made at {len(vintages)} of the last cuts, "
            f"need at least {MIN_CUTS}",
            len(values),
            notes,
        )
    result = compare_vintages(full_adjusted, vintages)
    return replace(result, notes=result.notes + tuple(notes))


def _too_short(name: str, count: int) -> Revisions:
    needed = MIN_YEARS + MIN_CUTS
    return Revisions.refused(
        f"{name}: too few years to measure how provisional the end is: {count}, need at least "
        f"{needed} ({MIN_YEARS} for each estimate and {MIN_CUTS} cuts)",
        count,
    )

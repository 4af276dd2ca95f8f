"""Commodity prices made fit for the cycle analysis: real terms, annual means, logs, known breaks.

The World Bank's monthly prices (The Pink Sheet) are nominal US dollars; indicators are judged on
calendar years. So: deflate with a price index when one is given (``deflate``), take logs so that a
cycle reads as a percentage (``log_prices``, which refuses zero or negative prices), filter the
monthly log price with the HP filter at the monthly lambda of ``cycle.HP_LAMBDA`` (129,600: Ravn and
Uhlig's scaling of the same convention that gives annual indicators 6.25, so both hold cycles shorter
than about ten years), respecting the dates on which a series changed how it is measured (the World Bank's
workbook states them in its Description sheet; ``IRON_ORE_BREAKS`` holds iron ore's for files that
do not) so that a step goes into the trend and is not mistaken for a cycle, and then
average the monthly cycle over each calendar year that is complete or nearly so
(``annualise_monthly``; ``min_months``). ``annual_price_cycle`` chains the steps into the annual
price cycle (in log points) that ``correlation`` and ``adjust`` use.

The price is filtered monthly and averaged afterwards, rather than averaged first and filtered at
the annual lambda: the monthly filter sees the turning points within a year and the method breaks at
their month. A price cycle has no seasonal pattern to speak of, so a year missing one month still
has a fair mean (the caller chooses; the indicator pages accept 11 of 12 and say so), while an
indicator's calendar-year mean needs every month (``calendar.calendar_year_means``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mineralstrategi.analysis._series import Frequency, periodic_series
from mineralstrategi.analysis.cycle import BreakMethod, Decomposition, hp_decompose


@dataclass(frozen=True)
class PriceBreak:
    """The first period measured the new way, and what changed."""

    period: str
    description: str


IRON_ORE_BREAKS = (
    PriceBreak(
        "2006-01",
        "World Bank iron ore price: annual contract prices (flat within each year) before 2006, "
        "spot price 63.5 % Fe from January 2006",
    ),
    PriceBreak(
        "2008-12",
        "World Bank iron ore price: spot 63.5 % Fe until November 2008, "
        "spot 62 % Fe fines CFR China from December 2008",
    ),
)


@dataclass(frozen=True)
class PriceSeries:
    """A transformed price series, or why it could not be made."""

    ok: bool
    reason: str = ""
    series: pd.Series | None = None
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, reason: str) -> PriceSeries:
        return cls(ok=False, reason=reason)


@dataclass(frozen=True)
class PriceCycle:
    """The annual price cycle in log points, with the monthly decomposition it came from."""

    ok: bool
    reason: str = ""
    annual_cycle: pd.Series | None = None
    monthly: Decomposition | None = None
    notes: tuple[str, ...] = ()


def deflate(
    nominal: pd.Series,
    deflator: pd.Series,
    frequency: Frequency | str = Frequency.MONTHLY,
    base_period: object | None = None,
    name: str = "price",
) -> PriceSeries:
    """Real prices: nominal x deflator[base] / deflator, in money of ``base_period``.

    The deflator may have the same frequency as the prices, or be annual for monthly or quarterly
    prices (each period then takes its year's value). The base defaults to the deflator's last
    period. Every price period needs a positive deflator value.
    """
    frequency = Frequency(frequency)
    prices = periodic_series(nominal, frequency, name)
    if not prices.ok:
        return PriceSeries.refused(prices.reason)
    same = periodic_series(deflator, frequency, "deflator")
    annual = periodic_series(deflator, Frequency.ANNUAL, "deflator") if not same.ok else same
    if not annual.ok:
        return PriceSeries.refused(
            f"deflator: must be {frequency.value} or annual ({same.reason}; {annual.reason})"
        )
    index_values = annual.series
    if (index_values <= 0).any():
        period = index_values.index[index_values <= 0][0]
        return PriceSeries.refused(f"deflator: the value for {period} is not positive")
    keys = prices.series.index if same.ok else prices.series.index.asfreq("Y")
    missing = keys.difference(index_values.index)
    if len(missing):
        return PriceSeries.refused(f"deflator: no value for {missing[0]}, needed for the prices")
    if base_period is None:
        base = index_values.index[-1]
    else:
        try:
            base = pd.Period(str(base_period), freq=index_values.index.freqstr)
        except (ValueError, TypeError):
            return PriceSeries.refused(f"deflator: base period '{base_period}' cannot be read")
        if base not in index_values.index:
            return PriceSeries.refused(f"deflator: no value for the base period {base}")
    factors = index_values.loc[base] / index_values.reindex(keys).to_numpy()
    real = (prices.series * factors).rename(f"{name} (real, {base} money)")
    return PriceSeries(True, series=real, notes=(f"{name}: deflated to {base} money",))


def annualise_monthly(monthly: pd.Series, min_months: int = 11, name: str = "price") -> PriceSeries:
    """Annual means of monthly values, for years with at least ``min_months`` months.

    A year with fewer months is left out and named in the notes; a mean of too few months would
    carry the season of the months it has.
    """
    if not 1 <= min_months <= 12:
        return PriceSeries.refused("min_months must be between 1 and 12")
    checked = _monthly_allowing_gaps(monthly, name)
    if isinstance(checked, str):
        return PriceSeries.refused(checked)
    grouped = checked.groupby(checked.index.year)
    counts, means = grouped.count(), grouped.mean()
    kept = counts[counts >= min_months].index
    notes = []
    dropped = counts[counts < min_months]
    if len(dropped):
        listed = ", ".join(f"{year} ({count} months)" for year, count in dropped.items())
        notes.append(f"{name}: left out for having fewer than {min_months} months: {listed}")
    partial = counts[(counts >= min_months) & (counts < 12)]
    if len(partial):
        listed = ", ".join(f"{year} ({count} months)" for year, count in partial.items())
        notes.append(f"{name}: mean of the months available for {listed}")
    if not len(kept):
        return PriceSeries.refused(f"{name}: no year has at least {min_months} months")
    annual = means.loc[kept]
    annual.index = pd.Index(annual.index.astype(int), name="year")
    return PriceSeries(True, series=annual.rename(name), notes=tuple(notes))


def log_prices(prices: pd.Series, name: str = "price") -> PriceSeries:
    """Natural logs of prices; a zero or negative price is refused, naming its period."""
    if not isinstance(prices, pd.Series):
        return PriceSeries.refused(f"{name}: expected a pandas Series")
    values = pd.to_numeric(prices, errors="coerce")
    if values.isna().any():
        return PriceSeries.refused(f"{name}: no number for {values.index[values.isna()][0]}")
    bad = values[values <= 0]
    if len(bad):
        return PriceSeries.refused(
            f"{name}: the price for {bad.index[0]} is {bad.iloc[0]:g}; a logarithm needs prices "
            f"above zero ({len(bad)} period{'s' if len(bad) > 1 else ''} affected)"
        )
    return PriceSeries(True, series=np.log(values.astype(float)).rename(f"log {name}"))


def annual_price_cycle(
    monthly_prices: pd.Series,
    deflator: pd.Series | None = None,
    breaks: tuple[PriceBreak, ...] = (),
    break_method: BreakMethod | str = BreakMethod.LOCAL_JUMP,
    min_months: int = 12,
    name: str = "price",
) -> PriceCycle:
    """The annual price cycle: (deflate) -> log -> monthly HP with breaks -> mean of each year.

    The cycle is in log points: 0.10 means the price stood about 10 % above its trend that year.
    """
    notes: list[str] = []
    prices = monthly_prices
    if deflator is not None:
        real = deflate(monthly_prices, deflator, Frequency.MONTHLY, name=name)
        if not real.ok:
            return PriceCycle(False, real.reason)
        prices, notes = real.series, notes + list(real.notes)
    logged = log_prices(prices, name)
    if not logged.ok:
        return PriceCycle(False, logged.reason)
    decomposition = hp_decompose(
        logged.series,
        Frequency.MONTHLY,
        breaks=[b.period for b in breaks],
        break_method=break_method,
        name=name,
    )
    if not decomposition.ok:
        return PriceCycle(False, decomposition.reason)
    notes += list(decomposition.notes)
    notes += [f"break {b.period}: {b.description}" for b in breaks]
    annual = annualise_monthly(decomposition.cycle, min_months=min_months, name=f"{name} cycle")
    if not annual.ok:
        return PriceCycle(False, annual.reason)
    return PriceCycle(
        True,
        annual_cycle=annual.series,
        monthly=decomposition,
        notes=tuple(notes + list(annual.notes)),
    )


def _monthly_allowing_gaps(monthly: pd.Series, name: str) -> pd.Series | str:
    if not isinstance(monthly, pd.Series):
        return f"{name}: expected a pandas Series"
    present = monthly.dropna() if monthly.dtype.kind == "f" else monthly
    checked = periodic_series(present, Frequency.MONTHLY, name)
    return checked.series if checked.ok else checked.reason

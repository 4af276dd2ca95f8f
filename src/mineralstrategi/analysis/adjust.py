"""Cycle adjustment: how much of an indicator's change follows the commodity price, and what is left.

Model. With y the log of the annual indicator (or its level, ``transform="level"``) and x the annual
price cycle in log points (``prices.annual_price_cycle``) taken ``lag`` years earlier:

1. both are passed through the same annual HP filter (``cycle.HP_LAMBDA``: 6.25, Ravn and Uhlig's
   annual value, which keeps cycles shorter than about ten years, as the monthly price filter
   does) over the years they share, and the indicator's cycle is regressed on the price's:
   cycle(y)_t = a + b * cycle(x)_t + e_t. Filtering both sides alike keeps the slow structural
   trend out of the estimate of b, and recovers b exactly when the indicator is a pure function of
   the price cycle. With logs, b is the elasticity of the indicator to the price cycle (1 % above
   trend in price -> b % above trend in the indicator).
2. Standard errors are HAC (Newey–West, Bartlett kernel, maxlags = floor(4 (n/100)^(2/9)), at least
   1), since the residual of a cycle regression is autocorrelated; intervals use Student's t with
   n - 2 degrees of freedom.
3. The cycle-adjusted indicator is y_t - b * x_{t-lag}: the indicator less the part prices explain,
   i.e. the indicator as it would have been with the price at its trend. (So in a boom base year the
   adjusted base lies below the raw one: that is the point.)
   The Open SDG status (``status.progress_status``) is computed on the raw and the adjusted series
   over the same years, and the change since the base is split into the price's part and the
   structural rest, which add up to the change:

   - an indicator in per cent (its unit names a percentage, ``wording.is_percentage_unit``): the
     differences themselves, in percentage points;
   - any other indicator with a positive base: per cent of the base level (raw base), i.e.
     (latest - base) / base, (price part now - price part at the base) / base and
     (adjusted now - adjusted base) / base;
   - a base of zero or below: differences in the indicator's own units.

   "Percentage points" is written only in the first case: a change of a level is a per cent of
   that level, a change of a share is a difference of percentages.

The lag, unless given, is the one of lags 0..max_lag (price leading or same year) at which the two
cycles correlate most strongly in absolute value (``correlation.lagged_correlation``): a price that
follows the indicator is not a cause to adjust for.

``price_scenario`` turns the elasticity into "if the price falls 30 % next year": the expected change
of the indicator lag years later, assuming the shock moves the price's cycle and not its trend, with a
95 % interval from the elasticity's uncertainty and a wider prediction interval that also includes the
year-to-year noise of the regression. It is in per cent of the level, or, for an indicator in per
cent, in percentage points from its latest value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from mineralstrategi.analysis._series import (
    SeriesLike,
    annual_series,
    constant_reason,
    gap_reason,
    too_short_reason,
)
from mineralstrategi.analysis.correlation import checked_cycle, lagged_correlation
from mineralstrategi.analysis.cycle import MIN_YEARS, _hp_solve, hp_lambda
from mineralstrategi.analysis.status import (
    Base,
    Direction,
    ProgressStatus,
    Target,
    from_base,
    progress_status,
)
from mineralstrategi.analysis.wording import is_percentage_unit, number, significant

MIN_OBSERVATIONS = MIN_YEARS
PERCENT = "%"  # per cent of the base level
POINTS = "percentage points"  # differences of an indicator in per cent
UNITS = "units"  # differences in the indicator's own units


@dataclass(frozen=True)
class Names:
    """How the indicator and the price are named in the sentences, in English and Swedish, and
    the indicator's unit (as stored: it decides percentage points and follows amounts in units)."""

    indicator_en: str = "the indicator"
    indicator_sv: str = "indikatorn"
    price_en: str = "the price"
    price_sv: str = "priset"
    unit: str = ""

    @property
    def in_percent(self) -> bool:
        return is_percentage_unit(self.unit)


@dataclass(frozen=True)
class CycleAdjustment:
    ok: bool
    reason: str = ""
    transform: str = "log"
    lag: int | None = None
    lag_source: str = ""
    elasticity: float | None = None
    standard_error: float | None = None
    confidence_interval: tuple[float, float] | None = None
    r_squared: float | None = None
    observations: int | None = None
    residual_std: float | None = None
    standard_error_method: str = ""
    observed: pd.Series | None = None
    adjusted: pd.Series | None = None
    price_part: pd.Series | None = None
    raw_status: ProgressStatus | None = None
    adjusted_status: ProgressStatus | None = None
    change: float | None = None
    price_points: float | None = None
    structural_change: float | None = None
    change_unit: str = PERCENT
    sentence_en: str = ""
    sentence_sv: str = ""
    names: Names = field(default_factory=Names)
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, reason: str, notes: tuple[str, ...] = ()) -> CycleAdjustment:
        return cls(ok=False, reason=reason, notes=notes)


@dataclass(frozen=True)
class PriceScenario:
    ok: bool
    reason: str = ""
    price_change: float | None = None
    after_years: int | None = None
    expected_change: float | None = None
    confidence_interval: tuple[float, float] | None = None
    prediction_interval: tuple[float, float] | None = None
    change_unit: str = PERCENT
    sentence_en: str = ""
    sentence_sv: str = ""


@dataclass(frozen=True)
class Estimate:
    """The elasticity and the adjusted series, before any verdict (``estimate_adjustment``)."""

    lag: int
    lag_source: str
    observed: pd.Series
    adjusted: pd.Series
    elasticity: float
    standard_error: float
    confidence_interval: tuple[float, float]
    r_squared: float
    residual_std: float
    maxlags: int
    notes: tuple[str, ...] = ()


def cycle_adjust(
    indicator: SeriesLike,
    price_cycle: SeriesLike,
    direction: Direction | str,
    target: Target | None = None,
    base: Base | int | None = None,
    lag: int | None = None,
    max_lag: int = 3,
    transform: str = "log",
    names: Names | None = None,
) -> CycleAdjustment:
    """Estimate the price elasticity, adjust the indicator, and judge it raw and adjusted."""
    names = names or Names()
    estimate = estimate_adjustment(indicator, price_cycle, lag, max_lag, transform, names)
    if isinstance(estimate, CycleAdjustment):
        return estimate
    observed, adjusted = estimate.observed, estimate.adjusted
    named = {"name": names.indicator_en, "name_sv": names.indicator_sv, "unit": names.unit}
    raw_status = progress_status(observed, direction, target, base, **named)
    adjusted_status = progress_status(adjusted, direction, target, base, **named)
    result = CycleAdjustment(
        ok=True,
        transform=transform,
        lag=estimate.lag,
        lag_source=estimate.lag_source,
        elasticity=estimate.elasticity,
        standard_error=estimate.standard_error,
        confidence_interval=estimate.confidence_interval,
        r_squared=estimate.r_squared,
        observations=len(observed),
        residual_std=estimate.residual_std,
        standard_error_method=(
            f"HAC (Newey–West, {estimate.maxlags} lag{'s' if estimate.maxlags > 1 else ''})"
        ),
        observed=observed,
        adjusted=adjusted,
        price_part=(observed - adjusted).rename("price part"),
        raw_status=raw_status,
        adjusted_status=adjusted_status,
        names=names,
        notes=estimate.notes,
    )
    return _with_change_and_sentences(result)


def estimate_adjustment(
    indicator: SeriesLike,
    price_cycle: SeriesLike,
    lag: int | None = None,
    max_lag: int = 3,
    transform: str = "log",
    names: Names | None = None,
) -> Estimate | CycleAdjustment:
    """The elasticity and the cycle-adjusted series over the years the indicator shares with the
    price cycle (lagged); a refused ``CycleAdjustment`` with the reason when it cannot be made."""
    names = names or Names()
    if transform not in ("log", "level"):
        return CycleAdjustment.refused(f"transform must be 'log' or 'level', not {transform!r}")
    prepared = _prepared_indicator(indicator, transform, names.indicator_en)
    if isinstance(prepared, str):
        return CycleAdjustment.refused(prepared)
    observed, y = prepared
    price = checked_cycle(price_cycle, "price cycle", MIN_OBSERVATIONS)
    if isinstance(price, str):
        return CycleAdjustment.refused(price)
    notes: list[str] = []

    if lag is None:
        chosen = _best_lag(y, price, max_lag)
        if isinstance(chosen, str):
            return CycleAdjustment.refused(chosen)
        lag, lag_source = chosen, f"the strongest correlation of lags 0..{max_lag}"
    elif not 0 <= lag <= 10:
        return CycleAdjustment.refused(f"lag must be between 0 and 10 years, not {lag}")
    else:
        lag_source = "given"

    x = pd.Series(price.to_numpy(), index=price.index + lag)  # price of year t - lag at year t
    years = y.index.intersection(x.index)
    if short := too_short_reason(
        len(years), MIN_OBSERVATIONS, "indicator and price cycle together"
    ):
        return CycleAdjustment.refused(short + f" (at lag {lag})")
    if len(years) < len(y):
        left_out = sorted(set(y.index) - set(years))
        notes.append(
            f"years without a price cycle {lag} year(s) earlier were left out: "
            f"{left_out[0]}–{left_out[-1]}"
        )
    y, x, observed = y.loc[years], x.loc[years], observed.loc[years]

    fit = _regression(y, x)
    if isinstance(fit, str):
        return CycleAdjustment.refused(fit, tuple(notes))
    elasticity, se, interval, r2, resid_std, maxlags = fit
    adjusted_y = y - elasticity * x
    adjusted = np.exp(adjusted_y) if transform == "log" else adjusted_y
    return Estimate(
        lag=lag,
        lag_source=lag_source,
        observed=observed,
        adjusted=adjusted.rename(f"{names.indicator_en} (cycle-adjusted)"),
        elasticity=elasticity,
        standard_error=se,
        confidence_interval=interval,
        r_squared=r2,
        residual_std=resid_std,
        maxlags=maxlags,
        notes=tuple(notes),
    )


def price_scenario(
    adjustment: CycleAdjustment, price_change: float = -0.30, level: float = 0.95
) -> PriceScenario:
    """The indicator's expected change if the price moves by ``price_change`` (-0.30 = falls 30 %):
    a fraction of its level, or for an indicator in per cent, percentage points from its latest
    value, or, on the level scale, the indicator's units."""
    if not adjustment.ok:
        return PriceScenario(False, f"no estimate to build on: {adjustment.reason}")
    if not (np.isfinite(price_change) and price_change > -1):
        return PriceScenario(False, "the price change must be a finite fraction above -1 (-100 %)")
    shock = float(np.log1p(price_change))
    b, se, n = adjustment.elasticity, adjustment.standard_error, adjustment.observations
    from scipy import (
        stats,  # imported where used: statsmodels and scipy take seconds to load (see __init__)
    )

    t = float(stats.t.ppf(0.5 + level / 2, n - 2))
    effect = b * shock
    half_ci = t * se * abs(shock)
    half_pi = t * float(np.hypot(se * shock, adjustment.residual_std))
    unit, to_unit = _scenario_unit(adjustment)
    scenario = PriceScenario(
        ok=True,
        price_change=price_change,
        after_years=adjustment.lag,
        expected_change=to_unit(effect),
        confidence_interval=(to_unit(effect - half_ci), to_unit(effect + half_ci)),
        prediction_interval=(to_unit(effect - half_pi), to_unit(effect + half_pi)),
        change_unit=unit,
    )
    return _scenario_sentences(scenario, adjustment, level)


def _scenario_unit(adjustment: CycleAdjustment):
    """(unit, function from the model's scale to that unit) for the scenario's numbers."""
    latest = float(adjustment.observed.iloc[-1])
    if adjustment.transform == "log":
        if adjustment.names.in_percent:
            return POINTS, lambda v: float(latest * np.expm1(v))
        return PERCENT, lambda v: float(np.expm1(v))
    return (POINTS if adjustment.names.in_percent else UNITS), float


def _prepared_indicator(indicator, transform, name) -> tuple[pd.Series, pd.Series] | str:
    checked = annual_series(indicator, name)
    if not checked.ok:
        return checked.reason
    observed = checked.series
    reason = (
        gap_reason(observed, name)
        or too_short_reason(len(observed), MIN_OBSERVATIONS, name)
        or constant_reason(observed, name)
    )
    if reason:
        return reason
    if transform == "log":
        bad = observed[observed <= 0]
        if len(bad):
            return (
                f"{name}: the value for {bad.index[0]} is {bad.iloc[0]:g}; a log needs values above "
                "zero (use transform='level' to work in the indicator's own units)"
            )
        return observed, np.log(observed)
    return observed, observed.copy()


def _best_lag(y: pd.Series, price: pd.Series, max_lag: int) -> int | str:
    y_cycle = y - _hp_solve(y.to_numpy(), hp_lambda("annual"))
    correlation = lagged_correlation(
        y_cycle, price, max_lag=max_lag, indicator_name="indicator cycle"
    )
    if not correlation.ok:
        return correlation.reason
    return correlation.strongest_leading_lag


def _regression(y: pd.Series, x: pd.Series):
    lamb = hp_lambda("annual")
    y_cycle = y.to_numpy() - _hp_solve(y.to_numpy(), lamb)
    x_cycle = x.to_numpy() - _hp_solve(x.to_numpy(), lamb)
    if constant_reason(pd.Series(x_cycle)):
        return "the price cycle is flat over these years once its own trend is removed"
    n = len(y_cycle)
    maxlags = max(1, int(np.floor(4 * (n / 100) ** (2 / 9))))
    import statsmodels.api as sm  # imported where used: statsmodels and scipy take seconds to load (see __init__)

    design = sm.add_constant(x_cycle, has_constant="add")
    fit = sm.OLS(y_cycle, design).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags}, use_t=True)
    b, se = float(fit.params[1]), float(fit.bse[1])
    if not (np.isfinite(b) and np.isfinite(se)):
        return "the regression of the indicator's cycle on the price cycle has no finite solution"
    low, high = (float(v) for v in fit.conf_int(0.05)[1])
    resid_std = float(np.sqrt(fit.ssr / max(1, n - 2)))
    r2 = float(fit.rsquared) if np.isfinite(fit.rsquared) else 1.0
    return b, se, (low, high), r2, resid_std, maxlags


def _with_change_and_sentences(r: CycleAdjustment) -> CycleAdjustment:
    raw, adj = r.raw_status, r.adjusted_status
    if not (raw.ok and adj.ok):
        why = raw.reason if not raw.ok else adj.reason
        return replace(r, notes=r.notes + (f"no status: {why}",))
    change = raw.latest_value - raw.base_value
    structural = adj.latest_value - adj.base_value
    if r.names.in_percent:
        unit, scale = POINTS, 1.0
    elif raw.base_value > 0:
        unit, scale = PERCENT, 1.0 / raw.base_value
    else:
        unit, scale = UNITS, 1.0
    r = replace(
        r,
        change=change * scale,
        structural_change=structural * scale,
        price_points=(change - structural) * scale,
        change_unit=unit,
    )
    return _sentences(r)


def amount(value: float, unit: str, lang: str, signed: bool = False, names_unit: str = "") -> str:
    """An amount of change as a reader sees it: '18 %' (a fraction of the level), '2.1 percentage
    points' ('2,1 procentenheter'), or '12.3 persons' (the indicator's units)."""
    if unit == PERCENT:
        percent = value * 100
        return number(percent, lang, 0 if abs(percent) >= 9.95 else 1, signed) + " %"
    if unit == POINTS:
        word = "procentenheter" if lang == "sv" else "percentage points"
        return f"{number(value, lang, 1, signed)} {word}"
    text = significant(value, lang, 3, signed)
    return f"{text} {names_unit}" if names_unit else text


def _sentences(r: CycleAdjustment) -> CycleAdjustment:
    """'Mining employment in Gällivare rose 18 % from 1,500 in 2015 to 1,770 in 2023; the iron ore
    price accounts for +14 % of the 2015 level and the structural trend for +4 %: on track.'"""
    n, raw, adj = r.names, r.raw_status, r.adjusted_status
    suffix = " %" if n.in_percent else ""

    def phrase(lang: str) -> str:
        sv = lang == "sv"

        def signed(value: float) -> str:
            return amount(value, r.change_unit, lang, signed=True, names_unit=n.unit)

        rose = ("ökade" if sv else "rose") if r.change >= 0 else ("minskade" if sv else "fell")
        latest = significant(raw.latest_value, lang, 4) + suffix
        whole = amount(abs(r.change), r.change_unit, lang, names_unit=n.unit)
        start = (
            f"{_capital(n.indicator_sv if sv else n.indicator_en)} {rose} {whole} "
            + (f"från {from_base(raw, lang, suffix)} till {latest} år {raw.latest_year}" if sv
               else f"from {from_base(raw, lang, suffix)} to {latest} in {raw.latest_year}")
        )  # fmt: skip
        of_base = ""
        if r.change_unit == PERCENT:
            averaged = len(raw.base_years) > 1
            if sv:
                of_base = " av det snittet" if averaged else f" av {raw.base_years[0]} års nivå"
            else:
                of_base = " of that average" if averaged else f" of the {raw.base_years[0]} level"
        if sv:
            split = (
                f"{n.price_sv} står för {signed(r.price_points)}{of_base} och den strukturella "
                f"trenden för {signed(r.structural_change)}: {adj.status.label_sv}"
            )
        else:
            split = (
                f"{n.price_en} accounts for {signed(r.price_points)}{of_base} and the structural "
                f"trend for {signed(r.structural_change)}: {adj.status.label_en}"
            )
        text = f"{start}; {split}"
        if raw.status is not adj.status:
            text += (
                f" (ojusterat: {raw.status.label_sv})"
                if sv
                else f" (unadjusted: {raw.status.label_en})"
            )
        return text + "."

    return replace(r, sentence_en=phrase("en"), sentence_sv=phrase("sv"))


def _scenario_sentences(s: PriceScenario, a: CycleAdjustment, level: float) -> PriceScenario:
    n = a.names

    def phrase(lang: str) -> str:
        sv = lang == "sv"

        def fmt(value: float) -> str:
            return amount(value, s.change_unit, lang, signed=True, names_unit=n.unit)

        size = number(abs(s.price_change) * 100, lang) + " %"
        if sv:
            move = f"{'faller' if s.price_change < 0 else 'stiger'} {size}"
            when = "samma år" if s.after_years == 0 else f"{s.after_years} år senare"
        else:
            move = f"{'falls' if s.price_change < 0 else 'rises'} {size}"
            when = (
                "the same year"
                if s.after_years == 0
                else f"{s.after_years} year{'s' if s.after_years > 1 else ''} later"
            )
        start = ""
        if s.change_unit == POINTS:
            latest = significant(float(a.observed.iloc[-1]), lang, 4) + " %"
            year = int(a.observed.index[-1])
            start = f" (från {latest} år {year})" if sv else f" (from {latest} in {year})"
        lo, hi = s.confidence_interval
        low_pi, high_pi = s.prediction_interval
        percent = number(level * 100, lang)
        if sv:
            return (
                f"Om {n.price_sv} {move} nästa år väntas {n.indicator_sv} förändras med "
                f"{fmt(s.expected_change)}{start} {when} ({percent} %-intervall {fmt(lo)} till "
                f"{fmt(hi)}; med det vanliga årsbruset {fmt(low_pi)} till {fmt(high_pi)})."
            )
        return (
            f"If {n.price_en} {move} next year, {n.indicator_en} is expected to change by "
            f"{fmt(s.expected_change)}{start} {when} ({percent} % interval {fmt(lo)} to "
            f"{fmt(hi)}; with the usual year-to-year noise {fmt(low_pi)} to {fmt(high_pi)})."
        )

    return replace(s, sentence_en=phrase("en"), sentence_sv=phrase("sv"))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

"""Cycle adjustment: how much of an indicator's change follows the commodity price, and what is left.

Model. With y the log of the annual indicator (or its level, ``transform="level"``) and x the annual
price cycle in log points (``prices.annual_price_cycle``) taken ``lag`` years earlier:

1. both are passed through the same annual HP filter (lambda 100) over the years they share, and the
   indicator's cycle is regressed on the price's: cycle(y)_t = a + b * cycle(x)_t + e_t. Filtering
   both sides alike keeps the slow structural trend out of the estimate of b, and recovers b exactly
   when the indicator is a pure function of the price cycle. With logs, b is the elasticity of the
   indicator to the price cycle (1 % above trend in price -> b % above trend in the indicator).
2. Standard errors are HAC (Newey–West, Bartlett kernel, maxlags = floor(4 (n/100)^(2/9)), at least
   1), since the residual of a cycle regression is autocorrelated; intervals use Student's t with
   n - 2 degrees of freedom.
3. The cycle-adjusted indicator is y_t - b * x_{t-lag}: the indicator less the part prices explain,
   i.e. the indicator as it would have been with the price at its trend. (So in a boom base year the
   adjusted base lies below the raw one: that is the point.)
   The Open SDG status (``status.progress_status``) is computed on the raw and the adjusted series
   over the same years, and the change since the base is split into the price's points and the
   structural rest.

The lag, unless given, is the one of lags 0..max_lag (price leading or same year) at which the two
cycles correlate most strongly (``correlation.lagged_correlation``): a price that follows the
indicator is not a cause to adjust for.

``price_scenario`` turns the elasticity into "if the price falls 30 % next year": the expected change
of the indicator lag years later, assuming the shock moves the price's cycle and not its trend, with a
95 % interval from the elasticity's uncertainty and a wider prediction interval that also includes the
year-to-year noise of the regression.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from mineralstrategi.analysis._series import (
    SeriesLike,
    annual_series,
    constant_reason,
    gap_reason,
    too_short_reason,
)
from mineralstrategi.analysis.correlation import checked_cycle, lagged_correlation
from mineralstrategi.analysis.cycle import _hp_solve, hp_lambda
from mineralstrategi.analysis.status import Base, Direction, ProgressStatus, Target, progress_status

MIN_OBSERVATIONS = 10


@dataclass(frozen=True)
class Names:
    """How the indicator and the price are named in the sentences, in English and Swedish."""

    indicator_en: str = "the indicator"
    indicator_sv: str = "indikatorn"
    price_en: str = "the price"
    price_sv: str = "priset"


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
    change_unit: str = "%"
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
    change_unit: str = "%"
    sentence_en: str = ""
    sentence_sv: str = ""


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
    adjusted = adjusted.rename(f"{names.indicator_en} (cycle-adjusted)")
    raw_status = progress_status(observed, direction, target, base, names.indicator_en)
    adjusted_status = progress_status(adjusted, direction, target, base, names.indicator_en)
    result = CycleAdjustment(
        ok=True,
        transform=transform,
        lag=lag,
        lag_source=lag_source,
        elasticity=elasticity,
        standard_error=se,
        confidence_interval=interval,
        r_squared=r2,
        observations=len(years),
        residual_std=resid_std,
        standard_error_method=f"HAC (Newey–West, {maxlags} lag{'s' if maxlags > 1 else ''})",
        observed=observed,
        adjusted=adjusted,
        price_part=(observed - adjusted).rename("price part"),
        raw_status=raw_status,
        adjusted_status=adjusted_status,
        names=names,
        notes=tuple(notes),
    )
    return _with_change_and_sentences(result)


def price_scenario(
    adjustment: CycleAdjustment, price_change: float = -0.30, level: float = 0.95
) -> PriceScenario:
    """The indicator's expected change if the price moves by ``price_change`` (-0.30 = falls 30 %)."""
    if not adjustment.ok:
        return PriceScenario(False, f"no estimate to build on: {adjustment.reason}")
    if not (np.isfinite(price_change) and price_change > -1):
        return PriceScenario(False, "the price change must be a finite fraction above -1 (-100 %)")
    shock = float(np.log1p(price_change))
    b, se, n = adjustment.elasticity, adjustment.standard_error, adjustment.observations
    t = float(stats.t.ppf(0.5 + level / 2, n - 2))
    effect = b * shock
    half_ci = t * se * abs(shock)
    half_pi = t * float(np.hypot(se * shock, adjustment.residual_std))
    to_unit = np.expm1 if adjustment.transform == "log" else (lambda v: v)
    expected = float(to_unit(effect))
    ci = (float(to_unit(effect - half_ci)), float(to_unit(effect + half_ci)))
    pi = (float(to_unit(effect - half_pi)), float(to_unit(effect + half_pi)))
    unit = "%" if adjustment.transform == "log" else "units"
    scenario = PriceScenario(
        ok=True,
        price_change=price_change,
        after_years=adjustment.lag,
        expected_change=expected,
        confidence_interval=ci,
        prediction_interval=pi,
        change_unit=unit,
    )
    return _scenario_sentences(scenario, adjustment.names, level)


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
    leading = [
        (abs(r), lag)
        for lag, r in zip(correlation.lags, correlation.correlations, strict=True)
        if lag >= 0
    ]
    return max(leading)[1]


def _regression(y: pd.Series, x: pd.Series):
    lamb = hp_lambda("annual")
    y_cycle = y.to_numpy() - _hp_solve(y.to_numpy(), lamb)
    x_cycle = x.to_numpy() - _hp_solve(x.to_numpy(), lamb)
    if constant_reason(pd.Series(x_cycle)):
        return "the price cycle is flat over these years once its own trend is removed"
    n = len(y_cycle)
    maxlags = max(1, int(np.floor(4 * (n / 100) ** (2 / 9))))
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
    percent = raw.base_value > 0 and adj.base_value > 0
    if percent:
        change = raw.latest_value / raw.base_value - 1
        structural = adj.latest_value / adj.base_value - 1
        scale, unit = 100.0, "%"
    else:
        change = raw.latest_value - raw.base_value
        structural = adj.latest_value - adj.base_value
        scale, unit = 1.0, "units"
    r = replace(
        r,
        change=change,
        structural_change=structural,
        price_points=change - structural,
        change_unit=unit,
    )
    return _sentences(r, scale)


def _base_text(status: ProgressStatus, average_sv: bool = False) -> str:
    years = status.base_years
    if len(years) > 1:
        return f"{years[0]}–{years[-1]} ({'snitt' if average_sv else 'average'})"
    return str(years[0])


def _sentences(r: CycleAdjustment, scale: float) -> CycleAdjustment:
    n, raw, adj = r.names, r.raw_status, r.adjusted_status
    pct = r.change_unit == "%"
    change, points, structural = (
        r.change * scale,
        r.price_points * scale,
        r.structural_change * scale,
    )

    def en_amount(value: float) -> str:
        return f"{abs(value):.0f} %" if pct else f"{abs(value):.3g}"

    def sv_amount(value: float) -> str:
        return (f"{abs(value):.0f} %" if pct else f"{abs(value):.3g}").replace(".", ",")

    points_en = f"{abs(points):.0f} points" if pct else f"{abs(points):.3g}"
    points_sv = (f"{abs(points):.0f} procentenheter" if pct else f"{abs(points):.3g}").replace(
        ".", ","
    )
    rose_en = "rose" if change >= 0 else "fell"
    rose_sv = "ökade" if change >= 0 else "minskade"
    if points * change >= 0:
        price_en = f"{points_en} of that follow {n.price_en}"
        price_sv = f"{points_sv} av det följer {n.price_sv}"
    elif points < 0:
        price_en = f"{n.price_en} held it back by {points_en}"
        price_sv = f"{n.price_sv} höll tillbaka den med {points_sv}"
    else:
        price_en = f"{n.price_en} held it up by {points_en}"
        price_sv = f"{n.price_sv} höll uppe den med {points_sv}"
    en = (
        f"{_capital(n.indicator_en)} {rose_en} {en_amount(change)} since {_base_text(raw)}; "
        f"{price_en}; the structural trend is {structural:+.0f}{' %' if pct else ''}: "
        f"{adj.status.label_en}"
    )
    sv = (
        f"{_capital(n.indicator_sv)} {rose_sv} {sv_amount(change)} sedan {_base_text(raw, True)}; "
        f"{price_sv}; den strukturella trenden är {_sv_signed(structural)}{' %' if pct else ''}: "
        f"{adj.status.label_sv}"
    )
    if raw.status is not adj.status:
        en += f" (unadjusted: {raw.status.label_en})"
        sv += f" (ojusterat: {raw.status.label_sv})"
    return replace(r, sentence_en=en + ".", sentence_sv=sv + ".")


def _scenario_sentences(s: PriceScenario, n: Names, level: float) -> PriceScenario:
    pct = s.change_unit == "%"
    scale = 100.0 if pct else 1.0

    def fmt(value: float, sv: bool = False) -> str:
        text = f"{value * scale:+.0f}" if pct else f"{value:+.3g}"
        text = text + (" %" if pct else "")
        return text.replace(".", ",").replace("-", "−") if sv else text

    move_en = f"{'falls' if s.price_change < 0 else 'rises'} {abs(s.price_change) * 100:.0f} %"
    move_sv = f"{'faller' if s.price_change < 0 else 'stiger'} {abs(s.price_change) * 100:.0f} %"
    when_en = (
        "the same year"
        if s.after_years == 0
        else f"{s.after_years} year{'s' if s.after_years > 1 else ''} later"
    )
    when_sv = "samma år" if s.after_years == 0 else f"{s.after_years} år senare"
    lo, hi = s.confidence_interval
    en = (
        f"If {n.price_en} {move_en} next year, {n.indicator_en} is expected to change by "
        f"{fmt(s.expected_change)} {when_en} ({level * 100:.0f} % interval {fmt(lo)} to {fmt(hi)}; "
        f"with the usual year-to-year noise {fmt(s.prediction_interval[0])} to "
        f"{fmt(s.prediction_interval[1])})."
    )
    sv = (
        f"Om {n.price_sv} {move_sv} nästa år väntas {n.indicator_sv} förändras med "
        f"{fmt(s.expected_change, True)} {when_sv} ({level * 100:.0f} %-intervall {fmt(lo, True)} till "
        f"{fmt(hi, True)}; med det vanliga årsbruset {fmt(s.prediction_interval[0], True)} till "
        f"{fmt(s.prediction_interval[1], True)})."
    )
    return replace(s, sentence_en=en, sentence_sv=sv)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sv_signed(value: float) -> str:
    return f"{value:+.0f}".replace("-", "−")

"""Reads for the cycle-aware follow-up: one place's series read against its metal's price cycle.

The statistics are the pure ``analysis`` package's; this module only fetches the data, names it
for the sentences, and lines the results up by year for pages, charts, reports and the API. Each
part that cannot be computed carries the analysis package's reason, so a page says why instead of
showing a wrong verdict.

Every verdict is on calendar years: a monthly or quarterly indicator is judged on the means of its
complete calendar years (``Series.calendar``). The last years of the trend and of the
cycle-adjusted series are measured for how provisional they are by re-estimating on the series cut
at each of its last five years, with the price cycle as it stood at the end of each of those years
(``PriceHistory.cycle_until``).

Prices are nominal US dollars: the platform holds no deflator series yet, so the price cycle is
the cycle of the log nominal price (with the commodity's method breaks respected).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mineralstrategi.analysis import (
    HP_LAMBDA,
    Base,
    CycleAdjustment,
    Decomposition,
    Frequency,
    LaggedCorrelation,
    Names,
    PriceBreak,
    PriceCycle,
    PriceScenario,
    ProgressStatus,
    Revisions,
    adjusted_revisions,
    annual_price_cycle,
    cut_years,
    cycle_adjust,
    hp_decompose,
    lagged_correlation,
    price_scenario,
    trend_revisions,
)
from mineralstrategi.analysis import Target as StatusTarget
from mineralstrategi.analysis.cycle import MIN_YEARS
from mineralstrategi.analysis.memo import Memo, series_key
from mineralstrategi.analysis.revisions import MAX_CUTS
from mineralstrategi.analysis.wording import number, year_span
from mineralstrategi.svgcharts import Line, bar_chart, line_chart, screen_charts

from . import verdict_text
from .commodities import SERIES_NAMES
from .models import Commodity, Indicator, Observation, PricePoint, Target
from .selectors import (
    POINT_FIELDS,
    STATUS_LABELS,
    UNABLE_TO_ASSESS,
    Series,
    place_names,
    series_by_place,
    status_for,
)

NOMINAL_PRICE_NOTE = _(
    "Prices are nominal US dollars: no deflator series is loaded, so the price cycle is that of "
    "the log nominal price."
)
DEFAULT_PRICE_CHANGE = -0.30
NOT_EXPOSED = "not_exposed"  # the adjusted verdict's code when no metal price is linked
NOT_EXPOSED_LABEL = _("Not linked to a price")
MAX_LAG = 3  # years; the analysis package's default
MIN_MONTHS = 11  # a year with one month missing still has a fair annual mean (said in the notes)

# The method as the pages explain it, from the constants the code uses.
METHOD = {
    "lambda_annual": HP_LAMBDA[Frequency.ANNUAL],
    "lambda_quarterly": HP_LAMBDA[Frequency.QUARTERLY],
    "lambda_monthly": HP_LAMBDA[Frequency.MONTHLY],
    "min_months": MIN_MONTHS,
    "max_lag": MAX_LAG,
    "min_years": MIN_YEARS,
    "cuts": MAX_CUTS,
}


def _english() -> bool:
    return (get_language() or "sv").startswith("en")


PRICE_CYCLE_MEMO: Memo[PriceCycle] = Memo(maxsize=256)
PLACE_MEMO: Memo[tuple] = Memo(maxsize=4_000)


class PriceHistory:
    """One commodity's monthly prices up to a year, read once, and its annual price cycle as it
    stood at the end of any year up to then (breaks respected), so that a report for a year uses
    no later prices and the pseudo-real-time cuts use only the prices known at each cut.

    Each cycle is memoised on the monthly prices it is made from: the filter runs again only when
    those prices change."""

    def __init__(self, commodity: Commodity, until_year: int | None = None):
        rows = PricePoint.objects.filter(commodity=commodity, value__isnull=False)
        if until_year is not None:
            rows = rows.filter(month__lte=f"{until_year}-12")
        self.commodity = commodity
        self._prices = series_key(dict(rows.values_list("month", "value")))  # in month order
        self._months = [month for month, _ in self._prices]

    def cycle(self) -> PriceCycle:
        """The cycle from every price read."""
        return self.cycle_until(None)

    def key_until(self, year: int | None) -> tuple:
        """Everything the cycle up to ``year`` is made from: the prices up to December of that
        year, the commodity's breaks and its name (the memo key of ``cycle_until``)."""
        count = len(self._months) if year is None else bisect_right(self._months, f"{year}-12")
        return (self._prices[:count], tuple(self.commodity.break_months), self.commodity.name)

    def cycle_until(self, year: int | None) -> PriceCycle:
        """The cycle from the prices up to December of ``year``."""
        key = self.key_until(year)
        commodity = self.commodity
        return PRICE_CYCLE_MEMO.get_or_compute(
            key, lambda: _price_cycle(dict(key[0]), commodity, f"{commodity.name} price")
        )


def price_cycle_for(commodity: Commodity, until_year: int | None = None) -> PriceCycle:
    """The commodity's annual price cycle (log points) from its monthly prices up to the year."""
    return PriceHistory(commodity, until_year).cycle()


def _price_cycle(monthly: dict[str, float], commodity: Commodity, name: str) -> PriceCycle:
    if not monthly:
        return PriceCycle(False, f"{commodity.name}: no prices are loaded")
    breaks = tuple(
        PriceBreak(month, f"{commodity.name}: change of method") for month in commodity.break_months
    )
    return annual_price_cycle(
        pd.Series(monthly, dtype=float).sort_index(),
        breaks=breaks,
        min_months=MIN_MONTHS,
        name=name,
    )


@dataclass
class PlaceAnalysis:
    """One indicator at one place, up to a year: trend and cycle, price links, both verdicts."""

    indicator: Indicator
    series: Series
    target: Target | None
    until_year: int | None
    raw_status_all: ProgressStatus
    decomposition: Decomposition
    price_cycle: PriceCycle | None = None
    correlation: LaggedCorrelation | None = None
    adjustment: CycleAdjustment | None = None
    scenario: PriceScenario | None = None
    trend_revision: Revisions | None = None
    adjusted_revision: Revisions | None = None
    notes: list[str] = field(default_factory=list)

    # --- lined up by year, for tables, charts and the API ----------------------------------
    @property
    def years(self) -> list[int]:
        return sorted(self.annual)

    @property
    def annual(self) -> dict[int, float]:
        values = self.series.annual
        if self.until_year is not None:
            values = {y: v for y, v in values.items() if y <= self.until_year}
        return values

    def _aligned(self, series: pd.Series | None, scale: float = 1.0) -> list[float | None]:
        if series is None:
            return [None] * len(self.years)
        by_year = {int(getattr(k, "year", k)): float(v) * scale for k, v in series.items()}
        return [by_year.get(year) for year in self.years]

    @property
    def observed(self) -> list[float | None]:
        return [self.annual[year] for year in self.years]

    @property
    def trend(self) -> list[float | None]:
        return self._aligned(self.decomposition.trend if self.decomposition.ok else None)

    @property
    def cycle(self) -> list[float | None]:
        return self._aligned(self.decomposition.cycle if self.decomposition.ok else None)

    @property
    def adjusted(self) -> list[float | None]:
        ok = self.adjustment is not None and self.adjustment.ok
        return self._aligned(self.adjustment.adjusted if ok else None)

    @property
    def price_cycle_percent(self) -> list[float | None]:
        ok = self.price_cycle is not None and self.price_cycle.ok
        return self._aligned(self.price_cycle.annual_cycle if ok else None, 100.0)

    @property
    def cycle_percent(self) -> list[float | None]:
        """The indicator's cycle as a percentage of its trend, to set beside the price cycle."""
        return [
            None if c is None or not t else 100.0 * c / t
            for c, t in zip(self.cycle, self.trend, strict=True)
        ]

    @property
    def metal_name(self) -> str:
        """The metal's name in the page's language ('' when none is linked)."""
        name = _metal(self.indicator.exposed_to, "en" if _english() else "sv")
        return name[:1].upper() + name[1:]

    @property
    def period_text(self) -> str:
        return f"{self.years[0]}–{self.years[-1]}" if self.years else "–"

    @property
    def lag_period_text(self) -> str:
        """The years the lag correlations rest on: those the indicator's and the price's cycles
        share at lag 0 (each other lag loses a year or more at one end)."""
        ok = self.price_cycle is not None and self.price_cycle.ok
        shared = set(self.years) & set(self.price_cycle.annual_cycle.index) if ok else set()
        return year_span(shared) or "–"

    # --- calendar years and how provisional the end is ------------------------------------
    @property
    def basis(self) -> str:
        """'The verdict is on calendar-year means of monthly values. Left out: …' ('' for years)."""
        return verdict_text.basis_sentence(self.series.calendar)

    @property
    def provisional_years(self) -> tuple[int, ...]:
        """The years whose trend or cycle-adjusted value may still move as years are added."""
        years: set[int] = set()
        for revision in (self.trend_revision, self.adjusted_revision):
            if revision is not None and revision.ok:
                years |= set(revision.provisional_years)
        return tuple(sorted(y for y in years if y in self.annual))

    @property
    def provisional_text(self) -> str:
        return year_span(self.provisional_years)

    @property
    def trend_band(self) -> str:
        return verdict_text.band_text(self.trend_revision, self.indicator.unit)

    @property
    def adjusted_band(self) -> str:
        """The band of the cycle-adjusted verdict ('' when there is no such verdict)."""
        if self.adjusted_status is None or not self.adjusted_status.ok:
            return ""
        return verdict_text.band_text(self.adjusted_revision, self.indicator.unit)

    @property
    def rows(self) -> list[tuple]:
        """(year, observed, trend, cycle, adjusted, cycle %, price cycle %) for the data table."""
        return list(
            zip(
                self.years,
                self.observed,
                self.trend,
                self.cycle,
                self.adjusted,
                self.cycle_percent,
                self.price_cycle_percent,
                strict=True,
            )
        )

    @property
    def lag_rows(self) -> list[tuple]:
        c = self.correlation
        if c is None or not c.ok:
            return []
        return list(zip(c.lags, c.correlations, c.band, c.observations, strict=True))

    @property
    def trend_svg(self) -> str:
        return trend_chart(self)

    @property
    def cycle_svg(self) -> str:
        return cycle_chart(self)

    @property
    def lag_svg(self) -> str:
        return lag_chart(self)

    # --- verdicts and sentences -------------------------------------------------------------
    @property
    def raw_status(self) -> ProgressStatus:
        """The raw verdict over the same years as the adjusted one (so the two compare), or over
        every year when there is no adjusted verdict."""
        if self.adjustment is not None and self.adjustment.ok:
            return self.adjustment.raw_status
        return self.raw_status_all

    @property
    def adjusted_status(self) -> ProgressStatus | None:
        if self.adjustment is None or not self.adjustment.ok:
            return None
        return self.adjustment.adjusted_status

    @property
    def raw_label(self) -> str:
        return _label(self.raw_status)

    @property
    def raw_explanation(self) -> str:
        if not self.series.calendar.ok:
            return verdict_text.no_year_text(self.series.calendar)
        return _explanation(self.raw_status)

    @property
    def adjusted_label(self) -> str:
        if self.indicator.exposed_to_id is None:
            return str(NOT_EXPOSED_LABEL)
        status = self.adjusted_status
        return _label(status) if status is not None else str(UNABLE_TO_ASSESS)

    @property
    def adjusted_code(self) -> str:
        if self.indicator.exposed_to_id is None:
            return NOT_EXPOSED
        status = self.adjusted_status
        return str(status.status) if status is not None and status.ok else "unknown"

    @property
    def raw_code(self) -> str:
        return str(self.raw_status.status) if self.raw_status.ok else "unknown"

    @property
    def verdicts_differ(self) -> bool:
        return self.adjusted_code not in ("unknown", NOT_EXPOSED, self.raw_code)

    @property
    def adjustment_reason(self) -> str:
        """Why there is no cycle-adjusted verdict ('' when there is one)."""
        if self.indicator.exposed_to_id is None:
            return str(_("The indicator is not linked to a metal price, so nothing is adjusted."))
        if not self.series.calendar.ok:
            return verdict_text.no_year_text(self.series.calendar)
        if self.price_cycle is not None and not self.price_cycle.ok:
            return self.price_cycle.reason
        if self.adjustment is not None and not self.adjustment.ok:
            return self.adjustment.reason
        status = self.adjusted_status
        if status is not None and not status.ok:
            return status.reason
        return ""

    @property
    def sentence(self) -> str:
        """'… rose 18 % since 2015; 14 points of that follow the iron ore price; …' or why not."""
        a = self.adjustment
        if a is None or not a.ok or not a.sentence_en:
            return self.adjustment_reason or self.raw_explanation
        return a.sentence_en if _english() else a.sentence_sv

    @property
    def correlation_explanation(self) -> str:
        c = self.correlation
        if c is None or not c.ok:
            return ""
        return c.explanation_en if _english() else c.explanation_sv

    @property
    def scenario_sentence(self) -> str:
        s = self.scenario
        if s is None:
            return self.adjustment_reason if self.indicator.exposed_to_id else ""
        if not s.ok:
            return s.reason
        return s.sentence_en if _english() else s.sentence_sv


def _label(status: ProgressStatus) -> str:
    if not status.ok:
        return str(UNABLE_TO_ASSESS)
    return str(STATUS_LABELS[str(status.status)])


def _explanation(status: ProgressStatus) -> str:
    if not status.ok:
        return status.reason
    return status.explanation_en if _english() else status.explanation_sv


def _metal(commodity: Commodity | None, language: str) -> str:
    """The metal's name in the language of the sentence (the stored name is in one language)."""
    if commodity is None:
        return ""
    known = SERIES_NAMES.get(commodity.code)
    if known is None:
        return commodity.name.lower()
    with translation.override(language):
        return str(known).lower()


def _names(indicator: Indicator, place: str) -> Names:
    return Names(
        indicator_en=f"{indicator.name} in {place}",
        indicator_sv=f"{indicator.name} i {place}",
        price_en=f"the {_metal(indicator.exposed_to, 'en')} price",
        price_sv=f"priset på {_metal(indicator.exposed_to, 'sv')}",
        unit=indicator.unit,
    )


def place_analysis(
    indicator: Indicator,
    series: Series,
    target: Target | None,
    *,
    until_year: int | None = None,
    prices: PriceHistory | None = None,
    price_change: float = DEFAULT_PRICE_CHANGE,
) -> PlaceAnalysis:
    """Analyse one place's series. ``prices`` may be passed in to share them between places."""
    values = series.annual
    if until_year is not None:
        values = {y: v for y, v in values.items() if y <= until_year}
    if not values:
        why = series.calendar.reason or f"{series.name}: no annual values"
        if series.calendar.ok:
            why = f"{series.name}: no annual values" + (
                f" up to {until_year}" if until_year else ""
            )
        return PlaceAnalysis(
            indicator,
            series,
            target,
            until_year,
            ProgressStatus.refused(why),
            Decomposition(False, why),
            adjustment=CycleAdjustment.refused(why) if indicator.exposed_to_id else None,
        )
    raw = status_for(_AnnualOnly(series, values), target, indicator)
    decomposition = _decomposition(values, series.name)
    revision = _trend_revisions(values, series.name)
    if indicator.exposed_to_id is None:
        return PlaceAnalysis(
            indicator, series, target, until_year, raw, decomposition, trend_revision=revision
        )
    prices = prices or PriceHistory(indicator.exposed_to, until_year)
    price_cycle = prices.cycle()
    if not price_cycle.ok:
        analysis = PlaceAnalysis(
            indicator, series, target, until_year, raw, decomposition, price_cycle,
            trend_revision=revision,
        )  # fmt: skip
        analysis.notes.append(str(NOMINAL_PRICE_NOTE))
        return analysis
    transform = "log" if min(values.values()) > 0 else "level"
    names = _names(indicator, series.name)
    target_args = _target_args(target)
    key = (
        series_key(values),
        series_key(price_cycle.annual_cycle),
        indicator.desired_direction,
        names,
        series.name,
        tuple(sorted(target_args.items())),
        price_change,
    )
    correlation, adjustment, scenario = PLACE_MEMO.get_or_compute(
        key,
        lambda: _cycle_statistics(
            values, price_cycle.annual_cycle, indicator.desired_direction, transform,
            names, _metal(indicator.exposed_to, "en"), series.name, target_args, price_change,
        ),
    )  # fmt: skip
    analysis = PlaceAnalysis(
        indicator, series, target, until_year, raw, decomposition, price_cycle,
        correlation, adjustment, scenario, revision,
        _adjusted_revisions(values, adjustment, prices, transform, series.name),
    )  # fmt: skip
    analysis.notes.append(str(NOMINAL_PRICE_NOTE))
    if transform == "level":
        analysis.notes.append(
            str(_("The series has zero or negative values, so it is adjusted in its own units."))
        )
    return analysis


def _decomposition(values: dict[int, float], name: str) -> Decomposition:
    return PLACE_MEMO.get_or_compute(
        ("decomposition", series_key(values), name),
        lambda: hp_decompose(
            pd.Series(values, dtype=float).sort_index(), Frequency.ANNUAL, name=name
        ),
    )


def _trend_revisions(values: dict[int, float], name: str) -> Revisions:
    return PLACE_MEMO.get_or_compute(
        ("trend revisions", series_key(values), name),
        lambda: trend_revisions(values, name=name),
    )


def _adjusted_revisions(
    values: dict[int, float],
    adjustment: CycleAdjustment,
    prices: PriceHistory,
    transform: str,
    name: str,
) -> Revisions | None:
    """Revisions of the cycle-adjusted series, with the price cycle as it stood at each cut.

    Keyed on the values, the full-sample adjusted series and the prices up to the last cut (each
    cut's price cycle is made from a part of them; it is not determined by the full cycle, since
    the filter is two-sided)."""
    if not adjustment.ok:
        return None
    cuts = cut_years(list(values))
    key = (
        "adjusted revisions",
        series_key(values),
        series_key(adjustment.adjusted),
        prices.key_until(max(cuts, default=None)),
        transform,
        name,
    )

    def compute() -> Revisions:
        cycles = {cut: prices.cycle_until(cut) for cut in cuts}
        usable = {cut: cycle.annual_cycle for cut, cycle in cycles.items() if cycle.ok}
        return adjusted_revisions(values, adjustment.adjusted, usable, transform, MAX_LAG, name)

    return PLACE_MEMO.get_or_compute(key, compute)


def _cycle_statistics(
    values, price, direction, transform, names, metal_en, series_name, target_args, price_change
) -> tuple:
    """(correlation, adjustment, scenario): the pure part of ``place_analysis``."""
    # The correlations shown are those the adjustment chooses its lag from: the cycles of the
    # log series (or of the levels), so the chart and the estimate cannot disagree.
    correlation = _correlation(values, transform, price, series_name, metal_en)
    lag = correlation.strongest_leading_lag if correlation.ok else None
    adjustment = cycle_adjust(
        values, price, direction, lag=lag, transform=transform, names=names, **target_args
    )
    return correlation, adjustment, price_scenario(adjustment, price_change)


def _correlation(values, transform, price, series_name: str, metal_en: str) -> LaggedCorrelation:
    observed = pd.Series(values, dtype=float).sort_index()
    transformed = np.log(observed) if transform == "log" else observed
    cycle = hp_decompose(transformed, Frequency.ANNUAL, name=series_name)
    if not cycle.ok:
        return LaggedCorrelation.refused(cycle.reason)
    return lagged_correlation(
        cycle.cycle.set_axis([int(p.year) for p in cycle.cycle.index]),
        price,
        max_lag=MAX_LAG,
        indicator_name=f"{series_name} cycle",
        price_name=f"{metal_en} price cycle",
    )


class _AnnualOnly:
    """A Series stand-in whose ``annual`` values stop at the chosen year."""

    def __init__(self, series: Series, values: dict[int, float]):
        self.level, self.code, self.name = series.level, series.code, series.name
        self.calendar = series.calendar
        self.annual = values


def _target_args(target: Target | None) -> dict:
    if target is None:
        return {}
    return {
        "target": StatusTarget(year=target.target_year, value=target.target_value),
        "base": Base(year=target.baseline_year, average_years=target.baseline_years_averaged),
    }


def indicator_analysis(
    indicator: Indicator,
    geo: str,
    *,
    until_year: int | None = None,
    price_change: float = DEFAULT_PRICE_CHANGE,
    breakdown: str | None = None,
) -> PlaceAnalysis | None:
    """The analysis of one series of the indicator (its headline unless a breakdown key is
    given) at the place with code ``geo`` (None if it has no values there)."""
    matches = [s for s in series_by_place(indicator, breakdown=breakdown) if s.code == geo]
    if not matches:
        return None
    series = matches[0]
    target = indicator.targets.filter(geo_level=series.level, geo_code=series.code).first()
    return place_analysis(
        indicator, series, target, until_year=until_year, price_change=price_change
    )


def indicator_analyses(
    indicator: Indicator,
    series_list: list[Series],
    *,
    levels: tuple[str, ...] = ("nation", "county"),
    until_year: int | None = None,
    price_histories: dict[int, PriceHistory] | None = None,
    price_change: float = DEFAULT_PRICE_CHANGE,
) -> list[PlaceAnalysis]:
    """Analyses of the places at ``levels`` (plus any place with a target), sharing one price
    history (one query for the prices).

    ``price_histories`` (commodity id -> history) lets a caller share them across indicators.
    """
    histories = price_histories if price_histories is not None else {}
    if indicator.exposed_to_id is not None and indicator.exposed_to_id not in histories:
        histories[indicator.exposed_to_id] = PriceHistory(indicator.exposed_to, until_year)
    targets = {(t.geo_level, t.geo_code): t for t in indicator.targets.all()}
    return [
        place_analysis(
            indicator,
            series,
            targets.get((series.level, series.code)),
            until_year=until_year,
            prices=histories.get(indicator.exposed_to_id),
            price_change=price_change,
        )
        for series in series_list
        if series.level in levels or (series.level, series.code) in targets
    ]


def analyses_for_indicators(
    indicators: list[Indicator],
    *,
    geo_codes: list[str],
    until_year: int | None = None,
    price_change: float = DEFAULT_PRICE_CHANGE,
) -> dict[int, list[PlaceAnalysis]]:
    """Indicator id -> analyses at the given places, in a fixed number of queries; each price
    cycle is computed once. ``indicators`` should come with their targets prefetched."""
    names = place_names()
    headlines = {indicator.pk: indicator.headline_breakdown for indicator in indicators}
    rows = (
        Observation.objects.filter(
            indicator__in=indicators,
            breakdown__in=set(headlines.values()),
            geo_code__in=geo_codes,
        )
        .order_by("indicator", "geo_level", "geo_code", "period")
        .values_list(*POINT_FIELDS, "breakdown", named=True)
    )
    grouped: dict[int, dict[tuple[str, str], list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.breakdown == headlines[row.indicator_id]:
            grouped[row.indicator_id][(row.geo_level, row.geo_code)].append(row)
    histories: dict[int, PriceHistory] = {}
    result = {}
    for indicator in indicators:
        series_list = [
            Series(level, code, names.get((level, code), code), points)
            for (level, code), points in sorted(grouped[indicator.pk].items())
        ]
        result[indicator.pk] = indicator_analyses(
            indicator,
            series_list,
            levels=("nation", "county", "municipality", "site"),
            until_year=until_year,
            price_histories=histories,
            price_change=price_change,
        )
    return result


# --- Charts (server-side SVG: the same on the page, in print and in the PDF) ------------------


def trend_chart(analysis: PlaceAnalysis) -> str:
    """Observed, trend and cycle-adjusted values, the provisional years shaded."""
    lines = [Line(str(_("Observed")), analysis.observed)]
    if analysis.decomposition.ok:
        lines.append(Line(str(_("Trend (HP filter)")), analysis.trend, dashed=True))
    if any(v is not None for v in analysis.adjusted):
        lines.append(Line(str(_("Cycle-adjusted")), analysis.adjusted))
    provisional = analysis.provisional_years
    return mark_safe(  # nosec B308, B703 # svgcharts escapes every text
        screen_charts(
            line_chart,
            [str(y) for y in analysis.years],
            lines,
            title=f"{analysis.indicator.name}, {analysis.series.name}",
            unit=analysis.indicator.unit,
            lang=verdict_text.language(),
            shaded_from=analysis.years.index(provisional[0]) if provisional else None,
            shade_name=str(
                _("Provisional years (%(years)s)") % {"years": analysis.provisional_text}
            ),
        )
    )


def cycle_chart(analysis: PlaceAnalysis) -> str:
    lines = [Line(str(_("Indicator cycle, % of trend")), analysis.cycle_percent)]
    if analysis.price_cycle is not None and analysis.price_cycle.ok:
        name = analysis.metal_name
        lines.append(
            Line(
                str(_("%(metal)s price cycle, %% of trend") % {"metal": name}),
                analysis.price_cycle_percent,
                dashed=True,
            )
        )
    return mark_safe(  # nosec B308, B703 # svgcharts escapes every text
        screen_charts(
            line_chart,
            [str(y) for y in analysis.years],
            lines,
            title=str(_("Cycle of the indicator and of the price")),
            unit="%",
            lang=verdict_text.language(),
        )
    )


def lag_chart(analysis: PlaceAnalysis) -> str:
    c = analysis.correlation
    if c is None or not c.ok:
        return ""
    lang = verdict_text.language()
    return mark_safe(  # nosec B308, B703 # svgcharts escapes every text
        screen_charts(
            bar_chart,
            [number(lag, lang, signed=lag != 0) for lag in c.lags],
            list(c.correlations),
            band=list(c.band),
            low=-1,
            high=1,
            title=str(_("Correlation of the cycles at lags (years the price leads)")),
            value_name=str(_("Correlation")),
            band_name=str(_("95 % band for unrelated series (Bartlett)")),
            lang=lang,
            height=220,
        )
    )


def adjusted_label(series_name: str) -> str:
    """The name of a place's cycle-adjusted line, in charts and their tables."""
    return _("%(series)s, cycle-adjusted") % {"series": series_name}


def places_chart(analyses: list[PlaceAnalysis]) -> str:
    """One indicator at several places: observed (solid) and cycle-adjusted (dashed) lines, a
    place's two in its own colour."""
    if not analyses:
        return ""
    years = sorted({y for a in analyses for y in a.years})
    lines = []
    for place, a in enumerate(analyses):
        by_year = dict(zip(a.years, a.observed, strict=True))
        lines.append(Line(a.series.name, [by_year.get(y) for y in years], colour=place))
        if any(v is not None for v in a.adjusted):
            adjusted = dict(zip(a.years, a.adjusted, strict=True))
            lines.append(
                Line(
                    adjusted_label(a.series.name),
                    [adjusted.get(y) for y in years],
                    dashed=True,
                    colour=place,
                )
            )
    indicator = analyses[0].indicator
    return mark_safe(  # nosec B308, B703 # svgcharts escapes every text
        line_chart(
            [str(y) for y in years],
            lines,
            title=indicator.name,
            unit=indicator.unit,
            width=640,
            height=220,
            lang=verdict_text.language(),
        )
    )

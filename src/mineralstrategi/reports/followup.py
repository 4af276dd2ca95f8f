"""The follow-up of a strategy for a year: each direction and goal with its indicators' raw and
cycle-adjusted verdicts, the price scenario, and its initiatives. A read: it composes the strategy,
indicator and implementation selectors and changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from mineralstrategi.caching.until_a_write import UntilAWrite
from mineralstrategi.implementation.selectors import initiatives_by_section_key
from mineralstrategi.indicators.cycle import (
    DEFAULT_PRICE_CHANGE,
    NOT_EXPOSED,
    NOT_EXPOSED_LABEL,
    PlaceAnalysis,
    adjusted_label,
    analyses_for_indicators,
    places_chart,
)
from mineralstrategi.indicators.models import Indicator, IndicatorLink
from mineralstrategi.indicators.selectors import STATUS_LABELS, UNABLE_TO_ASSESS
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.strategy.models import SectionKind, Strategy, StrategyVersion

STATUS_ORDER = (
    "achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "unknown",
    NOT_EXPOSED,
)


def _label(code: str) -> str:
    if code == NOT_EXPOSED:
        return NOT_EXPOSED_LABEL
    return STATUS_LABELS.get(code, UNABLE_TO_ASSESS)


@dataclass
class IndicatorFollowup:
    indicator: Indicator
    analyses: list[PlaceAnalysis]

    @property
    def chart(self) -> str:
        return places_chart(self.analyses)

    @property
    def period_text(self) -> str:
        years = sorted({y for a in self.analyses for y in a.years})
        return f"{years[0]}–{years[-1]}" if years else "–"

    @property
    def table(self) -> tuple[list[str], list[list]]:
        """Header and rows (year, then observed and adjusted per place) for the chart's figures."""
        years = sorted({y for a in self.analyses for y in a.years})
        header, columns = [], []
        for a in self.analyses:
            header += [a.series.name, adjusted_label(a.series.name)]
            columns += [dict(zip(a.years, a.observed, strict=True)),
                        dict(zip(a.years, a.adjusted, strict=True))]  # fmt: skip
        return header, [[y, *(c.get(y) for c in columns)] for y in years]


@dataclass
class SectionFollowup:
    section: object  # strategy.Section, with .outline
    indicators: list[IndicatorFollowup] = field(default_factory=list)
    initiatives: list = field(default_factory=list)
    goals: list[SectionFollowup] = field(default_factory=list)
    initiative_count: int = 0  # all of them, where ``initiatives`` holds only the first few

    @property
    def analyses(self) -> list[PlaceAnalysis]:
        own = [a for item in self.indicators for a in item.analyses]
        return own + [a for goal in self.goals for a in goal.analyses]

    @property
    def indicator_rows(self) -> list[IndicatorFollowup]:
        return self.indicators + [row for goal in self.goals for row in goal.indicators]

    @property
    def tally(self) -> list[tuple[str, str, int, int]]:
        """(status code, label, raw count, adjusted count) over this section and its goals."""
        raw = Counter(a.raw_code for a in self.analyses)
        adjusted = Counter(a.adjusted_code for a in self.analyses)
        return [
            (code, str(_label(code)), raw[code], adjusted[code])
            for code in STATUS_ORDER
            if raw[code] or adjusted[code]
        ]


@dataclass
class Followup:
    strategy: Strategy
    version: StrategyVersion
    year: int
    price_change: float
    directions: list[SectionFollowup]
    places: list[str]

    @property
    def analyses(self) -> list[PlaceAnalysis]:
        return [a for d in self.directions for a in d.analyses]

    @property
    def indicator_rows(self) -> list[IndicatorFollowup]:
        return [row for d in self.directions for row in d.indicator_rows]

    @property
    def exposed(self) -> list[PlaceAnalysis]:
        """Analyses of indicators exposed to a metal price (with a scenario, or why not)."""
        return [a for a in self.analyses if a.indicator.exposed_to_id is not None]

    @property
    def differing(self) -> list[PlaceAnalysis]:
        return [a for a in self.analyses if a.verdicts_differ]

    @property
    def is_example(self) -> bool:
        return self.strategy.is_example or any(a.indicator.is_example for a in self.analyses)


def followup_version(strategy: Strategy) -> StrategyVersion:
    """The version followed up: the adopted one, else the latest frozen one, else the draft."""
    if not hasattr(strategy, "all_versions"):
        strategy = strategy_selectors.strategy_get(pk=strategy.pk)
    return strategy_selectors.strategy_public_version(
        strategy
    ) or strategy_selectors.strategy_working_draft(strategy)


def latest_year(strategy: Strategy) -> int | None:
    """The latest calendar year any indicator linked to the strategy can be judged for (from the
    summary that every import of observations keeps, not from the observations themselves).

    Verdicts are on calendar years, so a monthly or quarterly indicator whose last value is for
    April 2026 counts for 2025: 2026 is not complete yet."""
    periods = (
        Indicator.objects.filter(links__strategy=strategy)
        .exclude(last_value_period="")
        .values_list("last_value_period", flat=True)
        .distinct()
    )
    years = [_last_complete_year(period) for period in periods]
    return max(years) if years else None


def _last_complete_year(period: str) -> int:
    """'2025' -> 2025, '2025-12' and '2025-Q4' -> 2025, '2026-04' and '2026-Q1' -> 2025."""
    year = int(period[:4])
    return year if len(period) == 4 or period[5:] in ("12", "Q4") else year - 1


# The follow-ups asked for lately, until the next write: the same for everybody who may see the
# strategy, and most of the dashboard's and the report's render (issue #19).
FOLLOWUPS: UntilAWrite[Followup] = UntilAWrite(maxsize=32)


def followup_for(
    strategy: Strategy,
    year: int,
    *,
    price_change: float = DEFAULT_PRICE_CHANGE,
    progress=None,
    initiatives_shown: int | None = None,
) -> Followup:
    """The follow-up for the year. ``initiatives_shown`` keeps the first few initiatives of each
    section (a page links to the rest), else all are kept (the report lists them). Kept until
    the next write to the data (`FOLLOWUPS`), except when made with a ``progress`` callback (the
    PDF, made once by the task worker). Read only: it is shared."""
    arguments = (strategy, year, price_change, initiatives_shown)
    if progress is not None:
        return _followup_for(*arguments, progress=progress)
    key = (strategy.pk, year, price_change, initiatives_shown)
    return FOLLOWUPS.get_or_compute(key, lambda: _followup_for(*arguments, progress=None))


def _followup_for(
    strategy: Strategy,
    year: int,
    price_change: float,
    initiatives_shown: int | None,
    *,
    progress,
) -> Followup:
    version = followup_version(strategy)
    tree = strategy_selectors.section_tree(version, with_links=False)
    links = IndicatorLink.objects.for_strategy(strategy).select_related(
        "indicator__exposed_to", "indicator__owner"
    )
    by_key: dict = {}
    indicators: dict[int, Indicator] = {}
    for link in links:
        by_key.setdefault(link.section_key, []).append(link.indicator)
        indicators[link.indicator_id] = link.indicator
    with_targets = list(
        Indicator.objects.filter(pk__in=indicators)
        .select_related("exposed_to", "owner")
        .prefetch_related("targets")
    )
    places = sorted(strategy.counties.values_list("code", flat=True))
    analyses = analyses_for_indicators(
        with_targets, geo_codes=places, until_year=year, price_change=price_change
    )
    if progress:
        progress(80)
    full = {i.pk: i for i in with_targets}
    initiatives = initiatives_by_section_key(strategy, year=year)

    def section_followup(section) -> SectionFollowup:
        serving = initiatives.get(section.key, [])
        return SectionFollowup(
            section=section,
            indicators=[
                IndicatorFollowup(full[i.pk], analyses.get(i.pk, []))
                for i in sorted(by_key.get(section.key, []), key=lambda i: i.code)
            ],
            initiatives=list(serving[:initiatives_shown]),
            initiative_count=len(serving),
        )

    directions = []
    for section in tree:
        if section.kind != SectionKind.DIRECTION:
            continue
        row = section_followup(section)
        row.goals = [
            section_followup(goal) for goal in section.subsections if goal.kind == SectionKind.GOAL
        ]
        directions.append(row)
    return Followup(strategy, version, year, price_change, directions, places)

"""Reads of indicators, observations, targets and prices, shaped for pages, downloads and the API."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mineralstrategi.analysis.memo import Memo, series_key
from mineralstrategi.analysis.status import Base, ProgressStatus, progress_status
from mineralstrategi.analysis.status import Target as StatusTarget
from mineralstrategi.organisations.models import County, Municipality

from .commodities import GROUPS, METAL_GROUPS
from .models import Commodity, GeographyLevel, ImportJob, Indicator, Observation, PricePoint, Target


def indicator_list(
    *, dimension: str | None = None, search: str | None = None
) -> QuerySet[Indicator]:
    indicators = Indicator.objects.select_related("exposed_to", "owner")
    if dimension:
        indicators = indicators.filter(dimension=dimension)
    if search:
        indicators = indicators.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return indicators


def indicator_get(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("exposed_to", "owner"), code=code)


def place_names() -> dict[tuple[str, str], str]:
    """(level, code) -> name for the nation, every county and every municipality (two queries)."""
    names = {(GeographyLevel.NATION, "SE"): "Sverige"}
    for level, places in (
        (GeographyLevel.COUNTY, County.objects),
        (GeographyLevel.MUNICIPALITY, Municipality.objects),
    ):
        names.update({(level, code): name for code, name in places.values_list("code", "name")})
    return names


@dataclass
class Series:
    level: str
    code: str
    name: str
    points: list  # of Observation, or the rows of series_points()

    @property
    def annual(self) -> dict[int, float]:
        return {
            int(o.period[:4]): o.value
            for o in self.points
            if o.value is not None and len(o.period) == 4
        }


def observations(
    indicator: Indicator,
    *,
    geo: list[str] | None = None,
    level: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    breakdown: str = "",
) -> QuerySet[Observation]:
    rows = Observation.objects.filter(indicator=indicator, breakdown=breakdown)
    if geo:
        rows = rows.filter(geo_code__in=geo)
    if level:
        rows = rows.filter(geo_level=level)
    if period_from:
        rows = rows.filter(period__gte=period_from)
    if period_to:
        rows = rows.filter(period__lte=period_to + "~")  # "2020~" sorts after "2020-12"
    return rows.order_by("geo_level", "geo_code", "period")


POINT_FIELDS = (
    "indicator_id",
    "geo_level",
    "geo_code",
    "period",
    "value",
    "provisional",
    "estimated",
)


def series_points(rows: QuerySet[Observation]):
    """The observations as light named rows with the fields a ``Series`` reads: thousands of
    them build in a fraction of the time model instances take."""
    return rows.values_list(*POINT_FIELDS, named=True)


def series_by_place(indicator: Indicator, rows=None) -> list[Series]:
    """The indicator's totals as one series per place, nation first, then counties, then the rest."""
    names = place_names()
    grouped: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for row in rows if rows is not None else series_points(observations(indicator)):
        grouped[(row.geo_level, row.geo_code)].append(row)
    order = {level: i for i, level in enumerate(GeographyLevel.values)}
    return [
        Series(level, code, names.get((level, code), code), points)
        for (level, code), points in sorted(
            grouped.items(), key=lambda item: (order[item[0][0]], item[0][1])
        )
    ]


STATUS_LABELS = {
    "achieved": _("Target achieved"),
    "on_track": _("On track"),
    "acceleration_needed": _("Acceleration needed"),
    "limited_progress": _("Limited progress"),
    "deterioration": _("Deterioration"),
}


@dataclass
class PlaceStatus:
    series: Series
    target: Target | None
    status: ProgressStatus

    @property
    def label(self) -> str:
        if not self.status.ok:
            return _("Cannot be judged")
        return STATUS_LABELS[str(self.status.status)]

    @property
    def explanation(self) -> str:
        """The verdict's explanation in the page's language (the analysis writes both)."""
        if not self.status.ok:
            return self.status.reason
        english = (get_language() or "sv").startswith("en")
        return self.status.explanation_en if english else self.status.explanation_sv


STATUS_MEMO: Memo[ProgressStatus] = Memo(maxsize=20_000)


def status_for(series: Series, target: Target | None, indicator: Indicator) -> ProgressStatus:
    """The Open SDG progress status of one place's annual series against its target (if any).

    Memoised on the values and every parameter (see ``analysis.memo``), so the indicator page's
    few hundred places are judged once per process until their data change."""
    annual = series.annual
    direction = indicator.desired_direction
    if target is None:
        key = (series_key(annual), direction, series.name)
        return STATUS_MEMO.get_or_compute(
            key, lambda: progress_status(annual, direction, name=series.name)
        )
    status_target = StatusTarget(year=target.target_year, value=target.target_value)
    base = Base(year=target.baseline_year, average_years=target.baseline_years_averaged)
    key = (series_key(annual), direction, series.name, status_target, base)
    return STATUS_MEMO.get_or_compute(
        key,
        lambda: progress_status(
            annual, direction, target=status_target, base=base, name=series.name
        ),
    )


def statuses(indicator: Indicator, series_list: list[Series]) -> list[PlaceStatus]:
    targets = {(t.geo_level, t.geo_code): t for t in indicator.targets.all()}
    return [
        PlaceStatus(
            series,
            targets.get((series.level, series.code)),
            status_for(series, targets.get((series.level, series.code)), indicator),
        )
        for series in series_list
    ]


def latest_by_municipality(series_list: list[Series]) -> tuple[str | None, dict[str, float]]:
    """The latest period that municipalities report, and each municipality's value then."""
    municipal = [s for s in series_list if s.level == GeographyLevel.MUNICIPALITY]
    periods = [p.period for s in municipal for p in s.points if p.value is not None]
    if not periods:
        return None, {}
    latest = max(periods)
    return latest, {
        s.code: p.value
        for s in municipal
        for p in s.points
        if p.period == latest and p.value is not None
    }


ALL_GROUPS = "all"


def commodity_list(*, group: str | None = None) -> QuerySet[Commodity]:
    """The price series with their first and last month: the metals (and any series of no known
    group) by default, every series for `ALL_GROUPS`, else those of one group."""
    commodities = Commodity.objects.annotate(first=Min("prices__month"), last=Max("prices__month"))
    if group is None:
        return commodities.filter(Q(group__in=METAL_GROUPS) | Q(group=""))
    if group == ALL_GROUPS:
        return commodities
    return commodities.filter(group=group)


def commodity_groups(commodities) -> list[tuple[str, str, list[Commodity]]]:
    """(group, its name, its series by name) in the source's order of groups, unknown ones last."""
    grouped: dict[str, list[Commodity]] = defaultdict(list)
    for commodity in commodities:
        grouped[commodity.group].append(commodity)
    order = {group: index for index, group in enumerate(GROUPS)}
    return [
        (
            group,
            members[0].group_display,
            sorted(members, key=lambda c: str(c.display_name).lower()),
        )
        for group, members in sorted(grouped.items(), key=lambda g: (order.get(g[0], 99), g[0]))
    ]


def commodity_get(code: str) -> Commodity:
    return get_object_or_404(Commodity, code=code)


def prices(commodity: Commodity, *, month_from: str | None = None, month_to: str | None = None):
    rows = PricePoint.objects.filter(commodity=commodity)
    if month_from:
        rows = rows.filter(month__gte=month_from)
    if month_to:
        rows = rows.filter(month__lte=month_to)
    return rows.order_by("month")


def import_jobs_for(user) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("indicator", "started_by")
    if user.is_superuser:
        return jobs
    return jobs.filter(started_by=user)


def linked_sections(indicator: Indicator) -> list:
    """The strategy directions and goals the indicator follows up, as sections of each strategy's
    adopted version (else its latest frozen version, else its working draft); one query."""
    from django.db.models import Exists, F, OuterRef

    from mineralstrategi.strategy.models import Section

    from .models import IndicatorLink

    links = IndicatorLink.objects.filter(
        indicator=indicator, strategy=OuterRef("version__strategy"), section_key=OuterRef("key")
    )
    sections = (
        Section.objects.filter(Exists(links))
        .select_related("version__strategy")
        .order_by("version__strategy_id", "key", F("version__number").desc(nulls_last=True))
    )
    chosen: dict = {}
    for section in sections:
        adopted = section.version.strategy.adopted_version_id
        current = chosen.get((section.version.strategy_id, section.key))
        if current is None or section.version_id == adopted:
            chosen[(section.version.strategy_id, section.key)] = section
    return list(chosen.values())

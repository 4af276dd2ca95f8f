"""Reads of indicators, observations, targets and prices, shaped for pages, downloads and the API."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mineralstrategi.analysis.calendar import CalendarYears, calendar_year_means
from mineralstrategi.analysis.memo import Memo, series_key
from mineralstrategi.analysis.status import Base, ProgressStatus, progress_status
from mineralstrategi.analysis.status import Target as StatusTarget
from mineralstrategi.collation import swedish_key
from mineralstrategi.ingest.dimensions import breakdown_from_key, breakdown_key
from mineralstrategi.organisations.models import County, Municipality, Organisation, Role
from mineralstrategi.strategy import selectors as strategy_selectors

from . import verdict_text
from .commodities import GROUPS, METAL_GROUPS
from .files import local_path
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


def place_name(level: str, code: str) -> str | None:
    """The name of one place of the organisations' geography, None when there is no such place
    (one query; "SE" is the nation)."""
    if level == GeographyLevel.NATION:
        return "Sverige" if code == "SE" else None
    model = {GeographyLevel.COUNTY: County, GeographyLevel.MUNICIPALITY: Municipality}.get(level)
    if model is None:
        return None
    return model.objects.filter(code=code).values_list("name", flat=True).first()


def place_choices(names: Mapping | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The places a target is set for, grouped by level, as (``level:code``, name) choices: the
    nation, every county and every municipality, each level in Swedish alphabetical order
    (`names` as `place_names` gives them, read when not given)."""
    names = place_names() if names is None else names
    groups = []
    for level, label in (
        (GeographyLevel.NATION, _("The nation")),
        (GeographyLevel.COUNTY, _("Counties")),
        (GeographyLevel.MUNICIPALITY, _("Municipalities")),
    ):
        places = [(f"{lvl}:{code}", name) for (lvl, code), name in names.items() if lvl == level]
        groups.append((label, sorted(places, key=lambda choice: swedish_key(choice[1]))))
    return groups


@dataclass
class TargetRow:
    target: Target
    place: str  # the place's name, or its code when the geography does not know it


def target_list(indicator: Indicator, names: Mapping | None = None) -> list[TargetRow]:
    """The indicator's targets with their places named, nation first, then counties and
    municipalities, each in Swedish alphabetical order (one query, and two for `names` when
    they are not given)."""
    names = place_names() if names is None else names
    order = {GeographyLevel.NATION: 0, GeographyLevel.COUNTY: 1, GeographyLevel.MUNICIPALITY: 2}
    rows = [
        TargetRow(t, names.get((t.geo_level, t.geo_code), t.geo_code))
        for t in Target.objects.filter(indicator=indicator)
    ]
    return sorted(rows, key=lambda r: (order.get(r.target.geo_level, 3), swedish_key(r.place)))


@dataclass
class Series:
    level: str
    code: str
    name: str
    points: list  # of Observation, or the rows of series_points()

    @cached_property
    def calendar(self) -> CalendarYears:
        """The values by calendar year: years as published, months and quarters averaged over
        complete years, with the incomplete years named (``analysis.calendar``)."""
        return calendar_year_means(((o.period, o.value) for o in self.points), name=self.name)

    @property
    def annual(self) -> dict[int, float]:
        return self.calendar.annual


def observations(
    indicator: Indicator,
    *,
    geo: list[str] | None = None,
    level: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    breakdown: str | None = None,
) -> QuerySet[Observation]:
    """The indicator's observations, of one series (its breakdown key) or of all (None)."""
    rows = Observation.objects.filter(indicator=indicator)
    if breakdown is not None:
        rows = rows.filter(breakdown=breakdown)
    if geo:
        rows = rows.filter(geo_code__in=geo)
    if level:
        rows = rows.filter(geo_level=level)
    if period_from:
        rows = rows.filter(period__gte=period_from)
    if period_to:
        rows = rows.filter(period__lte=period_to + "~")  # "2020~" sorts after "2020-12"
    return rows.order_by("geo_level", "geo_code", "breakdown", "period")


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


def series_by_place(indicator: Indicator, rows=None, breakdown: str | None = None) -> list[Series]:
    """One series of the indicator (its headline unless a breakdown key is given) as one series
    per place: nation first, then counties, then the rest."""
    names = place_names()
    grouped: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    if rows is None:
        chosen = indicator.headline_breakdown if breakdown is None else breakdown
        rows = series_points(observations(indicator, breakdown=chosen))
    for row in rows:
        grouped[(row.geo_level, row.geo_code)].append(row)
    order = {level: i for i, level in enumerate(GeographyLevel.values)}
    return [
        Series(level, code, names.get((level, code), code), points)
        for (level, code), points in sorted(
            grouped.items(), key=lambda item: (order[item[0][0]], item[0][1])
        )
    ]


TOTAL = "_T"  # the value of a selector that asks for a dimension's total (as SDMX writes it)


@dataclass
class Selector:
    """One disaggregation of an indicator as a choice on its page: its categories and the one
    chosen (TOTAL for the dimension's total)."""

    id: str
    label: str
    options: list[tuple[str, str]]  # (value, label)
    selected: str

    @property
    def parameter(self) -> str:
        return f"d.{self.id}"

    @property
    def selected_label(self) -> str:
        return dict(self.options).get(self.selected, self.selected)


@dataclass
class SeriesChoice:
    """The series of an indicator a page shows: the headline unless the page's query string
    (``d.<dimension>=<category>``) chooses another among its disaggregations."""

    selectors: list[Selector]
    key: str
    exists: bool
    headline: str

    @property
    def is_headline(self) -> bool:
        return self.key == self.headline

    @property
    def description(self) -> str:
        """The chosen categories as a reader names them: "Kön: kvinnor, Ålder: 20-29 år"."""
        return ", ".join(
            f"{s.label}: {s.selected_label}" for s in self.selectors if s.selected != TOTAL
        )

    @property
    def query(self) -> str:
        """The query string that chooses this series ('' for the headline)."""
        if self.is_headline:
            return ""
        return urlencode([(s.parameter, s.selected) for s in self.selectors])


def series_choice(indicator: Indicator, wanted: Mapping[str, str]) -> SeriesChoice:
    """The series chosen on the indicator's page ({dimension id: category id}, from its query
    string's `d.<dimension>=<category>`), checked against the indicator's series."""
    series = indicator.series_counts or {"": 0}
    headline = breakdown_from_key(indicator.headline_breakdown)
    keys = [breakdown_from_key(key) for key in series]
    selectors = []
    chosen: dict[str, str] = {}
    for dimension in indicator.disaggregations:
        options = [(c["id"], c["label"]) for c in dimension["categories"]]
        if any(dimension["id"] not in key for key in keys):
            total = dimension.get("total_label") or str(_("Total"))
            options.insert(0, (TOTAL, total[:1].upper() + total[1:]))
        category = wanted.get(dimension["id"]) or headline.get(dimension["id"], TOTAL)
        if category not in dict(options):
            category = headline.get(dimension["id"], TOTAL)
        label = dimension["label"] or dimension["id"]
        selectors.append(
            Selector(dimension["id"], label[:1].upper() + label[1:], options, category)
        )
        if category != TOTAL:
            chosen[dimension["id"]] = category
    key = breakdown_key(chosen)
    return SeriesChoice(selectors, key, key in series, indicator.headline_breakdown)


def breakdown_filter(
    indicator: Indicator, rows: QuerySet[Observation], filters: list[str]
) -> QuerySet[Observation]:
    """Observations whose breakdown matches every ``dimension=category`` filter (``dimension=_T``:
    at its total); a single empty filter asks for the headline figures ({}) only. Matched against
    the indicator's series (a few), so the database looks up exact keys."""
    if filters == [""]:
        return rows.filter(breakdown="")
    wanted = [text.partition("=")[::2] for text in filters]
    keys = [
        key
        for key in indicator.series_counts
        if all(
            breakdown_from_key(key).get(dimension, TOTAL) == category
            for dimension, category in wanted
        )
    ]
    return rows.filter(breakdown__in=keys)


# Open SDG's category names (docs/progress-methodology.md; see analysis.status).
STATUS_LABELS = {
    "achieved": _("Target achieved"),
    "on_track": _("On track"),
    "acceleration_needed": _("Progress made but acceleration needed"),
    "limited_progress": _("Limited progress"),
    "deterioration": _("Deterioration"),
}
UNABLE_TO_ASSESS = _("Unable to assess")


@dataclass
class PlaceStatus:
    series: Series
    target: Target | None
    status: ProgressStatus

    @property
    def label(self) -> str:
        if not self.status.ok:
            return UNABLE_TO_ASSESS
        return STATUS_LABELS[str(self.status.status)]

    @property
    def basis(self) -> str:
        """The calendar-year basis of the verdict and the years left out ('' for plain years)."""
        return verdict_text.basis_sentence(self.series.calendar)

    @property
    def explanation(self) -> str:
        """The verdict's explanation in the page's language (the analysis writes both)."""
        if not self.series.calendar.ok:
            return verdict_text.no_year_text(self.series.calendar)
        if not self.status.ok:
            return self.status.reason
        english = (get_language() or "sv").startswith("en")
        return self.status.explanation_en if english else self.status.explanation_sv


STATUS_MEMO: Memo[ProgressStatus] = Memo(maxsize=20_000)


def status_for(series: Series, target: Target | None, indicator: Indicator) -> ProgressStatus:
    """The Open SDG progress status of one place's calendar-year values against its target (if
    any); without a calendar year, the reason (e.g. only 4 of 12 months of 2026).

    Memoised on the values and every parameter (see ``analysis.memo``), so the indicator page's
    few hundred places are judged once per process until their data change."""
    annual = series.annual
    if not annual:
        return ProgressStatus.refused(series.calendar.reason)
    direction, unit = indicator.desired_direction, indicator.unit
    if target is None:
        key = (series_key(annual), direction, series.name, unit)
        return STATUS_MEMO.get_or_compute(
            key, lambda: progress_status(annual, direction, name=series.name, unit=unit)
        )
    status_target = StatusTarget(year=target.target_year, value=target.target_value)
    base = Base(year=target.baseline_year, average_years=target.baseline_years_averaged)
    key = (series_key(annual), direction, series.name, unit, status_target, base)
    return STATUS_MEMO.get_or_compute(
        key,
        lambda: progress_status(
            annual, direction, target=status_target, base=base, name=series.name, unit=unit
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


@dataclass
class MapValues:
    """The values a map shows: of one level of places, for one period of those that have any."""

    level: str | None
    period: str | None
    periods: list[str]
    values: dict[str, float]


def map_values(series_list: list[Series], period: str | None = None) -> MapValues:
    """The values of the municipalities if any report one, else of the counties, for the period
    asked for (the latest when it is not one of theirs)."""
    for level in (GeographyLevel.MUNICIPALITY, GeographyLevel.COUNTY):
        places = [s for s in series_list if s.level == level]
        periods = sorted({p.period for s in places for p in s.points if p.value is not None})
        if periods:
            chosen = period if period in periods else periods[-1]
            return MapValues(
                level,
                chosen,
                periods,
                {
                    s.code: p.value
                    for s in places
                    for p in s.points
                    if p.period == chosen and p.value is not None
                },
            )
    return MapValues(None, None, [], {})


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


def organisations_for_new_indicators(user) -> QuerySet[Organisation]:
    """The organisations the user may create indicators for (rule indicators.add_indicator_for)."""
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    return (
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role__in=[Role.ADMINISTRATOR, Role.STRATEGY_EDITOR],
        )
        .distinct()
        .order_by("name")
    )


def import_jobs_for(user) -> QuerySet[ImportJob]:
    return ImportJob.objects.visible_to(user).select_related("indicator", "started_by")


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


@dataclass
class LinkRow:
    link: object  # an IndicatorLink
    section: object | None  # the section it names (as `linked_sections` chooses), None if gone
    may_remove: bool


def strategies_edited_by(user) -> list:
    """The strategies whose draft `user` edits (see `strategy.selectors.strategies_edited_by`)."""
    return strategy_selectors.strategies_edited_by(user)


def indicator_link_rows(indicator: Indicator, edited: list) -> list[LinkRow]:
    """The indicator's links to strategy directions and goals, each with its section (for the
    title) and whether its strategy is one of `edited` (whose editor may remove it)."""
    from .models import IndicatorLink

    sections = {(s.version.strategy_id, s.key): s for s in linked_sections(indicator)}
    links = IndicatorLink.objects.filter(indicator=indicator).select_related("strategy")
    editable = {strategy.pk for strategy in edited}
    rows = [
        LinkRow(
            link, sections.get((link.strategy_id, link.section_key)), link.strategy_id in editable
        )
        for link in links
    ]
    return sorted(
        rows,
        key=lambda r: (swedish_key(r.link.strategy.title), getattr(r.section, "position", 0)),
    )


def link_section(link):
    """The section a link names (as `linked_sections` chooses it), None when it is gone."""
    for section in linked_sections(link.indicator):
        if section.version.strategy_id == link.strategy_id and section.key == link.section_key:
            return section
    return None


def linkable_sections(indicator: Indicator, edited: list) -> list[tuple[object, list]]:
    """The directions and goals the indicator may be linked to, grouped by strategy: those of
    the working drafts of the strategies `edited` (by the person asking), in reading order,
    without those linked already (three queries)."""
    from mineralstrategi.strategy.models import SectionKind, StrategyVersion

    from .models import IndicatorLink

    linked = set(
        IndicatorLink.objects.filter(indicator=indicator).values_list("strategy_id", "section_key")
    )
    strategies = {s.pk: s for s in edited}
    drafts = list(StrategyVersion.objects.drafts().filter(strategy__in=list(strategies)))
    for draft in drafts:
        draft.strategy = strategies[draft.strategy_id]
    trees = strategy_selectors.section_trees(drafts)
    groups = []
    for draft in sorted(drafts, key=lambda d: swedish_key(d.strategy.title)):
        sections = [
            section
            for section in strategy_selectors.flatten(trees[draft.pk])
            if section.kind in (SectionKind.DIRECTION, SectionKind.GOAL)
            and (draft.strategy_id, section.key) not in linked
        ]
        if sections:
            groups.append((draft.strategy, sections))
    return groups


PREVIEW_ROWS = 20
PREVIEW_SUMMARY_RECORDS = 200_000  # about two seconds of parsing


@dataclass
class ImportPreview:
    """What a file holds, read before anything is written: its first records as they will be
    read, its dimensions and contents summed up (over the whole file, or its first records when
    it is very large), and what a new indicator would take from it."""

    format: str
    records: list
    summary: dict
    complete: bool
    meta: dict
    faults: list
    metadata: dict[str, str] | None


def import_preview(job: ImportJob) -> ImportPreview:
    from itertools import islice

    from mineralstrategi import ingest
    from mineralstrategi.ingest.summary import SummaryCollector, content_metadata

    with local_path(job.stored_file.name) as path:  # FileNotFoundError when not kept
        stream = ingest.parse(path, job.format or None, display_name=job.file_name)
        collector = SummaryCollector()
        records = []
        for record in islice(stream, PREVIEW_SUMMARY_RECORDS):
            if len(records) < PREVIEW_ROWS:
                records.append(record)
            if isinstance(record, ingest.Observation):
                collector.add(record)
        complete = stream.finished or next(stream, None) is None
        summary = collector.finish(stream)
        metadata = None
        if job.new_indicator is not None and summary.contents:
            content = job.content or summary.contents[0].key
            metadata = content_metadata(stream, content, job.file_name)
    meta = {key: value for key, value in stream.meta.items() if key != "units"}
    return ImportPreview(
        stream.format, records, summary.as_dict(), complete, meta, stream.errors[:50], metadata
    )


def _export_points(indicator: Indicator):
    from mineralstrategi.ingest.writers import Point

    rows = observations(indicator).values_list(
        "geo_level", "geo_code", "breakdown", "period", "value", "provisional", "estimated"
    )
    for level, code, breakdown, period, value, provisional, estimated in rows.iterator():
        yield Point(
            level, code, breakdown_from_key(breakdown), period, value, provisional, estimated
        )


def indicator_jsonstat(indicator: Indicator) -> dict:
    """Every observation of the indicator as one JSON-stat 2.0 dataset (see ingest.writers)."""
    from mineralstrategi.ingest.writers import jsonstat_dataset

    updated = indicator.source_updated or indicator.updated_at
    return jsonstat_dataset(
        code=indicator.code,
        label=indicator.name,
        unit=indicator.unit,
        source=", ".join(filter(None, [indicator.source_organisation, indicator.source_table])),
        updated=updated.isoformat() if updated else "",
        note=indicator.definition,
        disaggregations=indicator.disaggregations,
        place_names=place_names(),
        points=_export_points(indicator),
    )


def indicator_opensdg(indicator: Indicator) -> tuple[list[str], Iterable[list]]:
    """Every observation of the indicator as an Open SDG data file (header, rows)."""
    from mineralstrategi.ingest.writers import opensdg_table

    return opensdg_table(
        unit=indicator.unit,
        disaggregations=indicator.disaggregations,
        points=_export_points(indicator),
    )


# --- On the pages of municipalities (organisations.profiles) -----------------------------------


def municipality_values(municipality, user) -> dict | None:
    """The latest value of each indicator measured in the municipality, in the series its page
    shows first (the total where there is one)."""
    latest: dict[int, Observation] = {}
    rows = (
        Observation.objects.filter(
            geo_level=GeographyLevel.MUNICIPALITY, geo_code=municipality.code, value__isnull=False
        )
        .select_related("indicator")
        .order_by("indicator_id", "period")
    )
    for row in rows:
        if row.breakdown == row.indicator.headline_breakdown:
            latest[row.indicator_id] = row
    values = sorted(latest.values(), key=lambda row: row.indicator.name)
    return {"values": values, "municipality": municipality} if values else None

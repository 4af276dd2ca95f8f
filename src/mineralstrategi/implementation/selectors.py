"""Reads of initiatives, action plans and the roll-up, each in a fixed number of queries whatever
the number of initiatives."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mineralstrategi.organisations.models import Municipality, Organisation
from mineralstrategi.strategy.models import Section, SectionKind, Strategy, StrategyVersion
from mineralstrategi.strategy.selectors import flatten, section_tree

from . import rollup
from .models import (
    ActionPlan,
    FundingKind,
    FundingSource,
    ImplementationSettings,
    Initiative,
    InitiativeSection,
    InitiativeStatus,
    Moderation,
    ModerationDecision,
    Weighting,
)

SERVABLE_KINDS = (SectionKind.DIRECTION, SectionKind.GOAL, SectionKind.ACTION)


# --- The strategy's sections, by stable key ------------------------------------------------------


def resolved_version(strategy: Strategy) -> StrategyVersion:
    """The version initiatives are read against: the adopted one, else the working draft.
    Kept on the strategy object (with its tree) until the adopted version changes."""
    cached = getattr(strategy, "_implementation_version", None)
    if cached is None or cached[0] != strategy.adopted_version_id:
        if strategy.adopted_version_id:
            version = StrategyVersion.objects.get(pk=strategy.adopted_version_id)
        else:
            version = StrategyVersion.objects.get(strategy=strategy, number__isnull=True)
        version.strategy = strategy
        cached = (strategy.adopted_version_id, version, None)
        strategy._implementation_version = cached
    return cached[1]


def strategy_section_tree(strategy: Strategy) -> list[Section]:
    """The resolved version's section tree (one query, kept on the strategy object)."""
    version = resolved_version(strategy)
    adopted_id, _version, tree = strategy._implementation_version
    if tree is None:
        tree = section_tree(version, with_links=False)
        strategy._implementation_version = (adopted_id, version, tree)
    return tree


def servable_sections(strategy: Strategy) -> list[Section]:
    """The directions, goals and actions an initiative can serve, in reading order."""
    return [s for s in flatten(strategy_section_tree(strategy)) if s.kind in SERVABLE_KINDS]


def sections_by_key(strategy: Strategy) -> dict[str, Section]:
    return {str(section.key): section for section in flatten(strategy_section_tree(strategy))}


def subtree_keys(section: Section) -> set[str]:
    keys = {str(section.key)}
    for child in section.subsections:
        keys |= subtree_keys(child)
    return keys


def directions(strategy: Strategy) -> list[Section]:
    return [s for s in servable_sections(strategy) if s.kind == SectionKind.DIRECTION]


def direction_get(strategy: Strategy, key) -> Section:
    for section in directions(strategy):
        if str(section.key) == str(key):
            return section
    raise Http404("No such direction in this strategy.")


def weighting_of(strategy: Strategy) -> str:
    found = ImplementationSettings.objects.filter(strategy=strategy).values_list(
        "weighting", flat=True
    )
    return next(iter(found), Weighting.BUDGET)


# --- Initiatives --------------------------------------------------------------------------------


def _with_relations(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives.select_related("lead_organisation", "strategy").prefetch_related(
        Prefetch(
            "partners", queryset=Organisation.objects.only("pk", "name", "slug", "helix_role")
        ),
        Prefetch("municipalities", queryset=Municipality.objects.only("pk", "code", "name")),
        "section_links",
        "funding",
    )


def attach_sections(strategy: Strategy, initiatives) -> list[Initiative]:
    """Give each initiative `.sections`: the sections it serves in the resolved version."""
    by_key = sections_by_key(strategy)
    initiatives = list(initiatives)
    for initiative in initiatives:
        initiative.sections = [
            by_key[str(link.section_key)]
            for link in initiative.section_links.all()
            if str(link.section_key) in by_key
        ]
        initiative.sections.sort(key=lambda s: [int(p) for p in s.outline.split(".") if p])
    return initiatives


@dataclass
class InitiativeFilter:
    section: str | None = None  # a section key: the section and everything under it
    organisation: str | None = None  # an organisation slug, as lead or partner
    municipality: str | None = None  # a municipality code
    status: str | None = None
    period: int | None = None  # a year: initiatives active that year
    action_plan: int | None = None
    approved_only: bool = False


def _is_section_key(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def initiative_list(strategy: Strategy, user, filters: InitiativeFilter | None = None):
    """Every initiative the user may see that passes the filters, with `.sections` attached."""
    return attach_sections(strategy, initiative_queryset(strategy, user, filters))


def initiative_queryset(
    strategy: Strategy, user, filters: InitiativeFilter | None = None
) -> QuerySet[Initiative]:
    """The same initiatives as a queryset in a stable order (latest start first), for a page of
    them: pass the page's rows to `attach_sections`."""
    filters = filters or InitiativeFilter()
    initiatives = Initiative.objects.filter(strategy=strategy).visible_to(user)
    if filters.approved_only:
        initiatives = initiatives.approved()
    if filters.section:
        if not _is_section_key(filters.section):
            return []  # no section has that key (and the key column would refuse it)
        section = sections_by_key(strategy).get(str(filters.section))
        keys = subtree_keys(section) if section is not None else {str(filters.section)}
        initiatives = initiatives.filter(
            pk__in=InitiativeSection.objects.filter(section_key__in=keys).values("initiative_id")
        )
    if filters.organisation:
        initiatives = initiatives.filter(
            Q(lead_organisation__slug=filters.organisation)
            | Q(
                pk__in=Initiative.partners.through.objects.filter(
                    organisation__slug=filters.organisation
                ).values("initiative_id")
            )
        )
    if filters.municipality:
        initiatives = initiatives.filter(
            pk__in=Initiative.municipalities.through.objects.filter(
                municipality__code=filters.municipality
            ).values("initiative_id")
        )
    if filters.status:
        initiatives = initiatives.filter(status=filters.status)
    if filters.period:
        initiatives = initiatives.active_in(filters.period)
    if filters.action_plan:
        initiatives = initiatives.filter(
            pk__in=Initiative.action_plans.through.objects.filter(
                actionplan_id=filters.action_plan
            ).values("initiative_id")
        )
    return _with_relations(initiatives).order_by("-start_date", "title", "pk")


def initiatives_across(strategies, user, filters: InitiativeFilter) -> QuerySet[Initiative]:
    """The initiatives of several strategies as one queryset (each strategy filtered as its own
    list is), by strategy, then latest start first: for a page of them across strategies."""
    strategies = list(strategies)
    if not strategies:
        return Initiative.objects.none()
    wanted = Q()
    for strategy in strategies:
        wanted |= Q(pk__in=initiative_queryset(strategy, user, filters).values("pk"))
    return (
        _with_relations(Initiative.objects.filter(wanted))
        .select_related("strategy__adopted_version")
        .order_by("strategy_id", "-start_date", "title", "pk")
    )


def attach_sections_across(initiatives: list[Initiative]) -> list[Initiative]:
    """`attach_sections` for initiatives of several strategies (one strategy's sections read
    once), keeping their order."""
    by_strategy: dict[int, list[Initiative]] = {}
    for initiative in initiatives:
        by_strategy.setdefault(initiative.strategy_id, []).append(initiative)
    for group in by_strategy.values():
        attach_sections(group[0].strategy, group)
    return initiatives


def initiative_get(strategy: Strategy, pk: int, user) -> Initiative:
    initiative = get_object_or_404(
        _with_relations(Initiative.objects.filter(strategy=strategy)).prefetch_related(
            "milestones", "action_plans"
        ),
        pk=pk,
    )
    if not user.has_perm("implementation.view_initiative", initiative):
        raise Http404("No such initiative.")
    initiative.strategy = strategy
    attach_sections(strategy, [initiative])
    initiative.update_list = list(initiative.updates.select_related("author"))
    return initiative


def initiatives_by_section_key(strategy: Strategy, *, year: int | None = None) -> dict:
    """{section key (UUID): [approved initiatives serving it directly, active in `year`]}, for the
    follow-up report (`reports.followup`). Two queries; the initiatives carry only what a link to
    them needs (title and address), since a national strategy has thousands."""
    initiatives = Initiative.objects.filter(strategy=strategy).approved()
    if year is not None:
        initiatives = initiatives.active_in(year)
    by_pk = {}
    for initiative in initiatives.only("pk", "title", "strategy_id").order_by("title"):
        initiative.strategy = strategy
        by_pk[initiative.pk] = initiative
    links = (
        InitiativeSection.objects.filter(initiative_id__in=list(by_pk))
        .order_by("initiative__title")
        .values_list("section_key", "initiative_id")
    )
    result: dict = {}
    for section_key, initiative_id in links:
        result.setdefault(section_key, []).append(by_pk[initiative_id])
    return result


def _with_decisions(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives.select_related("lead_organisation", "created_by").prefetch_related(
        Prefetch(
            "moderation_decisions",
            queryset=ModerationDecision.objects.select_related("decided_by").order_by(
                "-decided_at", "-pk"
            ),
        )
    )


def initiatives_awaiting_approval(strategy: Strategy) -> QuerySet[Initiative]:
    """The initiatives a strategy editor has to decide on, the longest waiting first."""
    return (
        Initiative.objects.filter(
            strategy=strategy,
            approved_at__isnull=True,
            moderation__in=[Moderation.PENDING, Moderation.APPROVED],
        )
        .select_related("lead_organisation")
        .order_by("created_at", "pk")
    )


def moderation_queue(strategy: Strategy) -> QuerySet[Initiative]:
    """The initiatives awaiting approval, each with who registered it and its moderation history
    (`moderation_decisions`, newest first), in a fixed number of queries."""
    return _with_decisions(initiatives_awaiting_approval(strategy))


def initiatives_returned(strategy: Strategy) -> QuerySet[Initiative]:
    """The initiatives returned for changes, waiting for their organisation, the oldest first."""
    return _with_decisions(
        Initiative.objects.filter(
            strategy=strategy, approved_at__isnull=True, moderation=Moderation.RETURNED
        )
    ).order_by("created_at", "pk")


def moderation_history(initiative: Initiative) -> list[ModerationDecision]:
    """The initiative's moderation decisions, newest first (for those who may read them:
    `implementation.view_moderation`)."""
    return list(
        initiative.moderation_decisions.select_related("decided_by").order_by("-decided_at", "-pk")
    )


def approved_active_between(strategy: Strategy, first_year: int, last_year: int):
    return (
        Initiative.objects.filter(strategy=strategy)
        .approved()
        .filter(start_date__year__lte=last_year, end_date__year__gte=first_year)
    )


def action_plan_list(strategy_slug: str | None = None) -> QuerySet[ActionPlan]:
    plans = ActionPlan.objects.select_related("strategy").annotate(
        initiative_count=Count("initiatives", distinct=True)
    )
    if strategy_slug:
        plans = plans.filter(strategy__slug=strategy_slug)
    return plans


def action_plans(strategy: Strategy) -> QuerySet[ActionPlan]:
    return action_plan_list().filter(strategy=strategy)


# --- Roll-up ------------------------------------------------------------------------------------


@dataclass
class RollupRow:
    section: Section
    result: rollup.NodeResult

    @property
    def percent(self) -> int | None:
        return None if self.result.progress is None else round(self.result.progress)


@dataclass
class Totals:
    label: str
    count: int
    budget: Decimal
    code: str = ""


@dataclass
class Rollup:
    strategy: Strategy
    weighting: str
    rows: list[RollupRow]
    overall: float | None
    initiative_count: int
    budget: Decimal
    by_direction: list[Totals] = field(default_factory=list)
    by_funding: list[Totals] = field(default_factory=list)
    by_municipality: list[Totals] = field(default_factory=list)
    by_status: list[Totals] = field(default_factory=list)
    reporting: "Reporting | None" = None

    @property
    def overall_percent(self) -> int | None:
        return None if self.overall is None else round(self.overall)


@dataclass
class Reporting:
    """What the roll-up's figures rest on: the approved initiatives' own reports."""

    as_of: datetime.date | None  # the latest progress report or change to an initiative
    first_year: int | None  # the initiatives run from first_year to last_year
    last_year: int | None
    example_count: int  # how many of the initiatives are invented example data
    initiative_count: int

    @property
    def all_examples(self) -> bool:
        return self.initiative_count > 0 and self.example_count == self.initiative_count


def initiatives_reporting(initiatives: QuerySet[Initiative]) -> Reporting:
    """The date, period and example-data share of the given initiatives (one query)."""
    facts = initiatives.aggregate(
        changed=Max("updated_at"),
        reported=Max("updates__date"),
        first=Min("start_date"),
        last=Max("end_date"),
        count=Count("pk", distinct=True),
        examples=Count("pk", filter=Q(is_example=True), distinct=True),
    )
    dates = [d for d in (facts["reported"], facts["changed"]) if d is not None]
    dates = [timezone.localdate(d) if isinstance(d, datetime.datetime) else d for d in dates]
    return Reporting(
        as_of=max(dates, default=None),
        first_year=facts["first"].year if facts["first"] else None,
        last_year=facts["last"].year if facts["last"] else None,
        example_count=facts["examples"],
        initiative_count=facts["count"],
    )


def _nodes(sections: list[Section]) -> list[rollup.Node]:
    return [rollup.Node(str(s.key), _nodes(s.subsections)) for s in sections]


def initiative_figures(strategy: Strategy) -> list[rollup.InitiativeFigures]:
    """The approved initiatives of the strategy as plain figures (two queries)."""
    keys: dict[int, set[str]] = defaultdict(set)
    for initiative_id, key in InitiativeSection.objects.filter(
        initiative__strategy=strategy, initiative__approved_at__isnull=False
    ).values_list("initiative_id", "section_key"):
        keys[initiative_id].add(str(key))
    return [
        rollup.InitiativeFigures(
            id=pk,
            progress=progress,
            budget=budget,
            status=status,
            section_keys=frozenset(keys.get(pk, ())),
        )
        for pk, progress, budget, status in Initiative.objects.filter(strategy=strategy)
        .approved()
        .values_list("pk", "progress", "budget", "status")
    ]


def strategy_rollup(strategy: Strategy) -> Rollup:
    tree = strategy_section_tree(strategy)
    weighting = weighting_of(strategy)
    figures = initiative_figures(strategy)
    results = rollup.flatten(rollup.roll_up(_nodes(tree), figures, weighting))
    rows = [
        RollupRow(section, results[str(section.key)])
        for section in flatten(tree)
        if section.kind in SERVABLE_KINDS
    ]
    municipality_names = {}
    groups: dict[int, list[str]] = defaultdict(list)
    for initiative_id, code, name in Initiative.municipalities.through.objects.filter(
        initiative__strategy=strategy, initiative__approved_at__isnull=False
    ).values_list("initiative_id", "municipality__code", "municipality__name"):
        groups[initiative_id].append(code)
        municipality_names[code] = name
    by_municipality = [
        Totals(municipality_names[code], count, money, code)
        for code, (count, money) in sorted(
            rollup.totals_by(figures, groups).items(), key=lambda item: -item[1][1]
        )
    ]
    funding_labels = dict(FundingKind.choices)
    by_funding = [
        Totals(
            str(funding_labels.get(row["kind"], row["kind"])), row["n"], row["total"], row["kind"]
        )
        for row in FundingSource.objects.filter(
            initiative__strategy=strategy, initiative__approved_at__isnull=False
        )
        .values("kind")
        .annotate(n=Count("initiative", distinct=True), total=Sum("amount"))
        .order_by("-total")
    ]
    status_labels = dict(InitiativeStatus.choices)
    status_counts: dict[str, list] = {}
    for figure in figures:
        entry = status_counts.setdefault(figure.status, [0, Decimal(0)])
        entry[0] += 1
        entry[1] += figure.budget
    return Rollup(
        strategy=strategy,
        weighting=weighting,
        rows=rows,
        overall=rollup.weighted_progress(figures, weighting),
        initiative_count=len(figures),
        budget=sum((f.budget for f in figures), Decimal(0)),
        by_direction=[
            Totals(
                f"{row.section.outline} {row.section.title}", row.result.count, row.result.budget
            )
            for row in rows
            if row.section.kind == SectionKind.DIRECTION
        ],
        by_funding=by_funding,
        by_municipality=by_municipality,
        by_status=[
            Totals(str(status_labels[status]), count, money, status)
            for status, (count, money) in status_counts.items()
        ],
        reporting=initiatives_reporting(Initiative.objects.filter(strategy=strategy).approved()),
    )


# --- How to contribute --------------------------------------------------------------------------


@dataclass
class DirectionPage:
    direction: Section
    under_way: list[Initiative]
    partners_wanted: list[Initiative]
    completed_count: int


def direction_page(strategy: Strategy, key) -> DirectionPage:
    direction = direction_get(strategy, key)
    initiatives = initiative_list(
        strategy,
        AnonymousUser(),
        InitiativeFilter(section=str(direction.key), approved_only=True),
    )
    open_statuses = {InitiativeStatus.PLANNED, InitiativeStatus.ONGOING}
    under_way = [i for i in initiatives if i.status in open_statuses]
    return DirectionPage(
        direction=direction,
        under_way=under_way,
        partners_wanted=[i for i in under_way if i.partners_wanted],
        completed_count=sum(1 for i in initiatives if i.status == InitiativeStatus.COMPLETED),
    )


def directions_overview(strategy: Strategy) -> tuple[list[RollupRow], Reporting | None]:
    """The directions' rows of the roll-up, and what its figures rest on."""
    results = strategy_rollup(strategy)
    directions = [row for row in results.rows if row.section.kind == SectionKind.DIRECTION]
    return directions, results.reporting


def participating_organisations(strategy: Strategy) -> QuerySet[Organisation]:
    """Organisations that lead or partner in an approved initiative of the strategy."""
    approved = Initiative.objects.filter(strategy=strategy).approved()
    return (
        Organisation.objects.filter(
            Q(led_initiatives__in=approved) | Q(partner_initiatives__in=approved)
        )
        .distinct()
        .order_by("name")
        .only("pk", "name", "slug")
    )


def organisations_for_user(user) -> list[Organisation]:
    """The organisations the user may register initiatives for (contributor or higher)."""
    if not user.is_authenticated:
        return []
    from .rules import CONTRIBUTOR_OR_HIGHER

    if user.is_superuser:
        return list(Organisation.objects.order_by("name"))
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=CONTRIBUTOR_OR_HIGHER
        )
        .distinct()
        .order_by("name")
    )


def strategy_for_implementation(slug: str) -> Strategy:
    return get_object_or_404(
        Strategy.objects.select_related("adopted_version").prefetch_related("partnership"),
        slug=slug,
    )


# --- On the pages of organisations and municipalities (organisations.profiles) -----------------

PROFILE_LIMIT = 25


def _initiative_rows(initiatives, user) -> list[Initiative]:
    return list(
        initiatives.visible_to(user)
        .select_related("strategy", "lead_organisation")
        .order_by("-start_date", "title")
        .distinct()[:PROFILE_LIMIT]
    )


def organisation_initiatives(organisation: Organisation, user) -> dict | None:
    """The initiatives it leads or takes part in, and the organisations it works with in them."""
    initiatives = _initiative_rows(
        Initiative.objects.filter(Q(lead_organisation=organisation) | Q(partners=organisation)),
        user,
    )
    if not initiatives:
        return None
    ids = [initiative.pk for initiative in initiatives]
    collaborators = (
        Organisation.objects.filter(Q(led_initiatives__in=ids) | Q(partner_initiatives__in=ids))
        .exclude(pk=organisation.pk)
        .order_by("name")
        .distinct()
    )
    return {
        "initiatives": initiatives,
        "organisation": organisation,
        "collaborators": list(collaborators),
    }


def municipality_initiatives(municipality: Municipality, user) -> dict | None:
    """The initiatives that take place in the municipality."""
    initiatives = _initiative_rows(Initiative.objects.filter(municipalities=municipality), user)
    return {"initiatives": initiatives} if initiatives else None

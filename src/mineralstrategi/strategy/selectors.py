"""Reads of strategies, versions, section trees, diffs, frameworks and the traceability matrix.

Every page's data comes from here in a fixed number of queries, whatever the size of the strategy.
"""

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from mineralstrategi.markup import markdown_as_text
from mineralstrategi.organisations.models import Membership, Organisation, Role

from .diff import SectionSnapshot, VersionDiff, diff_versions
from .models import (
    Framework,
    FrameworkItem,
    Section,
    SectionComment,
    SectionKind,
    SectionLink,
    Strategy,
    StrategyStatus,
    StrategyVersion,
)
from .rules import FRAMEWORK_ROLES, SETUP_ROLES

NUMBERED_KINDS = {SectionKind.DIRECTION, SectionKind.GOAL, SectionKind.ACTION}


def strategy_list() -> QuerySet[Strategy]:
    return Strategy.objects.select_related("adopted_version", "lead").prefetch_related(
        "partnership", "counties"
    )


def current_strategies() -> QuerySet[Strategy]:
    """The strategies the site is about: every one not archived, with its counties."""
    return Strategy.objects.exclude(status=StrategyStatus.ARCHIVED).prefetch_related("counties")


def covered_county_codes() -> QuerySet:
    """The codes of the counties the current strategies cover (a subquery)."""
    return (
        Strategy.counties.through.objects.filter(
            strategy__in=Strategy.objects.exclude(status=StrategyStatus.ARCHIVED)
        )
        .values("county__code")
        .distinct()
    )


def setup_organisations(user) -> QuerySet[Organisation]:
    """The organisations `user` may set up a strategy for: every one for a superuser, else those
    where they are an administrator or a strategy editor."""
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    return (
        Organisation.objects.filter(memberships__user=user, memberships__role__in=SETUP_ROLES)
        .distinct()
        .order_by("name")
    )


def strategies_edited_by(user) -> list[Strategy]:
    """The current strategies whose working draft `user` may edit (`strategy.edit_draft`), by
    title: every one for a superuser, else those of a partnership where they are a strategy
    editor (two queries)."""
    if not user.is_authenticated:
        return []
    strategies = Strategy.objects.exclude(status=StrategyStatus.ARCHIVED)
    if not user.is_superuser:
        strategies = strategies.filter(
            partnership__memberships__user=user,
            partnership__memberships__role=Role.STRATEGY_EDITOR,
        ).distinct()
    return [
        strategy
        for strategy in strategies.prefetch_related("partnership").order_by("title")
        if user.has_perm("strategy.edit_draft", strategy)
    ]


def strategy_get(**lookup) -> Strategy:
    """One strategy with its partnership, counties and versions (for pages and permissions)."""
    return get_object_or_404(
        Strategy.objects.select_related("adopted_version", "lead").prefetch_related(
            "partnership",
            "counties",
            Prefetch(
                "versions",
                queryset=StrategyVersion.objects.select_related(
                    "frozen_by",
                    "adoption__organisation",
                    "adoption__superseded_by__version",
                    "adoption__recorded_by",
                ),
                to_attr="all_versions",
            ),
        ),
        **lookup,
    )


def strategy_frozen_versions(strategy: Strategy) -> list[StrategyVersion]:
    return [version for version in strategy.all_versions if version.is_frozen]


def strategy_versions(strategy: Strategy, user) -> list[StrategyVersion]:
    """The versions the user may read (the frozen ones, and the working draft for the
    partnership), frozen first by number; from the strategy's prefetch, without a query."""
    return [
        version
        for version in strategy.all_versions
        if StrategyVersion.visibility.allows(user, version)
    ]


def strategy_working_draft(strategy: Strategy) -> StrategyVersion:
    for version in strategy.all_versions:
        if not version.is_frozen:
            version.strategy = strategy
            return version
    raise Http404(_("The strategy has no working draft."))


def strategy_version(strategy: Strategy, number: int) -> StrategyVersion:
    for version in strategy.all_versions:
        if version.number == number:
            version.strategy = strategy
            return version
    raise Http404(_("The strategy has no version %(number)s.") % {"number": number})


def strategy_public_version(strategy: Strategy) -> StrategyVersion | None:
    """The version shown to everyone: the adopted one, else the latest frozen one."""
    if strategy.adopted_version_id:
        return strategy_version(strategy, strategy.adopted_version.number)
    frozen = strategy_frozen_versions(strategy)
    if not frozen:
        return None
    frozen[-1].strategy = strategy
    return frozen[-1]


def section_get(version: StrategyVersion, key) -> Section:
    section = get_object_or_404(
        Section.objects.select_related("version__strategy", "updated_by", "parent"),
        version=version,
        key=key,
    )
    section.version = version
    return section


# --- The section tree ---------------------------------------------------------------------------


def _sections(version: StrategyVersion, *, with_links: bool, with_comments: bool) -> list[Section]:
    sections = version.sections.select_related("updated_by").order_by("position", "pk")
    if with_links:
        sections = sections.prefetch_related(
            Prefetch(
                "links",
                queryset=SectionLink.objects.select_related("item__framework"),
            )
        )
    if with_comments:
        sections = sections.annotate(comment_count=Count("comments"))
    return list(sections)


def section_tree(
    version: StrategyVersion, *, with_links: bool = True, with_comments: bool = False
) -> list[Section]:
    """The version's root sections, each with `.subsections`, `.depth` and `.outline` (“2.1.3”
    for directions, goals and actions), in one or two queries."""
    sections = _sections(version, with_links=with_links, with_comments=with_comments)
    return _tree(version, sections)


def section_trees(versions: Collection[StrategyVersion]) -> dict[int, list[Section]]:
    """Each version's tree (as `section_tree` gives it, without links), by the version's id, in
    one query for them all."""
    by_version: dict[int, list[Section]] = {version.pk: [] for version in versions}
    for section in Section.objects.filter(version__in=list(versions)).order_by("position", "pk"):
        by_version[section.version_id].append(section)
    return {version.pk: _tree(version, by_version[version.pk]) for version in versions}


def _tree(version: StrategyVersion, sections: list[Section]) -> list[Section]:
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        section.version = version
        children.setdefault(section.parent_id, []).append(section)

    def attach(parent_id: int | None, depth: int, prefix: str) -> list[Section]:
        counter = 0
        level = children.get(parent_id, [])
        for section in level:
            section.depth = depth
            if section.kind in NUMBERED_KINDS:
                counter += 1
                section.outline = f"{prefix}{counter}"
                child_prefix = f"{section.outline}."
            else:
                section.outline = ""
                child_prefix = prefix
            section.subsections = attach(section.pk, depth + 1, child_prefix)
        return level

    return attach(None, 1, "")


def flatten(tree: list[Section]) -> list[Section]:
    """The tree in reading order (depth first)."""
    flat: list[Section] = []
    for section in tree:
        flat.append(section)
        flat.extend(flatten(section.subsections))
    return flat


def section_comments(section: Section, user) -> QuerySet[SectionComment]:
    return section.comments.visible_to(user).select_related("author")


def section_history(section: Section, limit: int = 20):
    """The section's recorded changes, newest first, each with the text before it."""
    records = list(
        section.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    for newer, older in zip(records, records[1:] + [None], strict=True):
        newer.previous = older
    return records[:limit]


# --- Where draft changes came from ----------------------------------------------------------------


@dataclass(frozen=True)
class ChangeSource:
    """A change to a working-draft section that came from outside the editor's own writing (a
    consultee's proposed wording carried into the draft), told by an app above this one: the
    strategy app does not know them; they register a reader in `CHANGE_SOURCE_READERS`."""

    section_key: str
    revision: int  # the draft section's revision the change made
    applied_at: datetime.datetime
    label: str  # e.g. "Proposed wording in RV 2025/12-03 (Kiruna kommun)"
    url: str


ChangeSourceReader = Callable[[Strategy, Collection[str]], list[ChangeSource]]
CHANGE_SOURCE_READERS: list[ChangeSourceReader] = []


def change_sources(strategy: Strategy, keys: Collection[str]) -> list[ChangeSource]:
    """The told sources of changes to the strategy's draft sections with these keys."""
    keys = [str(key) for key in keys]
    found = [source for reader in CHANGE_SOURCE_READERS for source in reader(strategy, keys)]
    return sorted(found, key=lambda source: (source.applied_at, source.revision))


def sources_between(
    strategy: Strategy, old: StrategyVersion, new: StrategyVersion, keys: Collection[str]
) -> dict[str, list[ChangeSource]]:
    """By section key, the told sources of changes made after `old` was frozen and before `new`
    was (or until now, for the working draft): what the comparison of the two shows beside each
    changed section."""
    since = old.frozen_at
    until = new.frozen_at
    if since is None or (until is not None and since >= until):
        return {}
    by_key: dict[str, list[ChangeSource]] = {}
    for source in change_sources(strategy, keys):
        if since < source.applied_at and (until is None or source.applied_at <= until):
            by_key.setdefault(source.section_key, []).append(source)
    return by_key


# --- Diff ---------------------------------------------------------------------------------------


def version_snapshots(version: StrategyVersion) -> list[SectionSnapshot]:
    flat = flatten(section_tree(version))
    keys = {section.pk: str(section.key) for section in flat}
    return [
        SectionSnapshot(
            key=str(section.key),
            title=section.title,
            body=markdown_as_text(section.body_markdown),
            kind=section.kind,
            dimension=section.dimension,
            parent_key=keys.get(section.parent_id),
            position=section.position,
            outline=section.outline,
            links=frozenset(
                f"{link.item.framework.name} {link.item.code}" for link in section.links.all()
            ),
        )
        for section in flat
    ]


def version_diff(old: StrategyVersion, new: StrategyVersion) -> VersionDiff:
    return diff_versions(version_snapshots(old), version_snapshots(new))


# --- Frameworks and traceability ----------------------------------------------------------------


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.select_related("owner").annotate(item_count=Count("items"))


def framework_get(code: str) -> Framework:
    return get_object_or_404(Framework.objects.select_related("owner"), code=code)


def framework_owner_choices(user) -> QuerySet[Organisation]:
    """The organisations `user` may add a framework for: every one for a superuser, else those
    whose strategies they edit."""
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    return (
        Organisation.objects.filter(memberships__user=user, memberships__role__in=FRAMEWORK_ROLES)
        .distinct()
        .order_by("name")
    )


def framework_items_to_edit(framework: Framework) -> list[FrameworkItem]:
    """The framework's items in reading order, each with `depth` (1 at the top) and its `indent`
    ("— " a level below the top), `link_count` (the sections linking to it, in any version) and
    `child_count`."""
    items = list(
        framework.items.annotate(
            link_count=Count("section_links", distinct=True),
            child_count=Count("children", distinct=True),
        ).order_by("position", "pk")
    )
    parents = {item.pk: item.parent_id for item in items}
    for item in items:
        depth, parent = 1, item.parent_id
        while parent is not None and depth <= len(items):
            depth, parent = depth + 1, parents.get(parent)
        item.depth = depth
        item.indent = "— " * (depth - 1)
    return items


def framework_item_choices(items: list[FrameworkItem], *, leave_out=None) -> list[tuple[int, str]]:
    """The items to place an item under: not `leave_out` itself, nor the items under it."""
    parents = {item.pk: item.parent_id for item in items}

    def under_left_out(pk) -> bool:
        seen = 0
        while pk is not None and seen <= len(parents):
            if pk == leave_out.pk:
                return True
            pk, seen = parents.get(pk), seen + 1
        return False

    return [
        (item.pk, f"{getattr(item, 'indent', '')}{item.code} {item.title_sv}")
        for item in items
        if leave_out is None or not under_left_out(item.pk)
    ]


@dataclass
class LinkedSection:
    """A section linking to a framework item, in the version of its strategy the reader sees."""

    section: Section
    strategy: Strategy
    version: StrategyVersion

    @property
    def url(self) -> str:
        if self.version.is_frozen:
            path = reverse(
                "strategy:version",
                kwargs={"slug": self.strategy.slug, "number": self.version.number},
            )
        else:
            path = reverse("strategy:draft", kwargs={"slug": self.strategy.slug})
        return f"{path}#{self.section.anchor}"


def framework_linked_sections(framework: Framework, user) -> dict[int, list[LinkedSection]]:
    """For each item of the framework, the sections that link to it: of each strategy, in its
    working draft for those who read it (its partnership), else in the version shown to everyone
    (the adopted one, else the latest frozen). In four queries, whatever the number of
    strategies."""
    strategies = list(
        Strategy.objects.filter(versions__sections__links__item__framework=framework)
        .distinct()
        .prefetch_related(
            "partnership",
            Prefetch(
                "versions",
                queryset=StrategyVersion.objects.only("pk", "number", "strategy_id"),
                to_attr="version_numbers",
            ),
        )
        .order_by("title")
    )
    shown: dict[int, tuple[Strategy, StrategyVersion]] = {}
    for strategy in strategies:
        drafts = [v for v in strategy.version_numbers if v.number is None]
        frozen = sorted(
            (v for v in strategy.version_numbers if v.number is not None), key=lambda v: v.number
        )
        adopted = [v for v in frozen if v.pk == strategy.adopted_version_id]
        if drafts and user.has_perm("strategy.view_draft", strategy):
            version = drafts[0]
        elif adopted or frozen:
            version = (adopted or frozen)[-1]
        else:
            continue
        shown[version.pk] = (strategy, version)
    found: dict[int, list[LinkedSection]] = {}
    links = (
        SectionLink.objects.filter(item__framework=framework, section__version_id__in=shown)
        .select_related("section")
        .order_by("section__version__strategy__title", "section__position", "section__pk")
    )
    for link in links:
        strategy, version = shown[link.section.version_id]
        found.setdefault(link.item_id, []).append(LinkedSection(link.section, strategy, version))
    return found


def framework_items(framework: Framework, version: StrategyVersion | None = None):
    """The framework's items; with a version, each item has `.linked_sections` of that version."""
    items = framework.items.select_related("parent").order_by("position")
    if version is not None:
        items = items.prefetch_related(
            Prefetch(
                "section_links",
                queryset=SectionLink.objects.filter(section__version=version).select_related(
                    "section"
                ),
                to_attr="version_links",
            )
        )
    items = list(items)
    for item in items:
        item.linked_sections = [link.section for link in getattr(item, "version_links", [])]
    return items


def link_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every framework item as grouped choices for a select element."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for item in FrameworkItem.objects.select_related("framework").order_by(
        "framework__position", "framework__name", "position"
    ):
        groups.setdefault(item.framework_id, (item.framework.name, []))[1].append(
            (item.pk, f"{item.code} {item.title_sv}")
        )
    return list(groups.values())


@dataclass
class TraceabilityMatrix:
    version: StrategyVersion
    sections: list[Section]
    items: list[FrameworkItem]
    cells: set[tuple[int, int]] = field(default_factory=set)

    def linked(self, section: Section, item: FrameworkItem) -> bool:
        return (section.pk, item.pk) in self.cells

    def rows_by_section(self):
        """(section, [item-is-linked for each item column]) in reading order."""
        return [
            (section, [(item, (section.pk, item.pk) in self.cells) for item in self.items])
            for section in self.sections
        ]

    def rows_by_item(self):
        """(item, [section-is-linked for each section column]): the matrix read the other way."""
        return [
            (item, [(section, (section.pk, item.pk) in self.cells) for section in self.sections])
            for item in self.items
        ]


def traceability_matrix(version: StrategyVersion, *, framework: Framework | None = None):
    """Sections × the framework items any section links to (or every item of one framework)."""
    sections = flatten(section_tree(version, with_links=False))
    links = SectionLink.objects.filter(section__version=version)
    if framework is not None:
        links = links.filter(item__framework=framework)
    cells = set(links.values_list("section_id", "item_id"))
    item_filter = Q(pk__in={item_id for _, item_id in cells})
    if framework is not None:
        item_filter |= Q(framework=framework)
    items = list(
        FrameworkItem.objects.filter(item_filter)
        .select_related("framework")
        .order_by("framework__position", "position")
    )
    return TraceabilityMatrix(version=version, sections=sections, items=items, cells=cells)


# --- On the pages of organisations (organisations.profiles) ------------------------------------


def organisation_strategies(organisation, user) -> dict | None:
    """The strategies whose partnership it belongs to."""
    strategies = list(strategy_list().filter(partnership=organisation))
    return {"strategies": strategies} if strategies else None


def partnership_member_ids(strategy: Strategy, roles=None) -> list[int]:
    """The ids of the active members of the strategy's partner organisations (holding one of
    `roles`, if given): whom the partnership's notifications are for."""
    members = Membership.objects.filter(
        organisation__in=strategy.partnership.all(), user__is_active=True
    )
    if roles is not None:
        members = members.filter(role__in=roles)
    return sorted(set(members.values_list("user_id", flat=True)))

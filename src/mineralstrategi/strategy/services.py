"""Writes to strategies: drafting with optimistic locking, comments, links, freezing, adoption,
loading the reference frameworks from the data files, and keeping frameworks in the pages.

Each service checks the user's permission on the object and that the version is the working draft,
owns its transaction, and records its change in the history (django-simple-history), so that views,
the API, the admin and the command line all obey the same rules.
"""

import csv
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mineralstrategi.notifications import kinds
from mineralstrategi.notifications import services as notifications
from mineralstrategi.organisations.models import County, Organisation
from mineralstrategi.services import acting_user, require, rows_written, with_history_user

from .models import (
    FROZEN,
    Adoption,
    Dimension,
    Framework,
    FrameworkItem,
    FrameworkKind,
    FrozenVersionError,
    Section,
    SectionComment,
    SectionKind,
    SectionLink,
    Strategy,
    StrategyStatus,
    StrategyVersion,
)
from .outlines import Heading, OutlineError, outline_of

DATA_DIR = Path(__file__).resolve().parent / "data"
# Saves of one section by one editor within this long are one notification to its followers.
SECTION_EDITS_COALESCE = datetime.timedelta(minutes=15)


class EditConflict(Exception):
    """Someone else saved the section after the editor loaded it. Carries their current text."""

    def __init__(self, current: Section):
        self.current = current
        super().__init__(
            _("“%(title)s” was changed by someone else while you were editing it.")
            % {"title": current.title}
        )


def _require_draft(version: StrategyVersion) -> None:
    if version.is_frozen:
        raise FrozenVersionError(version)


# --- Strategy -----------------------------------------------------------------------------------


#: Paths under /strategi/ that are pages, not strategies: never a strategy's slug.
RESERVED_SLUGS = frozenset({"ny"})
YEARS = (1900, 2200)
OUTLINE_MAX_BYTES = 5 * 1024 * 1024


class StartFrom(models.TextChoices):
    EMPTY = "empty", gettext_lazy("Empty: I write the sections myself")
    COPY = "copy", gettext_lazy("A copy of another strategy's sections")
    OUTLINE = "outline", gettext_lazy("An imported outline (Markdown or Word headings)")


OUTLINE_ERRORS = {
    "no headings": gettext_lazy(
        "The outline has no headings. Mark sections with #, ## and ### in Markdown, or with the "
        "styles Heading 1, 2 and 3 in Word."
    ),
    "too many headings": gettext_lazy("The outline has more than 500 headings."),
    "not a docx": gettext_lazy("The file is not a Word document (.docx) that can be read."),
    "not text": gettext_lazy("The file is neither a Word document (.docx) nor a UTF-8 text file."),
    "too large": gettext_lazy("The file is too large."),
}
#: The kind of an outline's section at each depth (the editors may change it afterwards).
OUTLINE_KINDS = {1: SectionKind.DIRECTION, 2: SectionKind.GOAL, 3: SectionKind.ACTION}


def outline_read(filename: str, data: bytes) -> list[Heading]:
    """The headings of an uploaded outline, or a ValidationError saying what is wrong with it."""
    try:
        return outline_of(filename, data)
    except OutlineError as error:
        raise ValidationError({"outline": OUTLINE_ERRORS[str(error)]}) from None


def strategy_slug(title: str) -> str:
    """A free slug made from the title: "mineralstrategi-jamtland", "…-2" if that is taken."""
    base = slugify(title)[:190].strip("-") or "strategi"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Strategy.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def copy_source(strategy: Strategy, user) -> StrategyVersion | None:
    """The version of `strategy` a copy is made from: its working draft for whoever reads it (and
    for the command line), else the version shown to everyone; None if there is none."""
    if user is None or user.has_perm("strategy.view_draft", strategy):
        return strategy.versions.filter(number__isnull=True).first()
    if strategy.adopted_version_id:
        return strategy.adopted_version
    return strategy.versions.filter(FROZEN).order_by("-number").first()


def _setup_errors(*, user, title, slug, start_year, end_year, lead, counties, copy_from):
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("The strategy needs a name.")
    if slug and (slug in RESERVED_SLUGS or Strategy.objects.filter(slug=slug).exists()):
        errors["slug"] = _("The address “%(slug)s” is taken.") % {"slug": slug}
    if not all(YEARS[0] <= year <= YEARS[1] for year in (start_year, end_year)):
        errors["start_year"] = _("The years must lie between %(first)s and %(last)s.") % {
            "first": YEARS[0],
            "last": YEARS[1],
        }
    elif end_year < start_year:
        errors["end_year"] = _("The last year comes before the first year.")
    if user is not None and not counties:
        errors["counties"] = _("Choose at least one county the strategy covers.")
    if user is not None and lead is None:
        errors["lead"] = _("Choose the organisation that leads the partnership.")
    if copy_from is not None and copy_source(copy_from, user) is None:
        errors["copy_from"] = _(
            "“%(strategy)s” has no version you may read to copy its sections from."
        ) % {"strategy": copy_from}
    return errors


def setup_references(
    *, county_codes=(), lead_slug: str = "", partner_slugs=(), copy_from_slug: str = ""
) -> dict:
    """The counties, organisations and source strategy a setup names by code and slug (the API
    and the command line), as `strategy_create`'s arguments; a ValidationError names each code or
    slug that names nothing."""
    errors: dict[str, str] = {}
    county_codes = [code.strip() for code in county_codes if code.strip()]
    counties = list(County.objects.filter(code__in=county_codes))
    unknown = sorted(set(county_codes) - {county.code for county in counties})
    if unknown:
        errors["counties"] = _("No county has the code %(codes)s.") % {"codes": ", ".join(unknown)}
    slugs = [slug.strip() for slug in partner_slugs if slug.strip()]
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[*slugs, lead_slug])}
    unknown = sorted({*slugs, *([lead_slug] if lead_slug else [])} - set(organisations))
    if unknown:
        errors["lead" if lead_slug in unknown else "partnership"] = _(
            "No organisation has the address %(slugs)s."
        ) % {"slugs": ", ".join(unknown)}
    copy_from = Strategy.objects.filter(slug=copy_from_slug).first() if copy_from_slug else None
    if copy_from_slug and copy_from is None:
        errors["copy_from"] = _("No strategy has the address %(slug)s.") % {"slug": copy_from_slug}
    if errors:
        raise ValidationError(errors)
    return {
        "counties": counties,
        "lead": organisations.get(lead_slug),
        "partnership": [organisations[slug] for slug in slugs],
        "copy_from": copy_from,
    }


@transaction.atomic
def strategy_create(
    *,
    title: str,
    start_year: int,
    end_year: int,
    slug: str = "",
    partnership=(),
    counties=(),
    summary: str = "",
    is_example: bool = False,
    user=None,
    lead: Organisation | None = None,
    copy_from: Strategy | None = None,
    copy_texts: bool = False,
    outline: list[Heading] | None = None,
) -> Strategy:
    """A strategy with its working draft, empty or with the sections of `copy_from` (titles,
    kinds, dimensions and order; texts too with `copy_texts`) or of an `outline` (see
    `outline_read`).

    Set up in the pages, the API and the command by a `user` (None: the command line and the
    demo, which act for the platform), who must administer or edit for the `lead` organisation;
    the lead is always in the partnership. Without a slug one is made from the title.
    """
    if user is not None:
        require(user, "strategy.set_up_strategy", lead)
    counties = list(counties)
    errors = _setup_errors(
        user=user,
        title=title,
        slug=slug,
        start_year=start_year,
        end_year=end_year,
        lead=lead,
        counties=counties,
        copy_from=copy_from,
    )
    if errors:
        raise ValidationError(errors)
    strategy = Strategy(
        title=title.strip(),
        slug=slug or strategy_slug(title),
        start_year=start_year,
        end_year=end_year,
        summary=summary,
        is_example=is_example,
        lead=lead,
    )
    with_history_user(strategy, user).save()
    strategy.partnership.set({*partnership, *([lead] if lead else [])})
    strategy.counties.set(counties)
    draft = with_history_user(StrategyVersion(strategy=strategy), user)
    draft.save()
    if copy_from is not None:
        _sections_copy(copy_source(copy_from, user), draft, user=user, texts=copy_texts)
    if outline:
        _sections_from_outline(outline, draft, user=user)
    return strategy


def _sections_copy(source: StrategyVersion, draft: StrategyVersion, *, user, texts: bool) -> None:
    """The section tree of `source` in `draft`, parents first, each section with a new key."""
    copies: dict[int | None, Section | None] = {None: None}
    remaining = list(source.sections.order_by("position", "pk"))
    while remaining:
        level = [section for section in remaining if section.parent_id in copies]
        for original in level:
            copies[original.pk] = _section_write(
                draft,
                user,
                parent=copies[original.parent_id],
                kind=original.kind,
                dimension=original.dimension,
                title=original.title,
                body_markdown=original.body_markdown if texts else "",
                position=original.position,
            )
        remaining = [section for section in remaining if section.pk not in copies]
        if not level:
            break  # a loop in the source's tree: the rest cannot be placed


def _sections_from_outline(outline: list[Heading], draft: StrategyVersion, *, user) -> None:
    """A section per heading, under the nearest heading above it that is less deep."""
    open_parents: list[tuple[int, Section]] = []
    positions: dict[int | None, int] = {}
    for heading in outline:
        while open_parents and open_parents[-1][0] >= heading.depth:
            open_parents.pop()
        parent = open_parents[-1][1] if open_parents else None
        key = parent.pk if parent else None
        positions[key] = positions.get(key, -1) + 1
        section = _section_write(
            draft,
            user,
            parent=parent,
            kind=OUTLINE_KINDS[min(len(open_parents) + 1, 3)],
            dimension="",
            title=heading.title,
            body_markdown=heading.body,
            position=positions[key],
        )
        open_parents.append((heading.depth, section))


def _section_write(draft: StrategyVersion, user, **fields) -> Section:
    section = Section(version=draft, updated_by=acting_user(user), **fields)
    with_history_user(section, user).save()
    return section


def strategy_draft_ensure(strategy: Strategy, *, user=None) -> StrategyVersion:
    """The strategy's working draft, made if it has none (a strategy saved in the admin)."""
    draft = strategy.versions.filter(number__isnull=True).first()
    if draft is None:
        draft = with_history_user(StrategyVersion(strategy=strategy), user)
        draft.save()
    return draft


def strategy_draft(strategy: Strategy) -> StrategyVersion:
    return StrategyVersion.objects.select_related("strategy").get(
        strategy=strategy, number__isnull=True
    )


# --- Sections -----------------------------------------------------------------------------------


def _validate_section_fields(*, kind: str, dimension: str, title: str) -> None:
    errors = {}
    if kind not in SectionKind.values:
        errors["kind"] = _("Unknown kind of section: %(kind)s.") % {"kind": kind}
    if dimension and dimension not in Dimension.values:
        errors["dimension"] = _("Unknown dimension: %(dimension)s.") % {"dimension": dimension}
    if not title or not title.strip():
        errors["title"] = _("A section needs a title.")
    if errors:
        raise ValidationError(errors)


def _validate_parent(section: Section | None, parent: Section | None, version: StrategyVersion):
    if parent is None:
        return
    if parent.version_id != version.pk:
        raise ValidationError(
            {"parent": _("The parent section belongs to another version of the strategy.")}
        )
    if section is None or section.pk is None:
        return
    ancestor: Section | None = parent
    seen: set[int] = set()
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk == section.pk:
            raise ValidationError(
                {
                    "parent": _(
                        "“%(section)s” cannot be moved under itself or under one of its own "
                        "subsections (“%(parent)s”)."
                    )
                    % {"section": section.title, "parent": parent.title}
                }
            )
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return


@transaction.atomic
def section_create(
    *,
    version: StrategyVersion,
    user,
    kind: str,
    title: str,
    body_markdown: str = "",
    dimension: str = "",
    parent: Section | None = None,
    position: int | None = None,
    is_example: bool = False,
    key=None,
) -> Section:
    """A new section in the working draft. `key` is given only when a section is recreated with
    the identity it had (the demo data, imports); otherwise a new key is drawn."""
    require(user, "strategy.edit_draft", version.strategy)
    _require_draft(version)
    _validate_section_fields(kind=kind, dimension=dimension, title=title)
    _validate_parent(None, parent, version)
    if position is None:
        last = version.sections.filter(parent=parent).aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    section = Section(
        version=version,
        parent=parent,
        kind=kind,
        title=title.strip(),
        body_markdown=body_markdown,
        dimension=dimension,
        position=position,
        is_example=is_example,
        updated_by=acting_user(user),
    )
    if key is not None:
        section.key = key
    with_history_user(section, user).save()
    return section


@transaction.atomic
def section_update(
    section: Section,
    *,
    user,
    expected_revision: int,
    title: str,
    body_markdown: str,
    dimension: str | None = None,
    kind: str | None = None,
    parent: Section | None | object = ...,
) -> Section:
    """Save an editor's text unless someone saved the section since the editor loaded it.

    The revision is claimed with one conditional UPDATE (`WHERE revision = expected`), so that of
    two editors saving at once exactly one wins, on any database; the loser gets `EditConflict`
    with the winner's text and nothing of theirs is written. The content is then saved through the
    model so that the change is recorded in the history with its author.
    """
    require(user, "strategy.edit_draft", section.version.strategy)
    _require_draft(section.version)
    dimension = section.dimension if dimension is None else dimension
    kind = section.kind if kind is None else kind
    _validate_section_fields(kind=kind, dimension=dimension, title=title)
    if parent is not ...:
        _validate_parent(section, parent, section.version)  # type: ignore[arg-type]

    claimed = Section.objects.filter(
        pk=section.pk, revision=expected_revision, version__number__isnull=True
    ).update(revision=expected_revision + 1)
    if not claimed:
        current = Section.objects.select_related("version", "updated_by").get(pk=section.pk)
        _require_draft(current.version)
        raise EditConflict(current)

    section.revision = expected_revision + 1
    section.title = title.strip()
    section.body_markdown = body_markdown
    section.dimension = dimension
    section.kind = kind
    if parent is not ...:
        section.parent = parent  # type: ignore[assignment]
    section.updated_by = acting_user(user)
    with_history_user(section, user).save()
    _notify_section_changed(section, user)
    return section


def _notify_section_changed(section: Section, user) -> None:
    """Tell the followers of the section and of its strategy who may read the working draft."""
    strategy = section.version.strategy
    notifications.notify_coalescing(
        kinds.SECTION_CHANGED,
        within=SECTION_EDITS_COALESCE,
        about=section,
        actor=user,
        subjects=[section, strategy],
        params={"section": section.title, "strategy": strategy.title},
        url=reverse("strategy:draft", kwargs={"slug": strategy.slug}) + "#" + section.anchor,
        view_permission="strategy.view_draft",
    )


def _changed_in(frozen: StrategyVersion, draft: StrategyVersion) -> list[Section]:
    """The working draft's sections (which followers of a section follow) that the newly frozen
    version holds new or reworded since the version before it (a section's revision counts its
    saves and is copied when frozen)."""
    before = dict(
        Section.objects.filter(
            version__strategy_id=frozen.strategy_id, version__number=frozen.number - 1
        ).values_list("key", "revision")
    )
    now = frozen.sections.values_list("key", "revision")
    changed = [key for key, revision in now if before.get(key) != revision]
    return list(Section.objects.select_related("version").filter(version=draft, key__in=changed))


def _notify_version(kind: str, version: StrategyVersion, user, sections=()) -> None:
    """Tell the strategy's followers, and the followers of `sections` (those a frozen version
    changed), that a version was frozen or adopted (frozen ones are public)."""
    strategy = version.strategy
    notifications.notify(
        kind,
        about=version,
        actor=user,
        subjects=[strategy, *sections],
        params={"number": version.number, "strategy": strategy.title},
        url=reverse("strategy:version", kwargs={"slug": strategy.slug, "number": version.number}),
    )


@transaction.atomic
def section_move(section: Section, *, user, parent: Section | None, position: int) -> Section:
    require(user, "strategy.edit_draft", section.version.strategy)
    _require_draft(section.version)
    _validate_parent(section, parent, section.version)
    Section.objects.filter(pk=section.pk).update(revision=F("revision") + 1)
    section.refresh_from_db(fields=["revision"])
    section.parent = parent
    section.position = position
    with_history_user(section, user).save(update_fields=["parent", "position", "updated_at"])
    return section


@transaction.atomic
def section_delete(section: Section, *, user) -> None:
    require(user, "strategy.edit_draft", section.version.strategy)
    _require_draft(section.version)
    with_history_user(section, user).delete()


# --- Comments and links -------------------------------------------------------------------------


@transaction.atomic
def section_comment_add(section: Section, *, user, body: str) -> SectionComment:
    require(user, "strategy.add_sectioncomment", section.version.strategy)
    _require_draft(section.version)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("The comment is empty.")})
    comment = SectionComment(section=section, author=user, body=body)
    with_history_user(comment, user).save()
    return comment


@transaction.atomic
def section_link_add(section: Section, *, user, item_id) -> SectionLink:
    require(user, "strategy.edit_draft", section.version.strategy)
    _require_draft(section.version)
    try:
        item = FrameworkItem.objects.select_related("framework").get(pk=int(item_id))
    except (FrameworkItem.DoesNotExist, TypeError, ValueError):
        raise ValidationError(
            {"item": _("There is no framework item %(item)s.") % {"item": item_id}}
        ) from None
    link, created = SectionLink.objects.get_or_create(section=section, item=item)
    if created:
        _touch(section, user)
    return link


@transaction.atomic
def section_link_remove(section: Section, *, user, item_id) -> None:
    require(user, "strategy.edit_draft", section.version.strategy)
    _require_draft(section.version)
    link = SectionLink.objects.filter(section=section, item_id=item_id).first()
    if link is None:
        raise ValidationError(
            {"item": _("“%(section)s” is not linked to that item.") % {"section": section.title}}
        )
    with_history_user(link, user).delete()
    _touch(section, user)


def _touch(section: Section, user) -> None:
    """A link change is a change of the section: bump its revision so open edit forms notice."""
    Section.objects.filter(pk=section.pk).update(revision=F("revision") + 1)
    section.refresh_from_db(fields=["revision"])


# --- Freezing and adoption ----------------------------------------------------------------------


@transaction.atomic
def version_freeze(strategy: Strategy, *, user, label: str = "") -> StrategyVersion:
    """Copy the working draft into a new, numbered, immutable version; the draft goes on.

    The copies keep each section's key, so diffs, comments on a consultation and dispositions
    follow a section from version to version.
    """
    require(user, "strategy.freeze_version", strategy)
    # Locks the draft's row (PostgreSQL) so that two freezes at once take numbers one by one;
    # SQLite's IMMEDIATE transactions already serialise writers.
    draft = StrategyVersion.objects.select_for_update().get(strategy=strategy, number__isnull=True)
    last = strategy.versions.aggregate(last=Max("number"))["last"] or 0
    frozen = StrategyVersion(
        strategy=strategy,
        number=last + 1,
        label=label.strip(),
        frozen_at=timezone.now(),
        frozen_by=acting_user(user),
    )
    with_history_user(frozen, user).save()

    sections = list(draft.sections.order_by("position", "pk"))
    copies: dict[int, Section] = {}
    remaining = sections
    parent_ids_done: set[int | None] = {None}
    while remaining:
        level = [section for section in remaining if section.parent_id in parent_ids_done]
        if not level:
            raise ValidationError(_("The draft's section tree has a loop; it cannot be frozen."))
        new_sections = [
            Section(
                version=frozen,
                key=section.key,
                parent=copies.get(section.parent_id),
                kind=section.kind,
                dimension=section.dimension,
                title=section.title,
                body_markdown=section.body_markdown,
                position=section.position,
                revision=section.revision,
                is_example=section.is_example,
                updated_by_id=section.updated_by_id,
            )
            for section in level
        ]
        # bulk_create on purpose: Section.save() refuses a frozen version, and this is the one
        # place that writes into it, once, inside the freezing transaction.
        for original, copy in zip(level, Section.objects.bulk_create(new_sections), strict=True):
            copies[original.pk] = copy
        parent_ids_done |= {section.pk for section in level}
        remaining = [section for section in remaining if section.pk not in copies]

    rows_written.send(sender=Section, pks=[copy.pk for copy in copies.values()])
    links = SectionLink.objects.filter(section__version=draft).values_list("section_id", "item_id")
    SectionLink.objects.bulk_create(
        SectionLink(section=copies[section_id], item_id=item_id) for section_id, item_id in links
    )
    _notify_version(kinds.VERSION_FROZEN, frozen, user, sections=_changed_in(frozen, draft))
    return frozen


@dataclass(frozen=True)
class RemissRound:
    """A consultation round on a version, as adoption needs to know it. The strategy app does not
    know the consultation app (it sits below it); the consultation app registers a reader in
    `REMISS_READERS` that tells of its rounds."""

    registry_number: str
    title: str
    version_number: int
    status: str  # "open", "closed" or "compiled" (rounds never sent are not told)
    status_label: str
    url: str

    @property
    def is_compiled(self) -> bool:
        return self.status == "compiled"

    @property
    def is_open(self) -> bool:
        return self.status == "open"


RemissReader = Callable[[StrategyVersion], list[RemissRound]]
REMISS_READERS: list[RemissReader] = []


def remiss_rounds(version: StrategyVersion) -> list[RemissRound]:
    """The rounds sent out on this version or an earlier one of its strategy, oldest first: the
    consultation the version has been through (a remiss on version 1 whose changes made version 2
    counts for version 2)."""
    if not version.is_frozen:
        return []
    rounds = [round_ for reader in REMISS_READERS for round_ in reader(version)]
    return sorted(rounds, key=lambda round_: round_.version_number)


@dataclass(frozen=True)
class AdoptionBasis:
    """What an adoption of a version would rest on, and what it would supersede."""

    version: StrategyVersion
    rounds: list[RemissRound]
    supersedes: StrategyVersion | None

    @property
    def open_rounds(self) -> list[RemissRound]:
        return [round_ for round_ in self.rounds if round_.is_open]

    @property
    def compiled_round(self) -> RemissRound | None:
        """The latest round, if it is compiled: then no reason is needed."""
        if self.rounds and self.rounds[-1].is_compiled:
            return self.rounds[-1]
        return None

    @property
    def needs_reason(self) -> bool:
        return not self.open_rounds and self.compiled_round is None

    @property
    def unfinished_round(self) -> RemissRound | None:
        return self.rounds[-1] if self.rounds and not self.rounds[-1].is_compiled else None


def adoption_basis(version: StrategyVersion) -> AdoptionBasis:
    strategy = version.strategy
    supersedes = None
    if strategy.adopted_version_id and strategy.adopted_version_id != version.pk:
        supersedes = strategy.adopted_version
    return AdoptionBasis(version=version, rounds=remiss_rounds(version), supersedes=supersedes)


@dataclass
class AdoptionInput:
    """The decision as the editor states it."""

    body: str
    decided_on: datetime.date | None
    reference: str
    organisation: Organisation | None = None
    note: str = ""
    without_consultation_reason: str = ""
    is_example: bool = False


def _adoption_errors(version: StrategyVersion, decision: AdoptionInput, basis: AdoptionBasis):
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not version.is_frozen:
        add(NON_FIELD_ERRORS, _("Only a frozen version can be adopted; freeze the draft first."))
        return errors
    existing = Adoption.objects.filter(version=version).first()
    if existing is not None:
        add(
            NON_FIELD_ERRORS,
            _("Version %(number)s was adopted on %(date)s already.")
            % {"number": version.number, "date": existing.decided_on.isoformat()},
        )
    for round_ in basis.open_rounds:
        add(
            NON_FIELD_ERRORS,
            _(
                "The consultation %(number)s on version %(version)s is still open: close it and "
                "compile the answers before the strategy is adopted."
            )
            % {"number": round_.registry_number, "version": round_.version_number},
        )
    if not decision.body.strip():
        add("body", _("Name the body that took the decision, e.g. “Regionfullmäktige”."))
    if not decision.reference.strip():
        add("reference", _("Give the decision's reference: its paragraph (§) or registry number."))
    decided_on = decision.decided_on
    if decided_on is None:
        add("decided_on", _("Give the date of the decision."))
    else:
        frozen_on = timezone.localdate(version.frozen_at)
        if decided_on > timezone.localdate():
            add(
                "decided_on",
                _(
                    "The decision date %(date)s is in the future: record the adoption once the "
                    "decision has been taken."
                )
                % {"date": decided_on.isoformat()},
            )
        if decided_on < frozen_on:
            add(
                "decided_on",
                _("The decision date comes before version %(number)s was frozen (%(frozen)s).")
                % {"number": version.number, "frozen": frozen_on.isoformat()},
            )
        previous = basis.supersedes.adoption_record if basis.supersedes else None
        if previous is not None and decided_on < previous.decided_on:
            add(
                "decided_on",
                _(
                    "Version %(number)s, which this decision supersedes, was adopted on "
                    "%(date)s; the new decision cannot be dated before it."
                )
                % {"number": basis.supersedes.number, "date": previous.decided_on.isoformat()},
            )
    if basis.needs_reason and not decision.without_consultation_reason.strip():
        unfinished = basis.unfinished_round
        if unfinished is None:
            message = _(
                "No consultation has been held on version %(number)s or an earlier version: "
                "give the reason for adopting it without one."
            ) % {"number": version.number}
        else:
            message = _(
                "The consultation %(round)s (version %(version)s) has not been compiled: compile "
                "it first, or give the reason for adopting without it."
            ) % {"round": unfinished.registry_number, "version": unfinished.version_number}
        add("without_consultation_reason", message)
    return errors


def version_adopt_check(
    version: StrategyVersion, *, user, decision: AdoptionInput
) -> AdoptionBasis:
    """What `version_adopt` would refuse, without writing: for the confirmation step, which is
    shown only for a decision that would be recorded."""
    require(user, "strategy.adopt_version", version.strategy)
    basis = adoption_basis(version)
    errors = _adoption_errors(version, decision, basis)
    if errors:
        raise ValidationError(errors)
    return basis


@transaction.atomic
def version_adopt(version: StrategyVersion, *, user, decision: AdoptionInput) -> Adoption:
    """Record the decision that adopts a frozen version: the version becomes the adopted strategy
    (the one published) and the one adopted before it, if any, is from then on "previously
    adopted", superseded by this decision.

    Only a frozen version, whose consultation is closed and compiled, or with a recorded reason why
    not; never while a round on it (or on an earlier version) is still open.
    """
    strategy = version.strategy
    require(user, "strategy.adopt_version", strategy)
    # Locks the strategy's row (PostgreSQL) so that two adoptions at once are taken one by one;
    # `of=("self",)`: PostgreSQL cannot lock the nullable side of the join to the adopted version.
    locked = (
        Strategy.objects.select_for_update(of=("self",))
        .select_related("adopted_version")
        .get(pk=strategy.pk)
    )
    strategy.adopted_version_id = locked.adopted_version_id
    strategy.adopted_version = locked.adopted_version
    basis = adoption_basis(version)
    errors = _adoption_errors(version, decision, basis)
    if errors:
        raise ValidationError(errors)
    adoption = Adoption(
        version=version,
        body=decision.body.strip(),
        organisation=decision.organisation,
        decided_on=decision.decided_on,
        reference=decision.reference.strip(),
        note=decision.note.strip(),
        consultation=basis.compiled_round.registry_number if basis.compiled_round else "",
        without_consultation_reason=(
            decision.without_consultation_reason.strip() if basis.needs_reason else ""
        ),
        is_example=decision.is_example,
        recorded_by=acting_user(user),
    )
    with_history_user(adoption, user).save()
    previous = Adoption.objects.filter(
        version_id=strategy.adopted_version_id, superseded_by__isnull=True
    ).first()
    if previous is not None:
        previous.superseded_by = adoption
        with_history_user(previous, user).save(update_fields=["superseded_by"])
    strategy.adopted_version = version
    strategy.status = StrategyStatus.ADOPTED
    with_history_user(strategy, user).save(
        update_fields=["adopted_version", "status", "updated_at"]
    )
    _notify_version(kinds.VERSION_ADOPTED, version, user)
    return adoption


@transaction.atomic
def strategy_status_set(strategy: Strategy, *, user, status: str) -> Strategy:
    require(user, "strategy.edit_draft", strategy)
    if status not in StrategyStatus.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    strategy.status = status
    with_history_user(strategy, user).save(update_fields=["status", "updated_at"])
    return strategy


# --- Frameworks ---------------------------------------------------------------------------------


@dataclass
class FrameworkLoadResult:
    frameworks_created: int = 0
    items_created: int = 0
    items_updated: int = 0

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        if any(value is None for value in row.values()) or None in row:
            raise ValidationError(
                _("%(file)s, line %(line)s: wrong number of columns.")
                % {"file": path.name, "line": line}
            )
    return rows


@transaction.atomic
def frameworks_load(data_dir: Path = DATA_DIR) -> FrameworkLoadResult:
    """Create or update the reference frameworks and their items from the app's data files.
    Idempotent: a second run changes nothing."""
    result = FrameworkLoadResult()
    frameworks: dict[str, Framework] = {}
    for position, row in enumerate(_read_csv(data_dir / "frameworks.csv")):
        framework, created = Framework.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "url": row["url"],
                "description": row["description"],
                "source": row["source"],
                "is_example": row["is_example"] == "1",
                "position": position,
            },
        )
        frameworks[framework.code] = framework
        result.frameworks_created += created

    existing = {
        (item.framework_id, item.code): item
        for item in FrameworkItem.objects.filter(framework__in=frameworks.values())
    }
    rows = _read_csv(data_dir / "framework_items.csv") + [
        {"framework": "sdg", **row} for row in _read_csv(data_dir / "sdg_targets.csv")
    ]
    positions: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        framework = frameworks.get(row["framework"])
        if framework is None:
            raise ValidationError(
                _("Framework item on row %(line)s names an unknown framework “%(code)s”.")
                % {"line": line, "code": row["framework"]}
            )
        code = row["code"]
        parent_code = code.rsplit(".", 1)[0] if "." in code else None
        parent = existing.get((framework.pk, parent_code)) if parent_code else None
        position = positions[framework.code] = positions.get(framework.code, 0) + 1
        wanted = {
            "title_sv": row["title_sv"],
            "title_en": row["title_en"],
            "parent": parent,
            "position": position,
        }
        item = existing.get((framework.pk, code))
        if item is None:
            existing[(framework.pk, code)] = FrameworkItem.objects.create(
                framework=framework, code=code, **wanted
            )
            result.items_created += 1
        elif any(getattr(item, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(item, name, value)
            item.save()
            result.items_updated += 1
    return result


# --- Frameworks kept in the pages ---------------------------------------------------------------

#: A framework's code is the last part of its address: /ramverk/<code>/.
FRAMEWORK_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}\Z")
#: Paths under /ramverk/ that are pages, not frameworks: never a framework's code.
RESERVED_FRAMEWORK_CODES = frozenset({"ny"})
ITEM_CODE_MAX = 20
ITEM_TITLE_MAX = 500
#: The most lines one paste adds.
PASTE_MAX_LINES = 500


@dataclass
class FrameworkInput:
    """A framework's fields as its keeper gives them."""

    code: str
    name: str
    kind: str
    url: str = ""
    description: str = ""
    source: str = ""


@dataclass
class ItemInput:
    """A framework item's fields; `parent` is an item of the same framework, or None."""

    code: str
    title_sv: str
    title_en: str = ""
    parent: FrameworkItem | None = None


def _framework_set(framework: Framework, data: FrameworkInput) -> None:
    framework.code = (data.code or "").strip()
    framework.name = (data.name or "").strip()
    framework.kind = data.kind
    framework.url = (data.url or "").strip()
    framework.description = (data.description or "").strip()
    framework.source = (data.source or "").strip()


def _code_taken(code: str, taken_by: Framework) -> ValidationError:
    return ValidationError(
        {
            "code": _(
                "The code “%(code)s” is already used by the framework “%(name)s”. Choose another."
            )
            % {"code": code, "name": taken_by.name}
        }
    )


def _framework_clean(framework: Framework) -> None:
    """Clear messages for what a person gets wrong, then the model's own checks (lengths, the
    web address)."""
    errors: dict[str, str] = {}
    code = framework.code
    if not code:
        errors["code"] = _("Give the framework a code: it becomes part of its web address.")
    elif not FRAMEWORK_CODE.match(code):
        errors["code"] = _(
            "The code may hold only lower-case letters a–z, digits, hyphens and underscores "
            "(at most 60), for example “rus-jamtland-2030”."
        )
    elif code in RESERVED_FRAMEWORK_CODES:
        errors["code"] = _(
            "“%(code)s” is the address of a page of the site: choose another code."
        ) % {"code": code}
    else:
        taken = Framework.objects.filter(code=code).exclude(pk=framework.pk).first()
        if taken is not None:
            raise _code_taken(code, taken)
    if not framework.name:
        errors["name"] = _("Give the framework a name.")
    if framework.kind not in FrameworkKind.values:
        errors["kind"] = _("Choose the kind of framework.")
    if errors:
        raise ValidationError(errors)
    framework.full_clean(validate_unique=False, validate_constraints=False)


def _framework_save(framework: Framework, user) -> Framework:
    try:
        with transaction.atomic():
            with_history_user(framework, user).save()
    except IntegrityError:  # the code was taken in the meantime
        taken = Framework.objects.filter(code=framework.code).first()
        if taken is None:
            raise
        raise _code_taken(framework.code, taken) from None
    return framework


@transaction.atomic
def framework_create(*, user, owner: Organisation, data: FrameworkInput) -> Framework:
    """A framework kept by `owner`'s strategy editors, placed after the existing ones; usable at
    once wherever sections are linked to framework items."""
    require(user, "strategy.add_framework", owner)
    last = Framework.objects.aggregate(last=Max("position"))["last"]
    framework = Framework(owner=owner, position=(last or 0) + 1)
    _framework_set(framework, data)
    _framework_clean(framework)
    return _framework_save(framework, user)


@transaction.atomic
def framework_update(framework: Framework, *, user, data: FrameworkInput) -> Framework:
    require(user, "strategy.change_framework", framework)
    _framework_set(framework, data)
    _framework_clean(framework)
    return _framework_save(framework, user)


def framework_links(framework: Framework) -> int:
    """How many sections, of any version, link to the framework's items."""
    return SectionLink.objects.filter(item__framework=framework).count()


@transaction.atomic
def framework_delete(framework: Framework, *, user) -> None:
    """Remove a framework no section links to, its items first (each removal audited). A link
    protects it: a frozen version keeps its links for good."""
    require(user, "strategy.change_framework", framework)
    order, _parents = _reading_order(framework)
    links = framework_links(framework)
    if links:
        raise ValidationError(
            ngettext(
                "“%(framework)s” cannot be removed: %(count)s section links to its items. Remove "
                "the link from the working draft first; a framework that a frozen version links "
                "to stays.",
                "“%(framework)s” cannot be removed: %(count)s sections link to its items. Remove "
                "the links from the working drafts first; a framework that a frozen version links "
                "to stays.",
                links,
            )
            % {"framework": framework.name, "count": links}
        )
    for item in reversed(order):  # every item after its parent: the children go first
        with_history_user(item, user).delete()
    with_history_user(framework, user).delete()


def _ancestors(item, parent_of: dict[int, object]) -> list:
    """The item's parents, nearest first (`parent_of` maps id(item) to its parent object)."""
    found = []
    parent = parent_of.get(id(item))
    while parent is not None and parent not in found:
        found.append(parent)
        parent = parent_of.get(id(parent))
    return found


def _place(order: list, item, parent, parent_of: dict[int, object]) -> None:
    """Put `item` in the framework's reading order: right after the last item under `parent`,
    or at the end when it has none."""
    parent_of[id(item)] = parent
    if parent is None or parent not in order:
        order.append(item)
        return
    index = order.index(parent) + 1
    while index < len(order) and parent in _ancestors(order[index], parent_of):
        index += 1
    order.insert(index, item)


def _lock(framework: Framework) -> None:
    """Lock the framework's row until the transaction ends, so that two editors changing its
    items at once renumber them one after the other."""
    list(Framework.objects.select_for_update().filter(pk=framework.pk).values_list("pk"))


def _reading_order(framework: Framework) -> tuple[list[FrameworkItem], dict[int, object]]:
    """The framework's items in reading order, under the framework's lock."""
    _lock(framework)
    items = list(framework.items.order_by("position", "pk"))
    by_pk = {item.pk: item for item in items}
    parent_of: dict[int, object] = {id(item): by_pk.get(item.parent_id) for item in items}
    for item in items:
        if item.parent_id in by_pk:
            item.parent = by_pk[item.parent_id]  # no query when it is saved or read again
    return items, parent_of


def _renumber(order: list[FrameworkItem], user, changed=()) -> None:
    """Positions 1, 2, 3 … in reading order; each item whose position changes, each new one (saved
    after its parent) and each of `changed` is saved with its history."""
    for position, item in enumerate(order, start=1):
        if item.pk is None or item.position != position or item in changed:
            item.position = position
            with_history_user(item, user).save()


def _item_errors(
    item: FrameworkItem, framework: Framework, codes: dict[str, object]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not item.code:
        errors["code"] = _("Give the item a code, for example “2.3” or “A1”.")
    elif len(item.code) > ITEM_CODE_MAX or any(character.isspace() for character in item.code):
        errors["code"] = _(
            "The code may hold no spaces and at most %(max)s characters, for example “2.3”."
        ) % {"max": ITEM_CODE_MAX}
    elif codes.get(item.code) not in (None, item):
        errors["code"] = _("The code “%(code)s” is already used by another item of “%(name)s”.") % {
            "code": item.code,
            "name": framework.name,
        }
    if not item.title_sv:
        errors["title_sv"] = _("Give the item its Swedish title.")
    elif len(item.title_sv) > ITEM_TITLE_MAX:
        errors["title_sv"] = _("The title is longer than %(max)s characters.") % {
            "max": ITEM_TITLE_MAX
        }
    return errors


def _item_set(item: FrameworkItem, data: ItemInput) -> None:
    item.code = (data.code or "").strip()
    item.title_sv = " ".join((data.title_sv or "").split())
    item.title_en = (data.title_en or "").strip()


def _parent_in(order: list[FrameworkItem], parent: FrameworkItem | None) -> FrameworkItem | None:
    """The framework's own object for the parent asked for; a ValidationError if it is no item
    of this framework."""
    if parent is None:
        return None
    for candidate in order:
        if candidate.pk == parent.pk:
            return candidate
    raise ValidationError({"parent": _("The item placed above must be an item of this framework.")})


@transaction.atomic
def framework_item_add(framework: Framework, *, user, data: ItemInput) -> FrameworkItem:
    """An item of the framework: under its parent (after the items already there) or last."""
    require(user, "strategy.change_framework", framework)
    order, parent_of = _reading_order(framework)
    item = FrameworkItem(framework=framework)
    _item_set(item, data)
    errors = _item_errors(item, framework, {existing.code: existing for existing in order})
    if errors:
        raise ValidationError(errors)
    item.parent = _parent_in(order, data.parent)
    _place(order, item, item.parent, parent_of)
    _renumber(order, user)
    return item


@transaction.atomic
def framework_item_update(item: FrameworkItem, *, user, data: ItemInput) -> FrameworkItem:
    """The item's code, titles and parent; moved under a new parent, it goes after the items
    already there."""
    framework = item.framework
    require(user, "strategy.change_framework", framework)
    order, parent_of = _reading_order(framework)
    own = next(candidate for candidate in order if candidate.pk == item.pk)
    _item_set(own, data)
    errors = _item_errors(own, framework, {existing.code: existing for existing in order})
    if errors:
        raise ValidationError(errors)
    parent = _parent_in(order, data.parent)
    if parent is not None and (parent is own or own in _ancestors(parent, parent_of)):
        raise ValidationError(
            {"parent": _("An item cannot be placed under itself or under one of its own items.")}
        )
    moved = parent is not None and parent.pk != own.parent_id
    own.parent = parent
    if moved:
        order.remove(own)
        _place(order, own, parent, parent_of)
    parent_of[id(own)] = parent
    _renumber(order, user, changed=[own])
    item.refresh_from_db()
    return item


@transaction.atomic
def framework_item_move(item: FrameworkItem, *, user, direction: str) -> FrameworkItem:
    """One step up or down in the framework's reading order (it changes places with the item
    before or after it)."""
    framework = item.framework
    require(user, "strategy.change_framework", framework)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    order, _parents = _reading_order(framework)
    index = next(i for i, candidate in enumerate(order) if candidate.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        raise ValidationError(
            _("“%(item)s” is already first.") % {"item": item}
            if direction == "up"
            else _("“%(item)s” is already last.") % {"item": item}
        )
    order[index], order[other] = order[other], order[index]
    _renumber(order, user)
    item.refresh_from_db()
    return item


@transaction.atomic
def framework_item_delete(item: FrameworkItem, *, user) -> None:
    """Remove an item no section links to and no item is placed under (a section's link protects
    its item: a frozen version keeps its links for good)."""
    framework = item.framework
    require(user, "strategy.change_framework", framework)
    _lock(framework)
    links = item.section_links.count()
    if links:
        raise ValidationError(
            ngettext(
                "“%(item)s” cannot be removed: %(count)s section links to it. Remove the link "
                "from the working draft first; an item that a frozen version links to stays.",
                "“%(item)s” cannot be removed: %(count)s sections link to it. Remove the links "
                "from the working drafts first; an item that a frozen version links to stays.",
                links,
            )
            % {"item": item, "count": links}
        )
    children = item.children.count()
    if children:
        raise ValidationError(
            ngettext(
                "“%(item)s” cannot be removed: %(count)s item is placed under it. Remove it or "
                "place it elsewhere first.",
                "“%(item)s” cannot be removed: %(count)s items are placed under it. Remove them "
                "or place them elsewhere first.",
                children,
            )
            % {"item": item, "count": children}
        )
    with_history_user(item, user).delete()
    order, _parents = _reading_order(framework)
    _renumber(order, user)


def _pasted_line(line: str) -> tuple[str, str, str]:
    """(code, Swedish title, English title) of a pasted line: “code<TAB>title[<TAB>English]”, or
    “code title” when it has no tab."""
    if "\t" in line:
        parts = [part.strip() for part in line.split("\t")]
        return parts[0], " ".join(parts[1:2]), " ".join(part for part in parts[2:] if part)
    code, _space, title = line.strip().partition(" ")
    return code, title.strip(), ""


@transaction.atomic
def framework_items_paste(framework: Framework, *, user, text: str) -> list[FrameworkItem]:
    """Many items at once, one a line: “code<TAB or space>title” (a second tab may give the English
    title). A code with a dot (“2.3”) is placed under the item of the code before its last dot
    (“2”) when there is one. All or nothing: every faulty line is named with its number."""
    require(user, "strategy.change_framework", framework)
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise ValidationError(
            {"text": _("Paste one item a line: its code, a tab or a space, and its title.")}
        )
    if len(lines) > PASTE_MAX_LINES:
        raise ValidationError(
            {"text": _("Paste at most %(max)s lines at a time.") % {"max": PASTE_MAX_LINES}}
        )
    order, parent_of = _reading_order(framework)
    codes: dict[str, object] = {item.code: item for item in order}
    added: list[FrameworkItem] = []
    errors: list[str] = []
    for number, line in lines:
        item = FrameworkItem(framework=framework)
        code, title_sv, title_en = _pasted_line(line)
        _item_set(item, ItemInput(code=code, title_sv=title_sv, title_en=title_en))
        problems = _item_errors(item, framework, codes)
        if problems:
            errors.extend(
                _("Line %(line)s: %(problem)s") % {"line": number, "problem": problem}
                for problem in problems.values()
            )
            continue
        codes[item.code] = item
        parent = codes.get(item.code.rsplit(".", 1)[0]) if "." in item.code else None
        item.parent = parent
        _place(order, item, parent, parent_of)
        added.append(item)
    if errors:
        raise ValidationError({"text": errors})
    _renumber(order, user)
    return added

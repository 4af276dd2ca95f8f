"""The audit trail read across every audited model (those whose history records carry the
organisation, see `organisations.history`), newest first, with the field-level change of each
record against the one before it."""

import datetime
from dataclasses import dataclass, field
from heapq import merge
from itertools import islice
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery, prefetch_related_objects
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mineralstrategi.organisations.history import AuditedHistoricalModel
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.strategy.models import Strategy

from .rules import AUDIT_TRAIL, AUDITED_ORGANISATIONS

VALUE_LIMIT = 300


@dataclass
class AuditFilter:
    model: str = ""  # "app_label.modelname" of the audited (not the historical) model
    username: str = ""
    organisation: int | None = None
    date_from: datetime.date | None = None  # dates in the site's time zone, both inclusive
    date_to: datetime.date | None = None
    strategy: int | None = None  # the changes of this strategy and of its parts (STRATEGY_PATHS)


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    record: object
    model_name: str
    action: str
    object_label: str
    changes: list[FieldChange] = field(default_factory=list)


def audited_models() -> list:
    """The historical models of the audited models, by the audited model's label."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, AuditedHistoricalModel) and not model._meta.abstract
    ]
    return sorted(found, key=lambda model: model.instance_type._meta.label_lower)


# The way from each audited model that belongs to a strategy to that strategy, for the filter by
# strategy: its own row, its versions and sections (and their comments, links and adoptions), its
# consultation rounds and everything in them, its initiatives and their parts, its indicator links.
# Several ways: any of them (a disposition decides one of three kinds of comment). The joins go
# through the live rows, so a record whose parent is deleted falls out of this filter, never
# out of the trail. Every audited model is here or in NOT_OF_A_STRATEGY (a test holds them so).
STRATEGY_PATHS: dict[str, tuple[str, ...]] = {
    "strategy.strategy": ("id",),
    "strategy.strategyversion": ("strategy",),
    "strategy.adoption": ("version__strategy",),
    "strategy.section": ("version__strategy",),
    "strategy.sectioncomment": ("section__version__strategy",),
    "strategy.sectionlink": ("section__version__strategy",),
    "consultation.consultationround": ("strategy",),
    "consultation.consultee": ("round__strategy",),
    "consultation.delivery": ("consultee__round__strategy",),
    "consultation.answer": ("consultee__round__strategy",),
    "consultation.answercomment": ("answer__consultee__round__strategy",),
    "consultation.attachment": ("answer__consultee__round__strategy",),
    "consultation.publiccomment": ("round__strategy",),
    "consultation.disposition": (
        "comment__answer__consultee__round__strategy",
        "public_comment__round__strategy",
        "outcome__meeting__round__strategy",
    ),
    "consultation.meeting": ("round__strategy",),
    "consultation.meetingperson": ("meeting__round__strategy",),
    "consultation.meetingoutcome": ("meeting__round__strategy",),
    "implementation.implementationsettings": ("strategy",),
    "implementation.actionplan": ("strategy",),
    "implementation.initiative": ("strategy",),
    "implementation.initiativesection": ("initiative__strategy",),
    "implementation.fundingsource": ("initiative__strategy",),
    "implementation.milestone": ("initiative__strategy",),
    "implementation.progressupdate": ("initiative__strategy",),
    "implementation.moderationdecision": ("initiative__strategy",),
    "indicators.indicatorlink": ("strategy",),
    "cycle.wheelentry": ("strategy",),
    "cycle.periodreport": ("period__strategy",),
    "cycle.reportreminder": ("report__period__strategy",),
    "reports.adoptedreport": ("strategy",),
    "reports.reviewcomment": ("report__strategy",),
}
# Audited models of no one strategy: an indicator or a framework serves many, people and
# organisations none.
NOT_OF_A_STRATEGY = frozenset(
    {
        "strategy.framework",
        "strategy.frameworkitem",
        "indicators.indicator",
        "indicators.importjob",
        "indicators.target",
        "organisations.membership",
        "organisations.invitation",
        "accounts.signup",
        "accounts.joinrequest",
        "accounts.organisationapplication",
    }
)


def _of_strategy(model, strategy_id: int) -> Q | None:
    """The records of a historical model that belong to the strategy; None: none can."""
    paths = STRATEGY_PATHS.get(model.instance_type._meta.label_lower)
    if paths is None:
        return None
    found = Q()
    for path in paths:
        found |= Q(**{path: strategy_id})
    return found


def strategy_choices():
    """Every strategy, for the filter (their titles are public)."""
    return Strategy.objects.only("pk", "title").order_by("title", "pk")


def organisation_choices(user):
    """The organisations whose audit trail the user reads, for the filter."""
    return AUDITED_ORGANISATIONS.filter(user, Organisation.objects.only("pk", "name"))


def model_choices() -> list[tuple[str, str]]:
    return [
        (model.instance_type._meta.label_lower, str(model.instance_type._meta.verbose_name))
        for model in audited_models()
    ]


def _scoped(queryset, user, filters: AuditFilter):
    queryset = AUDIT_TRAIL.filter(user, queryset)
    if filters.organisation:
        queryset = queryset.filter(history_organisation_id=filters.organisation)
    if filters.username:
        queryset = queryset.filter(history_user__username=filters.username)
    # Dates in the site's time zone (Swedish time), as the times are shown.
    local = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=local)
        queryset = queryset.filter(history_date__gte=start)
    if filters.date_to:
        end = datetime.datetime.combine(filters.date_to, datetime.time.max, tzinfo=local)
        queryset = queryset.filter(history_date__lte=end)
    if filters.strategy:
        queryset = queryset.filter(_of_strategy(queryset.model, filters.strategy))
    return queryset.select_related("history_user", "history_organisation")


def audit_records(user, filters: AuditFilter, *, offset: int, limit: int) -> list:
    """The records visible to the user, newest first: `limit` of them from `offset`, merged from
    each audited model's history (each asked for no more than offset + limit rows)."""
    wanted = offset + limit
    streams = []
    for model in audited_models():
        if filters.model and model.instance_type._meta.label_lower != filters.model:
            continue
        if filters.strategy and _of_strategy(model, filters.strategy) is None:
            continue  # no record of this model belongs to a strategy
        queryset = _scoped(model.objects.all(), user, filters).order_by("-history_date")
        streams.append(list(queryset[:wanted]))
    newest_first = merge(*streams, key=lambda record: record.history_date, reverse=True)
    return list(islice(newest_first, offset, wanted))


def _shown(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


# The relations each model's name (its __str__) reads, fetched for all the records of a page at
# once (one query a relation and model) rather than once a record.
LABEL_RELATIONS: dict[str, tuple[str, ...]] = {
    "strategy.strategyversion": ("strategy",),
    "strategy.adoption": ("version__strategy", "organisation"),
    "strategy.sectioncomment": ("author", "section"),
    "strategy.sectionlink": ("section", "item"),
    "consultation.consultee": ("organisation", "round"),
    "consultation.delivery": ("consultee__organisation",),
    "consultation.answer": ("consultee__organisation",),
    "consultation.answercomment": ("answer__consultee__organisation", "section"),
    "consultation.publiccomment": ("section",),
    "consultation.disposition": (
        "comment__answer__consultee__organisation",
        "comment__section",
        "public_comment__section",
        "outcome",
    ),
    "implementation.implementationsettings": ("strategy",),
    "implementation.initiativesection": ("initiative",),
    "implementation.progressupdate": ("initiative",),
    "implementation.moderationdecision": ("initiative",),
    "indicators.indicatorlink": ("indicator", "strategy"),
    "indicators.target": ("indicator",),
    "organisations.membership": ("user", "organisation"),
    "organisations.invitation": ("organisation",),
    "accounts.signup": ("user",),
    "accounts.joinrequest": ("person", "organisation"),
    "reports.adoptedreport": ("strategy",),
    "reports.reviewcomment": ("report__strategy",),
}


def _objects_named(records) -> dict:
    """Each record's object as it was, with the relations its name reads fetched together."""
    objects = {record: record.history_object for record in records}
    by_model: dict = {}
    for record, instance in objects.items():
        by_model.setdefault(record.instance_type, []).append(instance)
    for model, instances in by_model.items():
        relations = LABEL_RELATIONS.get(model._meta.label_lower, ())
        if relations:
            prefetch_related_objects(instances, *relations)
    return objects


def _label(record, instance) -> str:
    try:
        return str(instance)
    except Exception:  # noqa: BLE001 (an object whose relations are gone still gets a line)
        return f"#{record.pk}"


@dataclass
class _RawChange:
    field: object  # the model field, or None for a name the model no longer has
    name: str
    old: object
    new: object


def _previous_records(records) -> dict:
    """The record before each changed one (of the same object), in one query per model: what
    `prev_record` would ask once a record."""
    changed: dict = {}
    for record in records:
        if record.history_type == "~":
            changed.setdefault(type(record), []).append(record)
    previous = {}
    for model, those in changed.items():
        key = model.instance_type._meta.pk.attname
        before = (
            model.objects.filter(**{key: OuterRef(key)}, history_date__lt=OuterRef("history_date"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        wanted = model.objects.filter(history_id__in=[r.history_id for r in those]).annotate(
            before=Subquery(before)
        )
        found: dict = {}
        for candidate in model.objects.filter(history_id__in=wanted.values("before")):
            found.setdefault(getattr(candidate, key), []).append(candidate)
        for record in those:
            earlier = [
                candidate
                for candidate in found.get(getattr(record, key), ())
                if candidate.history_date < record.history_date
            ]
            previous[record] = max(
                earlier, key=lambda c: (c.history_date, c.history_id), default=None
            )
    return previous


def _raw_changes(record, previous) -> list[_RawChange]:
    fields = [f for f in record.instance_type._meta.fields if hasattr(record, f.attname)]
    if record.history_type == "+":
        return [
            _RawChange(f, str(f.verbose_name), None, getattr(record, f.attname))
            for f in fields
            if getattr(record, f.attname) not in (None, "", [], {})
        ]
    if record.history_type == "-":
        return []
    if previous is None:
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    names = {f.name: f for f in fields}
    return [
        _RawChange(
            names.get(change.field),
            str(names[change.field].verbose_name) if change.field in names else change.field,
            change.old,
            change.new,
        )
        for change in delta.changes
    ]


def _related_names(raw: list[_RawChange]) -> dict[tuple, str]:
    """The names of the objects the changed foreign keys point to: one query per related model."""
    wanted: dict = {}
    for change in raw:
        if change.field is not None and change.field.many_to_one:
            ids = wanted.setdefault(change.field.related_model, set())
            ids.update(v for v in (change.old, change.new) if v not in (None, ""))
    names = {}
    for model, ids in wanted.items():
        for pk, instance in model._default_manager.in_bulk(ids).items():
            names[(model, pk)] = str(instance)
    return names


def _readable(field, value, names: dict) -> str:
    """A value as a person reads it: the label of a choice, the name of a related object, yes or
    no, a time to the minute in Swedish time."""
    if value in (None, ""):
        return ""
    if field is not None and field.choices:
        return _shown(dict(field.flatchoices).get(value, value))
    if field is not None and field.many_to_one:
        return _shown(names.get((field.related_model, _pk(field, value)), f"#{value}"))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    return _shown(value)


def _pk(field, value):
    try:
        return field.related_model._meta.pk.to_python(value)
    except Exception:  # noqa: BLE001 (a value the key no longer parses is shown as it is)
        return value


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def audit_entries(records) -> list[AuditEntry]:
    labels = {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}
    before = _previous_records(records)
    raw = {record: _raw_changes(record, before.get(record)) for record in records}
    shown = _objects_named(records)
    names = _related_names([change for changes in raw.values() for change in changes])
    return [
        AuditEntry(
            record=record,
            model_name=str(record.instance_type._meta.verbose_name),
            action=labels[ACTIONS[record.history_type]],
            object_label=_label(record, shown[record]),
            changes=[
                FieldChange(
                    change.name,
                    _readable(change.field, change.old, names),
                    _readable(change.field, change.new, names),
                )
                for change in raw[record]
            ],
        )
        for record in records
    ]


def organisation_trail_link(organisation: Organisation, user) -> dict | None:
    """On an organisation's page, for those who read its audit trail: the trail, filtered to it."""
    if not user.is_authenticated:
        return None
    if not organisation_choices(user).filter(pk=organisation.pk).exists():
        return None
    query = urlencode({"organisation": organisation.pk})
    return {"url": f"{reverse('audit:log')}?{query}", "organisation": organisation}

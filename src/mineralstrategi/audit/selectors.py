"""The audit trail read across every audited model (those whose history records carry the
organisation, see `organisations.history`), newest first, with the field-level change of each
record against the one before it."""

import datetime
from dataclasses import dataclass, field
from heapq import merge
from itertools import islice

from django.apps import apps
from django.utils.translation import gettext as _

from mineralstrategi.organisations.history import AuditedHistoricalModel
from mineralstrategi.organisations.models import Organisation

from .rules import AUDIT_TRAIL, AUDITED_ORGANISATIONS

VALUE_LIMIT = 300


@dataclass
class AuditFilter:
    model: str = ""  # "app_label.modelname" of the audited (not the historical) model
    username: str = ""
    organisation: int | None = None
    date_from: datetime.date | None = None  # UTC dates, both inclusive
    date_to: datetime.date | None = None


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
    utc = datetime.UTC
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=utc)
        queryset = queryset.filter(history_date__gte=start)
    if filters.date_to:
        end = datetime.datetime.combine(filters.date_to, datetime.time.max, tzinfo=utc)
        queryset = queryset.filter(history_date__lte=end)
    return queryset.select_related("history_user", "history_organisation")


def audit_records(user, filters: AuditFilter, *, offset: int, limit: int) -> list:
    """The records visible to the user, newest first: `limit` of them from `offset`, merged from
    each audited model's history (each asked for no more than offset + limit rows)."""
    wanted = offset + limit
    streams = []
    for model in audited_models():
        if filters.model and model.instance_type._meta.label_lower != filters.model:
            continue
        queryset = _scoped(model.objects.all(), user, filters).order_by("-history_date")
        streams.append(list(queryset[:wanted]))
    newest_first = merge(*streams, key=lambda record: record.history_date, reverse=True)
    return list(islice(newest_first, offset, wanted))


def _shown(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def _label(record) -> str:
    try:
        return str(record.history_object)
    except Exception:  # noqa: BLE001 (an object whose relations are gone still gets a line)
        return f"#{record.pk}"


def _changes(record) -> list[FieldChange]:
    fields = [f for f in record.instance_type._meta.fields if hasattr(record, f.attname)]
    if record.history_type == "+":
        return [
            FieldChange(str(f.verbose_name), "", _shown(getattr(record, f.attname)))
            for f in fields
            if getattr(record, f.attname) not in (None, "", [], {})
        ]
    if record.history_type == "-":
        return []
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    names = {f.name: f for f in fields}
    return [
        FieldChange(
            str(names[change.field].verbose_name) if change.field in names else change.field,
            _shown(change.old),
            _shown(change.new),
        )
        for change in delta.changes
    ]


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def audit_entries(records) -> list[AuditEntry]:
    labels = {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}
    return [
        AuditEntry(
            record=record,
            model_name=str(record.instance_type._meta.verbose_name),
            action=labels[ACTIONS[record.history_type]],
            object_label=_label(record),
            changes=_changes(record),
        )
        for record in records
    ]

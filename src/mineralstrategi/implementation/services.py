"""Writes to initiatives, their funding, milestones and progress, and to action plans.

Each service checks the user's permission on the object, validates the whole input before it
writes anything, owns its transaction and leaves its change in the history (django-simple-history).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mineralstrategi.notifications import kinds
from mineralstrategi.notifications import services as notifications
from mineralstrategi.organisations.models import Municipality, Organisation
from mineralstrategi.services import acting_user, require, with_history_user
from mineralstrategi.strategy.models import Strategy

from . import selectors
from .models import (
    INITIATIVE_FIELDS,
    ActionPlan,
    FundingKind,
    FundingSource,
    ImplementationSettings,
    Initiative,
    InitiativeSection,
    InitiativeStatus,
    Milestone,
    ProgressUpdate,
    Weighting,
)


@dataclass
class FundingRow:
    kind: str
    amount: Decimal
    funder: str = ""


@dataclass
class MilestoneRow:
    title: str
    due_date: datetime.date
    reached: bool = False


@dataclass(init=False)
class InitiativeInput:
    """What a contributor states about an initiative: its own fields by name (those of
    `INITIATIVE_FIELDS`, validated by the model), and what it serves, with whom, where, and its
    funding and milestones. The lead organisation is not part of it: it is the organisation the
    contributor acts for. A field not given keeps its value (a new initiative: the model's
    default)."""

    fields: dict[str, object]
    section_keys: Sequence[str]
    partner_ids: Sequence[int]
    municipality_codes: Sequence[str]
    action_plan_ids: Sequence[int]
    funding: Sequence[FundingRow]
    milestones: Sequence[MilestoneRow]
    is_example: bool

    def __init__(
        self,
        *,
        section_keys: Sequence[str] = (),
        partner_ids: Sequence[int] = (),
        municipality_codes: Sequence[str] = (),
        action_plan_ids: Sequence[int] = (),
        funding: Sequence[FundingRow] = (),
        milestones: Sequence[MilestoneRow] = (),
        is_example: bool = False,
        **fields,
    ):
        unknown = sorted(set(fields) - set(INITIATIVE_FIELDS))
        if unknown:
            raise TypeError(f"An initiative states no field {', '.join(unknown)}.")
        self.fields = fields
        self.section_keys = section_keys
        self.partner_ids = partner_ids
        self.municipality_codes = municipality_codes
        self.action_plan_ids = action_plan_ids
        self.funding = funding
        self.milestones = milestones
        self.is_example = is_example


def _decimal(value, field_name: str, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field_name, []).append(_("Enter an amount in SEK, e.g. 250000."))
        return None
    if not amount.is_finite():
        errors.setdefault(field_name, []).append(_("Enter an amount in SEK, e.g. 250000."))
        return None
    if amount < 0:
        errors.setdefault(field_name, []).append(_("The amount cannot be negative."))
        return None
    return amount


def _apply(initiative: Initiative, data: InitiativeInput) -> dict:
    """Set the stated fields on the (unsaved) initiative; their errors by field, as the model
    validates them (its fields' types, choices and bounds, and `Initiative.clean`)."""
    for name, value in data.fields.items():
        setattr(initiative, name, value.strip() if isinstance(value, str) else value)
    initiative.is_example = data.is_example
    not_stated = [f.name for f in Initiative._meta.fields if f.name not in INITIATIVE_FIELDS]
    try:
        initiative.full_clean(exclude=not_stated, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def _validate(strategy: Strategy, data: InitiativeInput) -> dict:
    """Every error of what the initiative serves and of its funding, by field."""
    errors: dict[str, list] = {}
    servable = {str(section.key) for section in selectors.servable_sections(strategy)}
    unknown = {str(key) for key in data.section_keys} - servable
    if unknown:
        errors["sections"] = [_("Choose directions, goals or actions of this strategy.")]
    if not data.section_keys:
        errors["sections"] = [_("Choose at least one direction, goal or action it serves.")]
    for row_number, row in enumerate(data.funding, start=1):
        if row.kind not in FundingKind.values:
            errors.setdefault("funding", []).append(
                _("Funding row %(row)s: choose a kind of source.") % {"row": row_number}
            )
        row_errors: dict = {}
        _decimal(row.amount, "amount", row_errors)
        for message in row_errors.get("amount", []):
            errors.setdefault("funding", []).append(
                _("Funding row %(row)s: %(message)s") % {"row": row_number, "message": message}
            )
    plan_ids = set(data.action_plan_ids)
    if plan_ids and ActionPlan.objects.filter(strategy=strategy, pk__in=plan_ids).count() != len(
        plan_ids
    ):
        errors["action_plans"] = [_("Choose action plans of this strategy.")]
    return errors


def _write_relations(initiative: Initiative, data: InitiativeInput, user) -> None:
    initiative.partners.set(
        Organisation.objects.filter(pk__in=data.partner_ids).exclude(
            pk=initiative.lead_organisation_id
        )
    )
    initiative.municipalities.set(Municipality.objects.filter(code__in=data.municipality_codes))
    initiative.action_plans.set(data.action_plan_ids)
    initiative.section_links.all().delete()
    InitiativeSection.objects.bulk_create(
        InitiativeSection(initiative=initiative, section_key=key)
        for key in sorted({str(key) for key in data.section_keys})
    )
    initiative.funding.all().delete()
    for row in data.funding:
        with_history_user(
            FundingSource(
                initiative=initiative,
                kind=row.kind,
                funder=row.funder,
                amount=Decimal(str(row.amount)),
            ),
            user,
        ).save()
    initiative.milestones.all().delete()
    for row in data.milestones:
        with_history_user(
            Milestone(
                initiative=initiative,
                title=row.title,
                due_date=row.due_date,
                reached=row.reached,
            ),
            user,
        ).save()


@transaction.atomic
def initiative_create(
    *, strategy: Strategy, organisation: Organisation, user, data: InitiativeInput
) -> Initiative:
    """Register an initiative led by `organisation`, for which `user` acts. It is listed against
    the strategy once a strategy editor approves it."""
    require(user, "implementation.add_initiative", organisation)
    initiative = Initiative(
        strategy=strategy,
        lead_organisation=organisation,
        created_by=acting_user(user),
    )
    errors = _apply(initiative, data) | _validate(strategy, data)
    if errors:
        raise ValidationError(errors)
    with_history_user(initiative, user).save()
    _write_relations(initiative, data, user)
    return initiative


@transaction.atomic
def initiative_update(initiative: Initiative, *, user, data: InitiativeInput) -> Initiative:
    require(user, "implementation.change_initiative", initiative)
    errors = _apply(initiative, data) | _validate(initiative.strategy, data)
    if errors:
        raise ValidationError(errors)
    with_history_user(initiative, user).save()
    _write_relations(initiative, data, user)
    return initiative


@transaction.atomic
def initiative_approve(initiative: Initiative, *, user) -> Initiative:
    """List the initiative against the strategy."""
    require(user, "implementation.approve_initiative", initiative)
    if initiative.approved_at is None:
        initiative.approved_at = timezone.now()
        initiative.approved_by = user
        with_history_user(initiative, user).save(update_fields=["approved_at", "approved_by"])
        notifications.notify(
            kinds.INITIATIVE_APPROVED,
            about=initiative,
            actor=user,
            subjects=[initiative, initiative.lead_organisation],
            params={"initiative": initiative.title},
            url=initiative.get_absolute_url(),
        )
    return initiative


@transaction.atomic
def initiative_unlist(initiative: Initiative, *, user) -> Initiative:
    """Take an approved initiative off the strategy's lists (it stays with its organisation)."""
    require(user, "implementation.approve_initiative", initiative)
    if initiative.approved_at is not None:
        initiative.approved_at = None
        initiative.approved_by = None
        with_history_user(initiative, user).save(update_fields=["approved_at", "approved_by"])
    return initiative


@transaction.atomic
def progress_update_add(
    initiative: Initiative,
    *,
    user,
    date: datetime.date,
    progress: int,
    text: str,
    status: str | None = None,
) -> ProgressUpdate:
    """A dated progress note; the newest one sets the initiative's progress (and status)."""
    require(user, "implementation.change_initiative", initiative)
    errors = {}
    if not 0 <= int(progress) <= 100:
        errors["progress"] = [_("Progress is a percentage from 0 to 100.")]
    if not text.strip():
        errors["text"] = [_("Say what happened.")]
    if status and status not in InitiativeStatus.values:
        errors["status"] = [_("Choose a status from the list.")]
    if errors:
        raise ValidationError(errors)
    update = with_history_user(
        ProgressUpdate(
            initiative=initiative,
            date=date,
            progress=int(progress),
            text=text.strip(),
            author=user,
        ),
        user,
    )
    update.save()
    latest = initiative.updates.order_by("-date", "-pk").first()
    if latest.pk == update.pk:
        initiative.progress = update.progress
        if status:
            initiative.status = status
        with_history_user(initiative, user).save(update_fields=["progress", "status"])
    return update


def settings_for(strategy: Strategy) -> ImplementationSettings:
    found, _created = ImplementationSettings.objects.get_or_create(strategy=strategy)
    return found


@transaction.atomic
def weighting_set(strategy: Strategy, *, user, weighting: str) -> ImplementationSettings:
    require(user, "implementation.change_implementationsettings", strategy)
    if weighting not in Weighting.values:
        raise ValidationError({"weighting": _("Choose budget or equal weighting.")})
    found = settings_for(strategy)
    found.weighting = weighting
    with_history_user(found, user).save()
    return found


@transaction.atomic
def action_plan_create(
    strategy: Strategy,
    *,
    user,
    title: str,
    first_year: int,
    last_year: int,
    description: str = "",
    initiatives: Iterable[Initiative] = (),
    is_example: bool = False,
) -> ActionPlan:
    require(user, "implementation.change_actionplan", strategy)
    if last_year < first_year:
        raise ValidationError({"last_year": _("The last year comes before the first year.")})
    plan = with_history_user(
        ActionPlan(
            strategy=strategy,
            title=title,
            first_year=first_year,
            last_year=last_year,
            description=description,
            is_example=is_example,
        ),
        user,
    )
    plan.save()
    plan.initiatives.set(initiatives)
    return plan

"""Writes to initiatives, their funding, milestones and progress, and to action plans.

Each service checks the user's permission on the object, validates the whole input before it
writes anything, owns its transaction and leaves its change in the history (django-simple-history).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mineralstrategi.notifications import kinds
from mineralstrategi.notifications import services as notifications
from mineralstrategi.organisations.models import Municipality, Organisation, Role
from mineralstrategi.services import acting_user, require, with_history_user
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.strategy.models import Strategy

from . import selectors
from .models import (
    INITIATIVE_FIELDS,
    ActionPlan,
    Decision,
    FundingKind,
    FundingSource,
    ImplementationSettings,
    Initiative,
    InitiativeSection,
    InitiativeStatus,
    Milestone,
    Moderation,
    ModerationDecision,
    ProgressUpdate,
    Weighting,
)
from .rules import CONTRIBUTOR_OR_HIGHER


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


# --- Moderation ---------------------------------------------------------------------------------

REASON_MAX_LENGTH = 2000


def submitters_of(initiative: Initiative) -> list[int]:
    """Who is told of a moderation decision: the person who registered the initiative, while
    active and still acting for its lead organisation; else the lead organisation's members who
    may change it (contributor or higher)."""
    members = get_user_model().objects.filter(
        is_active=True,
        memberships__organisation_id=initiative.lead_organisation_id,
        memberships__role__in=CONTRIBUTOR_OR_HIGHER,
    )
    if initiative.created_by_id and members.filter(pk=initiative.created_by_id).exists():
        return [initiative.created_by_id]
    return sorted(set(members.values_list("pk", flat=True)))


def moderators_of(initiative: Initiative) -> list[int]:
    """The strategy editors of the initiative's partnership (who moderate it)."""
    return strategy_selectors.partnership_member_ids(
        initiative.strategy, roles=[Role.STRATEGY_EDITOR]
    )


def _locked(initiative: Initiative) -> Initiative:
    """The initiative's moderation fields as they are now, its row locked until the commit."""
    current = (
        Initiative.objects.select_for_update()
        .only("pk", "moderation", "approved_at", "approved_by", "updated_at")
        .get(pk=initiative.pk)
    )
    initiative.moderation = current.moderation
    initiative.approved_at = current.approved_at
    initiative.approved_by_id = current.approved_by_id
    initiative.updated_at = current.updated_at
    return initiative


def _reason(reason: str | None, *, required: bool, decision: str) -> str:
    text = (reason or "").strip()
    if required and not text:
        raise ValidationError({"reason": [REASON_REQUIRED[decision]()]})
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason within %(limit)s characters (it has %(count)s).")
                    % {"limit": REASON_MAX_LENGTH, "count": len(text)}
                ]
            }
        )
    return text


REASON_REQUIRED = {
    Decision.RETURNED: lambda: _("Say what the organisation should change: a reason is required."),
    Decision.REJECTED: lambda: _("Say why the initiative is rejected: a reason is required."),
}


def _record(initiative: Initiative, *, user, decision: str, reason: str = "") -> ModerationDecision:
    record = with_history_user(
        ModerationDecision(
            initiative=initiative,
            decision=decision,
            reason=reason,
            decided_by=acting_user(user),
        ),
        user,
    )
    record.save()
    return record


def _save_state(initiative: Initiative, user, state: str) -> None:
    initiative.moderation = state
    if state == Moderation.APPROVED:
        initiative.approved_at = timezone.now()
        initiative.approved_by = acting_user(user)
    else:
        initiative.approved_at = None
        initiative.approved_by = None
    with_history_user(initiative, user).save(
        update_fields=["moderation", "approved_at", "approved_by"]
    )


def _tell_submitters(initiative: Initiative, kind: str, *, user, reason: str) -> None:
    notifications.notify(
        kind,
        about=initiative,
        actor=user,
        recipients=submitters_of(initiative),
        params={"initiative": initiative.title, "reason": reason},
        url=initiative.get_absolute_url(),
        view_permission="implementation.view_moderation",
    )


@transaction.atomic
def initiative_approve(initiative: Initiative, *, user, reason: str = "") -> Initiative:
    """List the initiative against the strategy (an approved one stays as it is). The person who
    registered it is told, with the editor's note when there is one; the followers of the
    initiative and of its lead organisation are told that it is approved."""
    require(user, "implementation.approve_initiative", initiative)
    reason = _reason(reason, required=False, decision=Decision.APPROVED)
    _locked(initiative)
    if initiative.approved_at is not None:
        return initiative
    if initiative.moderation_state == Moderation.REJECTED:
        raise ValidationError(
            _(
                "“%(initiative)s” is rejected, and a rejected initiative is not approved: the "
                "organisation may register it anew."
            )
            % {"initiative": initiative}
        )
    _save_state(initiative, user, Moderation.APPROVED)
    _record(initiative, user=user, decision=Decision.APPROVED, reason=reason)
    notifications.notify(
        kinds.INITIATIVE_APPROVED,
        about=initiative,
        actor=user,
        subjects=[initiative, initiative.lead_organisation],
        recipients=[] if reason else submitters_of(initiative),
        params={"initiative": initiative.title},
        url=initiative.get_absolute_url(),
    )
    if reason:
        _tell_submitters(initiative, kinds.INITIATIVE_APPROVED_NOTE, user=user, reason=reason)
    return initiative


@transaction.atomic
def initiative_return(initiative: Initiative, *, user, reason: str) -> ModerationDecision:
    """Send an initiative awaiting approval back to its lead organisation for changes, saying
    what to change; the person who registered it is told, with the reason."""
    require(user, "implementation.approve_initiative", initiative)
    reason = _reason(reason, required=True, decision=Decision.RETURNED)
    _locked(initiative)
    if initiative.moderation_state != Moderation.PENDING:
        raise ValidationError(
            _(
                "Only an initiative awaiting approval is returned for changes; “%(initiative)s” "
                "is %(state)s."
            )
            % {"initiative": initiative, "state": initiative.get_moderation_state_display().lower()}
        )
    _save_state(initiative, user, Moderation.RETURNED)
    record = _record(initiative, user=user, decision=Decision.RETURNED, reason=reason)
    _tell_submitters(initiative, kinds.INITIATIVE_RETURNED, user=user, reason=reason)
    return record


@transaction.atomic
def initiative_reject(initiative: Initiative, *, user, reason: str) -> ModerationDecision:
    """Refuse to list an initiative (awaiting approval, or returned for changes), saying why; the
    person who registered it is told, with the reason. An approved initiative is unlisted
    first."""
    require(user, "implementation.approve_initiative", initiative)
    reason = _reason(reason, required=True, decision=Decision.REJECTED)
    _locked(initiative)
    state = initiative.moderation_state
    if state == Moderation.APPROVED:
        raise ValidationError(
            _("“%(initiative)s” is approved: unlist it before you reject it.")
            % {"initiative": initiative}
        )
    if state == Moderation.REJECTED:
        raise ValidationError(
            _("“%(initiative)s” is rejected already.") % {"initiative": initiative}
        )
    _save_state(initiative, user, Moderation.REJECTED)
    record = _record(initiative, user=user, decision=Decision.REJECTED, reason=reason)
    _tell_submitters(initiative, kinds.INITIATIVE_REJECTED, user=user, reason=reason)
    return record


@transaction.atomic
def initiative_resubmit(initiative: Initiative, *, user) -> ModerationDecision:
    """The lead organisation submits an initiative returned for changes again, once it has
    changed it: it awaits approval again, and the strategy editors are told."""
    require(user, "implementation.resubmit_initiative", initiative)
    _locked(initiative)
    if initiative.moderation_state != Moderation.RETURNED:
        raise ValidationError(
            _(
                "Only an initiative returned for changes is submitted again; “%(initiative)s” "
                "is %(state)s."
            )
            % {"initiative": initiative, "state": initiative.get_moderation_state_display().lower()}
        )
    returned = (
        initiative.moderation_decisions.filter(decision=Decision.RETURNED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if returned is not None and initiative.updated_at <= returned.decided_at:
        raise ValidationError(
            _(
                "Change the initiative as the strategy editor asked before you submit it again: "
                "it has not been changed since it was returned."
            )
        )
    _save_state(initiative, user, Moderation.PENDING)
    record = _record(initiative, user=user, decision=Decision.RESUBMITTED)
    notifications.notify(
        kinds.INITIATIVE_RESUBMITTED,
        about=initiative,
        actor=user,
        recipients=moderators_of(initiative),
        params={"initiative": initiative.title},
        url=initiative.get_absolute_url(),
        view_permission="implementation.approve_initiative",
    )
    return record


@transaction.atomic
def initiative_unlist(initiative: Initiative, *, user, reason: str = "") -> Initiative:
    """Take an approved initiative off the strategy's lists (it stays with its organisation and
    awaits approval again)."""
    require(user, "implementation.approve_initiative", initiative)
    reason = _reason(reason, required=False, decision=Decision.UNLISTED)
    _locked(initiative)
    if initiative.approved_at is not None:
        _save_state(initiative, user, Moderation.PENDING)
        _record(initiative, user=user, decision=Decision.UNLISTED, reason=reason)
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

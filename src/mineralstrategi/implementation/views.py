"""Pages of a strategy's implementation: the roll-up, the initiatives (list, register, edit,
approve, progress), the action plans and the public "how to contribute" pages.

Each view: a guard (the permission on the object), one selector or service call, and errors
translated for the user.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mineralstrategi.exports import Column, table_of, table_response
from mineralstrategi.guards import refusals
from mineralstrategi.organisations import profiles
from mineralstrategi.organisations.models import Municipality, Organisation
from mineralstrategi.paging import page_of
from mineralstrategi.query import query_parameters
from mineralstrategi.services import require
from mineralstrategi.strategy.models import Strategy

from . import selectors, services
from .forms import (
    ActionPlanForm,
    ActionPlanQuery,
    FundingFormSet,
    InitiativeForm,
    InitiativeListQuery,
    MilestoneFormSet,
    ModerationForm,
    ProgressUpdateForm,
    RollupQuery,
    WeightingForm,
    initiative_input,
    relations_initial,
)
from .models import INITIATIVE_FIELDS, InitiativeStatus


def filters_from(query: dict) -> selectors.InitiativeFilter:
    """The list's filters from its checked query parameters (`InitiativeListQuery`)."""
    return selectors.InitiativeFilter(
        section=str(query["section"]) if query["section"] else None,
        organisation=query["organisation"],
        municipality=query["municipality"],
        status=query["status"],
        period=query["period"],
        action_plan=query["plan"],
    )


def implementation_home(request):
    return render(
        request,
        "implementation/home.html",
        {"strategies": Strategy.objects.order_by("-start_year", "title")},
    )


@query_parameters(RollupQuery)
def rollup_page(request, slug: str, query):
    strategy = selectors.strategy_for_implementation(slug)
    figures = selectors.strategy_rollup(strategy)
    if export := query["export"]:
        return table_response(
            export,
            f"{strategy.slug}-uppfoljning",
            ["outline", "kind", "title", "key", "initiatives", "budget_sek", "progress_percent"],
            (
                [
                    row.section.outline,
                    row.section.kind,
                    row.section.title,
                    str(row.section.key),
                    row.result.count,
                    row.result.budget,
                    None if row.result.progress is None else round(row.result.progress, 1),
                ]
                for row in figures.rows
            ),
        )
    return render(
        request,
        "implementation/rollup.html",
        {
            "strategy": strategy,
            "rollup": figures,
            "weighting_form": WeightingForm(initial={"weighting": figures.weighting})
            if request.user.has_perm("implementation.change_implementationsettings", strategy)
            else None,
        },
    )


@query_parameters(InitiativeListQuery)
def initiative_list(request, slug: str, query):
    strategy = selectors.strategy_for_implementation(slug)
    filters = filters_from(query)
    if export := query["export"]:
        initiatives = selectors.initiative_list(strategy, request.user, filters)
        return _initiatives_download(strategy, initiatives, export)
    initiatives = selectors.initiative_queryset(strategy, request.user, filters)
    page = page_of(request, initiatives, query["page"])
    page.object_list = selectors.attach_sections(strategy, page.object_list)
    return render(
        request,
        "implementation/initiative_list.html",
        {
            "strategy": strategy,
            "page": page,
            "filters": filters,
            "sections": selectors.servable_sections(strategy),
            "organisations": selectors.participating_organisations(strategy),
            "statuses": InitiativeStatus.choices,
            "may_register": bool(selectors.organisations_for_user(request.user)),
            "awaiting": (
                selectors.initiatives_awaiting_approval(strategy)
                if request.user.has_perm("implementation.approve_initiative", strategy)
                else []
            ),
        },
    )


def _joined(texts) -> str:
    return "; ".join(texts)


# The initiatives' download: the model's fields by name, and the columns computed from relations.
# The initiatives' own fields as the model and the API name them, then their relations.
INITIATIVE_COLUMNS = [
    Column("id", "pk"),
    *(Column(name, name) for name in INITIATIVE_FIELDS),
    Column("lead_organisation", "lead_organisation.name"),
    Column("partners", lambda i: _joined(p.name for p in i.partners.all())),
    Column("sections", lambda i: _joined(f"{s.outline} {s.title}" for s in i.sections)),
    Column("municipalities", lambda i: _joined(m.code for m in i.municipalities.all())),
    Column("funding", lambda i: _joined(f"{f.kind}:{f.amount}" for f in i.funding.all())),
    Column("approved", "is_approved"),
    Column("example_data", "is_example"),
]


def _initiatives_download(strategy, initiatives, export_format: str):
    """The initiatives' own fields (`INITIATIVE_FIELDS`, named as in the model and the API), then
    their relations."""
    header, rows = table_of(INITIATIVE_COLUMNS, initiatives)
    return table_response(export_format, f"{strategy.slug}-insatser", header, rows)


def _form_choices(strategy: Strategy, user) -> dict:
    return {
        "organisations": selectors.organisations_for_user(user),
        "sections": selectors.servable_sections(strategy),
        "partner_choices": Organisation.objects.order_by("name").values_list("pk", "name"),
        "municipality_choices": Municipality.objects.filter(county__in=strategy.counties.all())
        .order_by("name")
        .values_list("code", "name"),
        "plan_choices": [
            (p.pk, f"{p.title} ({p.period})") for p in selectors.action_plans(strategy)
        ],
    }


def _save_errors(form, error: ValidationError) -> None:
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field_name, field_errors in by_field.items():
        target = field_name if field_name in form.fields else None
        for message in field_errors:
            form.add_error(target, message)


@login_required
@refusals
def initiative_create(request, slug: str):
    strategy = selectors.strategy_for_implementation(slug)
    choices = _form_choices(strategy, request.user)
    if not choices["organisations"]:
        raise PermissionDenied(_("Only members of an organisation register initiatives."))
    data = request.POST if request.method == "POST" else None
    form = InitiativeForm(data, **choices)
    funding = FundingFormSet(data, prefix="funding")
    milestones = MilestoneFormSet(data, prefix="milestones")
    if data is not None and form.is_valid() and funding.is_valid() and milestones.is_valid():
        organisation = next(
            o for o in choices["organisations"] if o.pk == form.cleaned_data["organisation"]
        )
        try:
            initiative = services.initiative_create(
                strategy=strategy,
                organisation=organisation,
                user=request.user,
                data=initiative_input(form, funding, milestones),
            )
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(
                request,
                _("The initiative is registered. It is listed once a strategy editor approves it."),
            )
            return redirect(initiative.get_absolute_url())
    return render(
        request,
        "implementation/initiative_form.html",
        {"strategy": strategy, "form": form, "funding": funding, "milestones": milestones},
        status=400 if data is not None else 200,
    )


@login_required
@refusals
def initiative_edit(request, slug: str, pk: int):
    strategy = selectors.strategy_for_implementation(slug)
    initiative = selectors.initiative_get(strategy, pk, request.user)
    require(request.user, "implementation.change_initiative", initiative)
    choices = _form_choices(strategy, request.user)
    choices["organisations"] = [initiative.lead_organisation]
    data = request.POST if request.method == "POST" else None
    form = InitiativeForm(
        data, instance=initiative, initial=relations_initial(initiative), **choices
    )
    funding = FundingFormSet(
        data,
        prefix="funding",
        initial=[
            {"kind": f.kind, "funder": f.funder, "amount": f.amount}
            for f in initiative.funding.all()
        ],
    )
    milestones = MilestoneFormSet(
        data,
        prefix="milestones",
        initial=[
            {"title": m.title, "due_date": m.due_date, "reached": m.reached}
            for m in initiative.milestones.all()
        ],
    )
    if data is not None and form.is_valid() and funding.is_valid() and milestones.is_valid():
        try:
            services.initiative_update(
                initiative,
                user=request.user,
                data=initiative_input(form, funding, milestones),
            )
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, _("The initiative is saved."))
            return redirect(initiative.get_absolute_url())
    return render(
        request,
        "implementation/initiative_form.html",
        {
            "strategy": strategy,
            "initiative": initiative,
            "form": form,
            "funding": funding,
            "milestones": milestones,
        },
        status=400 if data is not None else 200,
    )


def _detail_context(request, strategy, initiative, **given) -> dict:
    """The initiative page's context: what the user may do there, and the moderation history for
    those who may read it (the strategy editors and the lead organisation's members)."""
    user = request.user
    may_change = user.has_perm("implementation.change_initiative", initiative)
    may_approve = user.has_perm("implementation.approve_initiative", initiative)
    may_read_moderation = user.has_perm("implementation.view_moderation", initiative)
    decisions = selectors.moderation_history(initiative) if may_read_moderation else []
    context = {
        "strategy": strategy,
        "initiative": initiative,
        "may_change": may_change,
        "may_approve": may_approve,
        "decisions": decisions,
        "latest_decision": decisions[0] if decisions else None,
        "may_resubmit": initiative.is_returned
        and user.has_perm("implementation.resubmit_initiative", initiative),
        "update_form": ProgressUpdateForm(initial={"progress": initiative.progress})
        if may_change
        else None,
        "moderation_form": ModerationForm(
            initial={"back": "initiative"}, prefix=f"i{initiative.pk}"
        )
        if may_approve and not initiative.is_approved and not initiative.is_rejected
        else None,
        "parts": profiles.parts_for("initiative", initiative, user),
    }
    context.update(given)
    return context


def initiative_detail(request, slug: str, pk: int):
    strategy = selectors.strategy_for_implementation(slug)
    initiative = selectors.initiative_get(strategy, pk, request.user)
    return render(
        request,
        "implementation/initiative_detail.html",
        _detail_context(request, strategy, initiative),
    )


@require_POST
@login_required
@refusals
def initiative_approve(request, slug: str, pk: int):
    strategy = selectors.strategy_for_implementation(slug)
    initiative = selectors.initiative_get(strategy, pk, request.user)
    try:
        if request.POST.get("action") == "unlist":
            services.initiative_unlist(initiative, user=request.user)
            messages.success(request, _("The initiative is no longer listed against the strategy."))
        else:
            services.initiative_approve(initiative, user=request.user)
            messages.success(
                request, _("The initiative is approved and listed against the strategy.")
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(initiative.get_absolute_url())


def _told(initiative, actor) -> str:
    """What the page says about who is told of a decision, as `services.submitters_of` finds
    them (never the one who decided): the notification is on the site, and mailed to those with
    an address as each one's notification settings say."""
    people = list(
        get_user_model()
        .objects.filter(pk__in=services.submitters_of(initiative))
        .exclude(pk=actor.pk)
        .order_by("pk")
    )
    if not people:
        return _(
            "No one is told: %(organisation)s has no other active member who may change the "
            "initiative."
        ) % {"organisation": initiative.lead_organisation.name}

    def names(group) -> str:
        return ", ".join(person.get_full_name() or person.get_username() for person in group)

    with_address = [person for person in people if person.email]
    without = [person for person in people if not person.email]
    said = []
    if with_address:
        said.append(
            _("%(people)s is told on the site, and by mail as their notification settings say.")
            % {"people": names(with_address)}
        )
    if without:
        said.append(
            _("%(people)s has no e-mail address and is told on the site only.")
            % {"people": names(without)}
        )
    return " ".join(said)


def moderation_page(request, slug: str, *, form_for: int | None = None, form=None, status=200):
    strategy = selectors.strategy_for_implementation(slug)
    require(request.user, "implementation.approve_initiative", strategy)
    awaiting = list(selectors.moderation_queue(strategy))
    for initiative in awaiting:
        initiative.moderation_form = (
            form
            if initiative.pk == form_for
            else ModerationForm(initial={"back": "moderation"}, prefix=f"i{initiative.pk}")
        )
    return render(
        request,
        "implementation/moderation.html",
        {
            "strategy": strategy,
            "awaiting": awaiting,
            "returned": selectors.initiatives_returned(strategy),
            "form": form,
        },
        status=status,
    )


@login_required
@refusals
def moderation(request, slug: str):
    return moderation_page(request, slug)


MODERATION_DONE = {
    ModerationForm.APPROVE: lambda: _(
        "The initiative is approved and listed against the strategy."
    ),
    ModerationForm.RETURN: lambda: _("The initiative is returned for changes."),
    ModerationForm.REJECT: lambda: _("The initiative is rejected."),
}


@require_POST
@login_required
@refusals
def initiative_moderate(request, slug: str, pk: int):
    """A strategy editor's decision: approve, return for changes or reject, with a reason."""
    strategy = selectors.strategy_for_implementation(slug)
    initiative = selectors.initiative_get(strategy, pk, request.user)
    require(request.user, "implementation.approve_initiative", initiative)
    form = ModerationForm(request.POST, prefix=f"i{initiative.pk}")
    back = request.POST.get(f"i{initiative.pk}-back") or "initiative"
    if form.is_valid():
        decide = {
            ModerationForm.APPROVE: services.initiative_approve,
            ModerationForm.RETURN: services.initiative_return,
            ModerationForm.REJECT: services.initiative_reject,
        }[form.cleaned_data["decision"]]
        try:
            decide(initiative, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(
                request,
                f"{MODERATION_DONE[form.cleaned_data['decision']]()} {_told(initiative, request.user)}",
            )
            if back == "moderation":
                return redirect("implementation:moderation", slug=strategy.slug)
            return redirect(initiative.get_absolute_url())
    if back == "moderation":
        return moderation_page(request, slug, form_for=initiative.pk, form=form, status=400)
    return render(
        request,
        "implementation/initiative_detail.html",
        _detail_context(request, strategy, initiative, moderation_form=form),
        status=400,
    )


@require_POST
@login_required
@refusals
def initiative_resubmit(request, slug: str, pk: int):
    """The lead organisation submits its changed initiative again after it was returned."""
    strategy = selectors.strategy_for_implementation(slug)
    initiative = selectors.initiative_get(strategy, pk, request.user)
    try:
        services.initiative_resubmit(initiative, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "The initiative is submitted again and awaits approval. The strategy editors are "
                "told on the site, and by mail as their notification settings say."
            ),
        )
    return redirect(initiative.get_absolute_url())


@require_POST
@login_required
@refusals
def progress_update(request, slug: str, pk: int):
    strategy = selectors.strategy_for_implementation(slug)
    initiative = selectors.initiative_get(strategy, pk, request.user)
    form = ProgressUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.progress_update_add(
                initiative,
                user=request.user,
                date=form.cleaned_data["date"],
                progress=form.cleaned_data["progress"],
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"] or None,
            )
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, _("The progress update is recorded."))
            return redirect(initiative.get_absolute_url())
    else:
        require(request.user, "implementation.change_initiative", initiative)
    return render(
        request,
        "implementation/initiative_detail.html",
        _detail_context(request, strategy, initiative, may_change=True, update_form=form),
        status=400,
    )


@require_POST
@login_required
@refusals
def weighting_set(request, slug: str):
    strategy = selectors.strategy_for_implementation(slug)
    form = WeightingForm(request.POST)
    if form.is_valid():
        services.weighting_set(
            strategy, user=request.user, weighting=form.cleaned_data["weighting"]
        )
        messages.success(request, _("The weighting is saved."))
    else:
        messages.error(request, _("Choose budget or equal weighting."))
    return redirect("implementation:rollup", slug=strategy.slug)


@refusals
@query_parameters(ActionPlanQuery)
def action_plan_list(request, slug: str, query):
    strategy = selectors.strategy_for_implementation(slug)
    may_plan = request.user.has_perm("implementation.change_actionplan", strategy)
    plan_form = ActionPlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(request.user, "implementation.change_actionplan", strategy)
        if plan_form.is_valid():
            plan = services.action_plan_create(
                strategy,
                user=request.user,
                initiatives=selectors.approved_active_between(
                    strategy,
                    plan_form.cleaned_data["first_year"],
                    plan_form.cleaned_data["last_year"],
                ),
                **plan_form.cleaned_data,
            )
            messages.success(
                request,
                _("The action plan is created with the approved initiatives of its period."),
            )
            return redirect(f"{request.path}?plan={plan.pk}")
    plans = list(selectors.action_plans(strategy))
    chosen = query["plan"] or (plans[-1].pk if plans else None)
    initiatives = (
        selectors.initiative_list(
            strategy,
            request.user,
            selectors.InitiativeFilter(action_plan=chosen, approved_only=True),
        )
        if chosen
        else []
    )
    return render(
        request,
        "implementation/action_plans.html",
        {
            "strategy": strategy,
            "plans": plans,
            "chosen": next((p for p in plans if p.pk == chosen), None),
            "initiatives": initiatives,
            "plan_form": plan_form if may_plan else None,
        },
        status=400 if plan_form.errors else 200,
    )


def contribute_index(request, slug: str):
    strategy = selectors.strategy_for_implementation(slug)
    directions, reporting = selectors.directions_overview(strategy)
    return render(
        request,
        "implementation/contribute_index.html",
        {"strategy": strategy, "directions": directions, "reporting": reporting},
    )


def contribute_direction(request, slug: str, key):
    strategy = selectors.strategy_for_implementation(slug)
    return render(
        request,
        "implementation/contribute_direction.html",
        {"strategy": strategy, "page": selectors.direction_page(strategy, key)},
    )

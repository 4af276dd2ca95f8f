"""Generated initiatives (with partners, municipalities, sections served, funding, milestones
and a progress update) and yearly action plans, all flagged as example data with history rows."""

import datetime
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from mineralstrategi.consultation.models import STOCKHOLM
from mineralstrategi.implementation.models import (
    ActionPlan,
    FundingKind,
    FundingSource,
    Initiative,
    InitiativeSection,
    InitiativeStatus,
    Milestone,
    ProgressUpdate,
)
from mineralstrategi.strategy.models import Section, SectionKind

from .context import Context
from .scales import LAST_YEAR
from .strategies import ACTIONS, GOALS, body

BATCH = 1000
TODAY = datetime.date(LAST_YEAR + 1, 1, 1)  # a fixed "today", so the data do not age with runs
PLAN_YEARS = 5


def implementation(ctx: Context) -> None:
    plans = _action_plans(ctx)
    initiatives = _initiatives(ctx)
    _relations(ctx, initiatives, plans)
    _details(ctx, initiatives)


def _action_plans(ctx: Context) -> dict[tuple[int, int], ActionPlan]:
    plans = [
        ActionPlan(
            strategy=strategy,
            title=f"Handlingsplan {year} (exempel)",
            first_year=year,
            last_year=year,
            description=body(ctx.rng(f"plan-{strategy.pk}-{year}"), 2),
            is_example=True,
        )
        for strategy in ctx.strategies
        for year in range(LAST_YEAR - PLAN_YEARS + 1, LAST_YEAR + 1)
    ]
    plans = bulk_create_with_history(plans, ActionPlan)
    ctx.done("action plans", len(plans))
    return {(p.strategy_id, p.first_year): p for p in plans}


def _status_and_progress(rng, start: datetime.date, end: datetime.date) -> tuple[str, int]:
    if rng.random() < 0.04:
        return InitiativeStatus.CANCELLED, rng.randint(0, 60)
    if end < TODAY:
        return InitiativeStatus.COMPLETED, 100
    if start > TODAY:
        return InitiativeStatus.PLANNED, 0
    share = (TODAY - start).days / max((end - start).days, 1)
    return InitiativeStatus.ONGOING, min(95, round(share * 100))


def _initiatives(ctx: Context) -> list[Initiative]:
    rng = ctx.rng("initiatives")
    leads = ctx.organisations + ctx.municipal_organisations
    initiatives = []
    for n in range(1, ctx.scale.initiatives + 1):
        start = datetime.date(LAST_YEAR - 9, 1, 1) + datetime.timedelta(days=rng.randint(0, 3800))
        end = start + datetime.timedelta(days=rng.randint(180, 5 * 365))
        status, progress = _status_and_progress(rng, start, end)
        lead = rng.choice(leads)
        user = ctx.member_of.get(lead.pk)
        approved = rng.random() < 0.9
        initiatives.append(
            Initiative(
                strategy=ctx.strategies[n % len(ctx.strategies)],
                title=f"Exempelinsats {n}: {rng.choice(ACTIONS)} – {rng.choice(GOALS).lower()}",
                description=body(rng, 5),
                lead_organisation=lead,
                start_date=start,
                end_date=end,
                budget=Decimal(rng.randint(2, 5000) * 10_000),
                status=status,
                progress=progress,
                results=body(rng, 2) if status == InitiativeStatus.COMPLETED else "",
                partners_wanted="Exempel: vi söker en partner för tester i fält."
                if rng.random() < 0.2
                else "",
                approved_at=datetime.datetime.combine(start, datetime.time(10), tzinfo=STOCKHOLM)
                if approved
                else None,
                approved_by=ctx.editors[n % len(ctx.editors)] if approved else None,
                created_by=user,
                is_example=True,
            )
        )
    initiatives = bulk_create_with_history(initiatives, Initiative, batch_size=BATCH)
    ctx.done("initiatives", len(initiatives))
    return initiatives


def _relations(ctx: Context, initiatives, plans) -> None:
    rng = ctx.rng("initiative-relations")
    keys = {
        strategy.pk: sorted(
            set(
                Section.objects.filter(
                    version__strategy=strategy, kind__in=[SectionKind.GOAL, SectionKind.ACTION]
                ).values_list("key", flat=True)
            )
        )
        for strategy in ctx.strategies
    }
    partners, municipalities, in_plans, served = [], [], [], []
    for initiative in initiatives:
        for organisation in rng.sample(ctx.organisations, rng.randint(0, 3)):
            if organisation.pk != initiative.lead_organisation_id:
                partners.append(
                    Initiative.partners.through(
                        initiative_id=initiative.pk, organisation_id=organisation.pk
                    )
                )
        for municipality in rng.sample(
            ctx.municipalities, min(rng.randint(1, 3), len(ctx.municipalities))
        ):
            municipalities.append(
                Initiative.municipalities.through(
                    initiative_id=initiative.pk, municipality_id=municipality.pk
                )
            )
        for year in initiative.years():
            plan = plans.get((initiative.strategy_id, year))
            if plan is not None and initiative.approved_at is not None:
                in_plans.append(
                    Initiative.action_plans.through(
                        initiative_id=initiative.pk, actionplan_id=plan.pk
                    )
                )
        for key in rng.sample(keys[initiative.strategy_id], 2):
            served.append(InitiativeSection(initiative=initiative, section_key=key))
    Initiative.partners.through.objects.bulk_create(partners, batch_size=BATCH)
    Initiative.municipalities.through.objects.bulk_create(municipalities, batch_size=BATCH)
    Initiative.action_plans.through.objects.bulk_create(in_plans, batch_size=BATCH)
    bulk_create_with_history(served, InitiativeSection, batch_size=BATCH)
    ctx.done("initiative partners", len(partners))
    ctx.done("initiative municipalities", len(municipalities))
    ctx.done("initiatives in action plans", len(in_plans))
    ctx.done("initiative sections served", len(served))


def _details(ctx: Context, initiatives) -> None:
    rng = ctx.rng("initiative-details")
    funding, milestones, updates = [], [], []
    kinds = FundingKind.values
    for initiative in initiatives:
        remaining = initiative.budget
        for kind in rng.sample(kinds, 2):
            amount = (remaining / 2).quantize(Decimal(1)) if remaining else Decimal(0)
            remaining -= amount
            funding.append(
                FundingSource(
                    initiative=initiative, kind=kind, funder="Exempelfinansiär", amount=amount
                )
            )
        middle = initiative.start_date + (initiative.end_date - initiative.start_date) / 2
        for due, title in ((middle, "Halvtidsavstämning"), (initiative.end_date, "Slutrapport")):
            milestones.append(
                Milestone(initiative=initiative, title=f"{title} (exempel)", due_date=due,
                          reached=due < TODAY)
            )  # fmt: skip
        if initiative.start_date < TODAY:
            updates.append(
                ProgressUpdate(
                    initiative=initiative,
                    date=min(TODAY, initiative.end_date),
                    progress=initiative.progress,
                    text=body(rng, 2),
                    author=initiative.created_by,
                )
            )
    bulk_create_with_history(funding, FundingSource, batch_size=BATCH)
    bulk_create_with_history(milestones, Milestone, batch_size=BATCH)
    bulk_create_with_history(updates, ProgressUpdate, batch_size=BATCH)
    ctx.done("funding sources", len(funding))
    ctx.done("milestones", len(milestones))
    ctx.done("progress updates", len(updates))

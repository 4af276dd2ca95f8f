"""The implementation part of the JSON API: initiatives (approved ones for the public; unapproved
ones only for their organisation and the strategy editors, as on the pages) and action plans."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Field, ModelSchema, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from mineralstrategi.apikit.pagination import BoundedLimitOffsetPagination
from mineralstrategi.apikit.responses import INVALID_INPUT, MAX_ID, NOT_FOUND, ObjectId, Text
from mineralstrategi.strategy.models import Strategy

from . import selectors
from .models import INITIATIVE_FIELDS, Initiative

router = Router(tags=["implementation"])


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str
    helix_role: str


class SectionRef(Schema):
    key: str
    kind: str
    outline: str
    title: str


class FundingOut(Schema):
    kind: str
    funder: str
    amount: Decimal


class MilestoneOut(Schema):
    title: str
    due_date: datetime.date
    reached: bool


class UpdateOut(Schema):
    date: datetime.date
    progress: int
    text: str


# The initiative's own fields come from the model (`INITIATIVE_FIELDS`); these long texts are in
# the detail only, so that a page of the list stays light.
LONG_TEXTS = ("description", "results")


class _InitiativeRelations(Schema):
    """What an initiative serves, with whom, where and with what money (not its own fields)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: int
    strategy: str = Field(..., alias="strategy.slug")
    lead_organisation: OrganisationRef
    partners: list[OrganisationRef]
    sections: list[SectionRef]
    municipality_codes: list[str]
    funding: list[FundingOut]
    approved: bool = Field(..., alias="is_approved")
    moderation: str = Field(
        ...,
        alias="moderation_state",
        description="pending, approved, returned (for changes) or rejected; only an approved "
        "initiative is public",
    )

    @staticmethod
    def resolve_partners(obj):
        return list(obj.partners.all())

    @staticmethod
    def resolve_sections(obj):
        return [
            {"key": str(s.key), "kind": s.kind, "outline": s.outline, "title": s.title}
            for s in obj.sections
        ]

    @staticmethod
    def resolve_municipality_codes(obj):
        return [m.code for m in obj.municipalities.all()]

    @staticmethod
    def resolve_funding(obj):
        return list(obj.funding.all())


class InitiativeOut(_InitiativeRelations, ModelSchema):
    class Meta:
        model = Initiative
        fields = [*(name for name in INITIATIVE_FIELDS if name not in LONG_TEXTS), "is_example"]


class InitiativeDetailOut(_InitiativeRelations, ModelSchema):
    milestones: list[MilestoneOut]
    updates: list[UpdateOut]

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_updates(obj):
        return obj.update_list

    class Meta:
        model = Initiative
        fields = [*INITIATIVE_FIELDS, "is_example"]


class InitiativeQuery(Schema):
    strategy: Text | None = Field(None, description="Strategy slug")
    section: UUID | None = Field(
        None, description="Section key: the section and everything under it"
    )
    organisation: Text | None = Field(None, description="Organisation slug, as lead or partner")
    municipality: str | None = Field(None, pattern=r"^\d{4}$")
    status: str | None = Field(None, pattern="^(planned|ongoing|completed|cancelled)$")
    period: int | None = Field(None, ge=1900, le=2200, description="A year: active that year")
    plan: int | None = Field(None, ge=1, le=MAX_ID, description="Action plan id")


class ActionPlanOut(Schema):
    id: int
    strategy: str = Field(..., alias="strategy.slug")
    title: str
    first_year: int
    last_year: int
    description: str
    initiative_count: int
    is_example: bool


class InitiativePagination(BoundedLimitOffsetPagination):
    """Limit and offset as for news and events; the page's initiatives get the sections they
    serve attached (per strategy, after slicing: only the page's rows are read)."""

    def paginate_queryset(self, queryset, pagination, **params):
        result = super().paginate_queryset(queryset, pagination, **params)
        result["items"] = selectors.attach_sections_across(list(result["items"]))
        return result


@router.get("/initiatives", response={200: list[InitiativeOut], **INVALID_INPUT})
@paginate(InitiativePagination)
def initiatives(request, filters: Query[InitiativeQuery]):
    """Initiatives by strategy, latest start first: `{"items": [...], "count": n}`, 100 a page
    unless `limit` says otherwise, from `offset`."""
    strategies = Strategy.objects.select_related("adopted_version").order_by("pk")
    if filters.strategy:
        strategies = strategies.filter(slug=filters.strategy)
    query = selectors.InitiativeFilter(
        section=str(filters.section) if filters.section else None,
        organisation=filters.organisation,
        municipality=filters.municipality,
        status=filters.status,
        period=filters.period,
        action_plan=filters.plan,
    )
    return selectors.initiatives_across(strategies, request.user, query)


@router.get(
    "/initiatives/{initiative_id}",
    response={200: InitiativeDetailOut, **NOT_FOUND, **INVALID_INPUT},
)
def initiative(request, initiative_id: ObjectId):
    found = get_object_or_404(Initiative.objects.select_related("strategy"), pk=initiative_id)
    return selectors.initiative_get(found.strategy, initiative_id, request.user)


@router.get("/action-plans", response={200: list[ActionPlanOut], **INVALID_INPUT})
def action_plans(request, strategy: Text | None = None):
    return selectors.action_plan_list(strategy_slug=strategy)

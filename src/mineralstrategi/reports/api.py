"""The follow-up part of the JSON API: a strategy's directions and goals with their verdicts."""

from django.http import Http404
from ninja import Field, Query, Router, Schema

from mineralstrategi.apikit.responses import INVALID_INPUT, NOT_FOUND, ObjectId
from mineralstrategi.indicators.api import (
    AdjustmentOut,
    CalendarBasisOut,
    RevisionOut,
    ScenarioOut,
    VerdictOut,
    analysis_data,
)
from mineralstrategi.strategy import selectors as strategy_selectors

from . import followup as followup_selectors

router = Router(tags=["follow-up"])


class FollowupQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="Values up to this year")
    price_change: float = Field(-0.30, gt=-1, le=10, description="-0.30 = the price falls 30 %")


class FollowupPlaceOut(Schema):
    geo: str
    place: str
    calendar: CalendarBasisOut
    raw_status: VerdictOut
    adjusted_status: VerdictOut
    adjusted_revision: RevisionOut = Field(
        ..., description="The band of the cycle-adjusted verdict: how provisional its end is"
    )
    adjustment: AdjustmentOut
    scenario: ScenarioOut
    notes: list[str]
    sentence: str


class FollowupIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    is_example: bool
    places: list[FollowupPlaceOut]


class FollowupSectionOut(Schema):
    key: str
    kind: str = Field(..., description="direction or goal")
    outline: str
    title: str
    indicators: list[FollowupIndicatorOut]
    initiatives: list[str]
    goals: list["FollowupSectionOut"]


FollowupSectionOut.model_rebuild()


class FollowupOut(Schema):
    strategy: int
    title: str
    version: int | None
    year: int
    price_change: float
    is_example: bool
    places: list[str] = Field(..., description="The county codes followed up")
    initiatives_available: bool = Field(
        True, description="Always true: initiatives are part of every follow-up (kept for clients)"
    )
    directions: list[FollowupSectionOut]


def _place(a) -> dict:
    data = analysis_data(a)
    keep = ("geo", "place", "calendar", "raw_status", "adjusted_status", "adjusted_revision",
            "adjustment", "scenario", "notes")  # fmt: skip
    return {key: data[key] for key in keep} | {"sentence": a.sentence}


def _section(item) -> dict:
    return {
        "key": str(item.section.key),
        "kind": item.section.kind,
        "outline": item.section.outline,
        "title": item.section.title,
        "indicators": [
            {
                "code": row.indicator.code,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "is_example": row.indicator.is_example,
                "places": [_place(a) for a in row.analyses],
            }
            for row in item.indicators
        ],
        "initiatives": [str(initiative) for initiative in item.initiatives],
        "goals": [_section(goal) for goal in item.goals],
    }


@router.get(
    "/strategies/{strategy_id}/followup", response={200: FollowupOut, **NOT_FOUND, **INVALID_INPUT}
)
def followup(request, strategy_id: ObjectId, query: Query[FollowupQuery]):
    """Each direction and goal of the followed-up version with its indicators' raw and
    cycle-adjusted verdicts, explanations and price scenario, for values up to ``year``."""
    strategy = strategy_selectors.strategy_get(pk=strategy_id)
    if strategy_selectors.strategy_public_version(strategy) is None and not request.user.has_perm(
        "strategy.view_draft", strategy
    ):
        raise Http404
    year = query.year or followup_selectors.latest_year(strategy) or strategy.start_year
    result = followup_selectors.followup_for(strategy, year, price_change=query.price_change)
    return {
        "strategy": strategy.pk,
        "title": strategy.title,
        "version": result.version.number,
        "year": year,
        "price_change": query.price_change,
        "is_example": result.is_example,
        "places": result.places,
        "directions": [_section(direction) for direction in result.directions],
    }

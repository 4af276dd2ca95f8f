"""The follow-up part of the JSON API: a strategy's directions and goals with their verdicts;
its adopted yearly reports (read-only)."""

import datetime

from django.http import Http404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

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
from . import selectors

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


class AdoptedReportOut(Schema):
    year: int
    body: str = Field(..., description="The deciding body")
    decided_on: datetime.date
    reference: str = Field(..., description="The decision's paragraph (§) or registry number")
    note: str
    adopted_at: datetime.datetime = Field(..., description="When the decision was recorded")
    version_followed_up: str
    is_example: bool
    html_url: str = Field(..., description="The report as it was adopted, as a web page")
    pdf_url: str | None = Field(..., description="Its PDF; null while the worker makes it")


class AdoptedReportDetailOut(AdoptedReportOut):
    content_html: str = Field(..., description="The report's body, frozen at the adoption")


def _adopted_out(request, strategy, made) -> dict:
    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[strategy.slug, made.year]))

    return {
        "year": made.year,
        "body": made.body,
        "decided_on": made.decided_on,
        "reference": made.reference,
        "note": made.note,
        "adopted_at": made.adopted_at,
        "version_followed_up": made.version_name,
        "is_example": made.is_example,
        "html_url": absolute("reports:adopted"),
        "pdf_url": absolute("reports:adopted_pdf") if made.pdf_ready else None,
    }


def _readable_strategy(request, strategy_id: int):
    strategy = strategy_selectors.strategy_get(pk=strategy_id)
    if strategy_selectors.strategy_public_version(strategy) is None and not request.user.has_perm(
        "strategy.view_draft", strategy
    ):
        raise Http404
    return strategy


@router.get(
    "/strategies/{strategy_id}/adopted-reports",
    response={200: list[AdoptedReportOut], **NOT_FOUND, **INVALID_INPUT},
)
def adopted_reports(request, strategy_id: ObjectId):
    """The strategy's adopted yearly reports, newest year first: the decision, the page and the
    PDF (once made). Drafts are not listed."""
    strategy = _readable_strategy(request, strategy_id)
    return [_adopted_out(request, strategy, made) for made in selectors.adopted_reports(strategy)]


@router.get(
    "/strategies/{strategy_id}/adopted-reports/{year}",
    response={200: AdoptedReportDetailOut, **NOT_FOUND, **INVALID_INPUT},
)
def adopted_report(request, strategy_id: ObjectId, year: int = Path(..., ge=1900, le=2200)):
    """One adopted yearly report with its content as it was adopted (HTML)."""
    strategy = _readable_strategy(request, strategy_id)
    made = selectors.adopted_report(strategy, year)
    if made is None:
        raise Http404
    return _adopted_out(request, strategy, made) | {"content_html": made.content_html}

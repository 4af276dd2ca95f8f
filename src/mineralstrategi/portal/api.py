"""The portal part of the JSON API: published news and events, and the site search. Reads only."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from mineralstrategi.apikit.pagination import BoundedLimitOffsetPagination
from mineralstrategi.apikit.responses import INVALID_INPUT, ErrorOut, Text
from mineralstrategi.visitors import render_wait

from . import selectors
from .search import site_search

router = Router(tags=["portal"])


class NewsOut(Schema):
    id: int
    title: str
    slug: str
    lead: str
    url: str
    published_at: datetime
    organisation: str | None
    author: str
    tags: list[str]
    strategy: str | None
    is_example: bool

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author_name

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_strategy(obj) -> str | None:
        return obj.strategy.slug if obj.strategy_id else None


class EventOut(Schema):
    id: int
    title: str
    slug: str
    lead: str
    url: str
    ical_url: str
    starts_at: datetime
    ends_at: datetime
    place: str
    address: str
    capacity: int
    registration_open: bool
    organisation: str | None
    is_example: bool

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_ical_url(obj, context) -> str:
        from django.urls import reverse

        return context["request"].build_absolute_uri(
            reverse("portal:event_ical", kwargs={"slug": obj.slug})
        )

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None


class SearchHitOut(Schema):
    kind: str = Field(
        description="section, news, event, initiative, indicator, organisation, municipality, "
        "site or answer"
    )
    kind_label: str
    title: str
    url: str
    snippet: str
    rank: float


class SearchFilter(Schema):
    q: Text = ""


@router.get(
    "/news",
    response={200: list[NewsOut], **INVALID_INPUT},
    summary="Published news, newest first",
)
@paginate(BoundedLimitOffsetPagination)
def news(request: HttpRequest):
    return selectors.article_list().select_related("strategy")


@router.get(
    "/events",
    response={200: list[EventOut], **INVALID_INPUT},
    summary="Published events, coming first",
)
@paginate(BoundedLimitOffsetPagination)
def events(request: HttpRequest, past: bool = False):
    return selectors.event_list(upcoming=not past)


@router.get(
    "/search",
    response={200: list[SearchHitOut], 429: ErrorOut, **INVALID_INPUT},
    summary="Search the public content",
    description=(
        "A search asked for before comes from the cache; new searches without a key or a "
        "session are limited per client address (ANONYMOUS_SEARCHES_PER_MINUTE a minute), "
        "then 429 with Retry-After."
    ),
)
def search(request: HttpRequest, filters: Query[SearchFilter], response: HttpResponse):
    if (wait := render_wait(request, "search", "ANONYMOUS_SEARCHES_PER_MINUTE")) is not None:
        response["Retry-After"] = str(wait)
        detail = f"too many new searches from this address; try again in {wait} seconds"
        return Status(429, {"detail": detail})
    return site_search(filters.q)

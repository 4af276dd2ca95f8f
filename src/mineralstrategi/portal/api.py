"""The portal part of the JSON API: published news and events, and the site search. Reads only."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from mineralstrategi.apikit.pagination import BoundedLimitOffsetPagination
from mineralstrategi.apikit.responses import INVALID_INPUT, Text

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
    response={200: list[SearchHitOut], **INVALID_INPUT},
    summary="Search the public content",
)
def search(request: HttpRequest, filters: Query[SearchFilter]):
    return site_search(filters.q)

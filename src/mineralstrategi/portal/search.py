"""Site search over news, events, the public strategy sections and indicators.

On PostgreSQL: full-text search with the "swedish" configuration (stemming, stop words), fields
weighted A (title) to C (body), ranked by `SearchRank`. On SQLite: every word of the query must
occur (case-insensitive substring) in one of the fields; ranked by the weights of the fields
that hold each word. Only what everyone may read is searched, for everyone, editors included:
the `public()` news, events and initiatives (see organisations.visibility).
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators.models import Indicator
from mineralstrategi.strategy.models import Section, Strategy

from .models import Event, NewsArticle

PER_SOURCE = 25
MAX_QUERY_LENGTH = 200
WEIGHT_VALUES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


@dataclass
class SearchHit:
    kind: str  # a stable code: news, event, section, indicator
    kind_label: str
    title: str
    url: str
    snippet: str
    rank: float


@dataclass(frozen=True)
class Source:
    kind: str
    label: object  # a lazy translated label
    fields: tuple[tuple[str, str], ...]  # (field, weight)


NEWS = Source("news", _("News"), (("title", "A"), ("lead", "B"), ("body_markdown", "C")))
EVENTS = Source(
    "event",
    _("Event"),
    (("title", "A"), ("lead", "B"), ("place", "B"), ("programme_markdown", "C")),
)
SECTIONS = Source("section", _("Strategy section"), (("title", "A"), ("body_markdown", "C")))
INDICATORS = Source(
    "indicator", _("Indicator"), (("name", "A"), ("definition", "B"), ("method", "C"))
)
INITIATIVES = Source("initiative", _("Initiative"), (("title", "A"), ("description", "C")))


def _approved_initiatives() -> QuerySet[Initiative]:
    """The initiatives everyone may read (approved by a strategy editor)."""
    return Initiative.objects.public().select_related("strategy")


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def words(query: str) -> list[str]:
    return [word for word in re.split(r"\s+", query.strip()[:MAX_QUERY_LENGTH]) if word]


def _snippet(text: str, length: int = 220) -> str:
    plain = re.sub(r"[#*_>`\[\]()|-]+", " ", text or "")
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain if len(plain) <= length else plain[: length - 1].rsplit(" ", 1)[0] + "…"


def _ranked(queryset: QuerySet, source: Source, query: str) -> list:
    """The objects of `queryset` that match, each with `.search_rank`, best first."""
    if uses_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = None
        for name, weight in source.fields:
            part = SearchVector(name, weight=weight, config="swedish")
            vector = part if vector is None else vector + part
        search_query = SearchQuery(query, config="swedish", search_type="websearch")
        results = (
            queryset.annotate(search_document=vector)
            .filter(search_document=search_query)
            .annotate(search_rank=SearchRank(vector, search_query))
            .order_by("-search_rank", "pk")[:PER_SOURCE]
        )
        return list(results)
    terms = words(query)
    if not terms:
        return []
    condition = Q()
    for term in terms:
        any_field = Q()
        for name, _weight in source.fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    results = list(queryset.filter(condition)[: PER_SOURCE * 4])
    for obj in results:
        obj.search_rank = sum(
            WEIGHT_VALUES[weight]
            for term in terms
            for name, weight in source.fields
            if term.casefold() in (getattr(obj, name) or "").casefold()
        )
    results.sort(key=lambda obj: (-obj.search_rank, obj.pk))
    return results[:PER_SOURCE]


def _public_sections() -> QuerySet[Section]:
    version_ids = []
    for strategy in Strategy.objects.select_related("adopted_version").prefetch_related("versions"):
        if strategy.adopted_version_id:
            version_ids.append(strategy.adopted_version_id)
            continue
        frozen = [v for v in strategy.versions.all() if v.number is not None]
        if frozen:
            version_ids.append(max(frozen, key=lambda v: v.number).pk)
    return Section.objects.filter(version_id__in=version_ids).select_related("version__strategy")


def _section_url(section: Section) -> str:
    from django.urls import reverse

    strategy = section.version.strategy
    return (
        reverse(
            "strategy:version", kwargs={"slug": strategy.slug, "number": section.version.number}
        )
        + f"#{section.anchor}"
    )


def site_search(query: str) -> list[SearchHit]:
    """Every kind of content matching the query, best first across kinds."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    hits: list[SearchHit] = []
    for article in _ranked(NewsArticle.objects.public(), NEWS, query):
        hits.append(
            SearchHit(NEWS.kind, str(NEWS.label), article.title, article.get_absolute_url(),
                      _snippet(article.lead or article.body_markdown), article.search_rank)
        )  # fmt: skip
    for event in _ranked(Event.objects.public(), EVENTS, query):
        hits.append(
            SearchHit(EVENTS.kind, str(EVENTS.label), event.title, event.get_absolute_url(),
                      _snippet(event.lead or event.programme_markdown), event.search_rank)
        )  # fmt: skip
    for section in _ranked(_public_sections(), SECTIONS, query):
        hits.append(
            SearchHit(SECTIONS.kind, str(SECTIONS.label), f"{section.title} ({section.version.strategy.title})",
                      _section_url(section), _snippet(section.body_markdown), section.search_rank)
        )  # fmt: skip
    for indicator in _ranked(Indicator.objects.all(), INDICATORS, query):
        hits.append(
            SearchHit(INDICATORS.kind, str(INDICATORS.label), indicator.name, indicator.get_absolute_url(),
                      _snippet(indicator.definition), indicator.search_rank)
        )  # fmt: skip
    for initiative in _ranked(_approved_initiatives(), INITIATIVES, query):
        hits.append(
            SearchHit(INITIATIVES.kind, str(INITIATIVES.label), initiative.title,
                      initiative.get_absolute_url(), _snippet(initiative.description),
                      initiative.search_rank)
        )  # fmt: skip
    hits.sort(key=lambda hit: -hit.rank)
    return hits

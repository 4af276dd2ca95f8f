"""Site search over everything public: the strategies and their sections, news, events, initiatives,
indicators, organisations, municipalities, mining sites and submitted remiss answers.

On PostgreSQL: full-text search with the "swedish" configuration (stemming, stop words), fields
weighted A (title) to C (body), ranked by `SearchRank`, over the vectors stored in
`SearchDocument` (one per object, GIN-indexed; `portal/search_index.py` keeps them current). On
SQLite: each word of the query is cut
to its Swedish stem (Snowball: "gruvor" and "gruva" are both "gruv") and must occur in one of the
fields; ranked by the weights of the fields that hold each stem. On both, a title that is the
query itself ("Kiruna", "LKAB") comes first. Words a field holds as codes shown in Swedish (a
site's commodities, "copper" shown as "koppar") are found by the Swedish word too. Only what everyone may read is searched, for
everyone, editors included: the `public()` news, events and initiatives, submitted answers (see
organisations.visibility).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import snowballstemmer
from django.db import connection
from django.db.models import F, Model, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from mineralstrategi.cluster.models import COMMODITY_WORDS, Site
from mineralstrategi.consultation.models import Answer
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators.models import Indicator
from mineralstrategi.organisations.models import Municipality, Organisation
from mineralstrategi.strategy.models import Section, Strategy

from .models import Event, NewsArticle, SearchDocument

PER_SOURCE = 25
MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 220
WEIGHT_VALUES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
TITLE_IS_THE_QUERY = 10.0  # "Kiruna" finds Kiruna before every text that mentions it
TITLE_STARTS_WITH_THE_QUERY = 2.0
CONFIG = "swedish"  # PostgreSQL's text search configuration


@dataclass
class SearchHit:
    kind: str  # a stable code: section, news, event, initiative, indicator, organisation, ...
    kind_label: str
    title: str
    url: str
    snippet: str
    rank: float
    terms: list[str] = field(default_factory=list, repr=False)

    @property
    def highlighted(self) -> SafeString:
        """The snippet, escaped, with the words the query found marked."""
        return highlight(self.snippet, self.terms)


@dataclass(frozen=True)
class Source:
    kind: str
    label: object  # a lazy translated label
    model: type[Model]
    fields: tuple[tuple[str, str], ...]  # (field, weight); related fields as "a__b"
    queryset: Callable[[], QuerySet]  # what of the model may be found (the public part)
    title: Callable[[object], str]
    url: Callable[[object], str]
    text: Callable[[object], str]  # what the snippet is cut from
    # Fields holding comma-separated codes shown in the reader's language: {field: {code: word}}
    # (translated lazily); the Swedish words are searched as well as the codes.
    words: dict = field(default_factory=dict)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def words(query: str) -> list[str]:
    return [word for word in re.split(r"\s+", query.strip()[:MAX_QUERY_LENGTH]) if word]


@cache
def _stemmer():
    return snowballstemmer.stemmer("swedish")


def stems(query: str) -> list[str]:
    """The query's words cut to their Swedish stems, lower case ("Gruvorna" -> "gruv"); a stem
    shorter than three letters keeps its word."""
    found = []
    for word in words(query):
        word = re.sub(r"[^\w-]", "", word.lower())
        if not word:
            continue
        stem = _stemmer().stemWord(word)
        found.append(stem if len(stem) >= 3 else word)
    return list(dict.fromkeys(found))


def _value(obj, path: str) -> str:
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return ""
    return str(obj)


def swedish_words(value: str, words: dict) -> list[str]:
    """The Swedish words of the known codes in a comma-separated value ("copper, gold" ->
    ["koppar", "guld"])."""
    codes = [code.strip().lower() for code in value.split(",")]
    with translation.override("sv"):
        return [str(words[code]) for code in codes if code in words]


def field_text(obj, source: Source, name: str) -> str:
    """What a field of the object is searched by: its value, and the Swedish words of its codes
    where the field holds codes (`Source.words`)."""
    value = _value(obj, name)
    if name in source.words:
        return " ".join([value, *swedish_words(value, source.words[name])])
    return value


def _codes_with_word(term: str, words: dict) -> list[str]:
    """The codes whose Swedish word holds the term ("kopp" -> ["copper"])."""
    with translation.override("sv"):
        return [code for code, word in words.items() if term in str(word).casefold()]


def _plain(text: str) -> str:
    plain = re.sub(r"[#*_>`\[\]()|]+", " ", text or "")
    return re.sub(r"\s+", " ", plain).strip()


def _snippet(text: str, terms: list[str]) -> str:
    """About SNIPPET_LENGTH characters of the text, around the first word the query found."""
    plain = _plain(text)
    if len(plain) <= SNIPPET_LENGTH:
        return plain
    lowered = plain.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - SNIPPET_LENGTH // 3) if positions else 0
    if start:
        start = plain.find(" ", start) + 1 or start
    window = plain[start : start + SNIPPET_LENGTH]
    if start + SNIPPET_LENGTH < len(plain):
        window = window.rsplit(" ", 1)[0] + "…"
    return ("…" if start else "") + window


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, each word that begins with one of the terms in <mark> (case kept)."""
    if not terms:
        return escape(text)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(term) for term in terms) + r")\w*", re.IGNORECASE
    )
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # nosec B308, B703 # every piece of text escaped above


def _title_bonus(obj, source: Source, query: str) -> float:
    wanted = query.casefold()
    titles = [_value(obj, name).casefold() for name, weight in source.fields if weight == "A"]
    # The name itself, or the short name it is known by: "Luossavaara-Kiirunavaara AB (LKAB)".
    if wanted in titles or any(f"({wanted})" in title for title in titles):
        return TITLE_IS_THE_QUERY
    if any(title.startswith(wanted) for title in titles):
        return TITLE_STARTS_WITH_THE_QUERY
    return 0.0


def postgres_matches(source: Source, query: str) -> QuerySet:
    """PostgreSQL: the source's objects whose stored vector (GIN-indexed) matches the query, each
    with `.search_rank`, best first; the source's queryset keeps only what may be found."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    documents = SearchDocument.objects.filter(kind=source.kind)
    rank = (
        documents.filter(object_id=OuterRef("pk"))
        .annotate(rank=SearchRank(F("vector"), search_query))
        .values("rank")[:1]
    )
    return (
        source.queryset()
        .filter(pk__in=documents.filter(vector=search_query).values("object_id"))
        .annotate(search_rank=Subquery(rank))
        .order_by("-search_rank", "pk")
    )


def _ranked(source: Source, query: str) -> list:
    """The objects of the source that match, each with `.search_rank`, best first."""
    if uses_postgres():
        results = list(postgres_matches(source, query)[: PER_SOURCE * 2])
    else:
        queryset = source.queryset()
        terms = stems(query)
        if not terms:
            return []
        condition = Q()
        for term in terms:
            any_field = Q()
            for name, _weight in source.fields:
                # SQLite folds the case of ASCII letters only: "ål" must also be tried as "Ål".
                any_field |= Q(**{f"{name}__icontains": term})
                any_field |= Q(**{f"{name}__contains": term[:1].upper() + term[1:]})
                for code in _codes_with_word(term, source.words.get(name, {})):
                    any_field |= Q(**{f"{name}__icontains": code})
            condition &= any_field
        results = list(queryset.filter(condition)[: PER_SOURCE * 4])
        for obj in results:
            obj.search_rank = sum(
                WEIGHT_VALUES[weight]
                for term in terms
                for name, weight in source.fields
                if term in field_text(obj, source, name).casefold()
            )
    for obj in results:
        obj.search_rank += _title_bonus(obj, source, query)
    results.sort(key=lambda obj: (-obj.search_rank, obj.pk))
    return results[:PER_SOURCE]


# --- What is searched ----------------------------------------------------------------------------


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
    strategy = section.version.strategy
    return (
        reverse(
            "strategy:version", kwargs={"slug": strategy.slug, "number": section.version.number}
        )
        + f"#{section.anchor}"
    )


def _answer_url(answer: Answer) -> str:
    return (
        reverse("consultation:answers", kwargs={"pk": answer.consultee.round_id})
        + f"#answer-{answer.pk}"
    )


SOURCES = (
    Source(
        "strategy",
        _("Strategy"),
        Strategy,
        (("title", "A"), ("summary", "C")),
        Strategy.objects.all,
        lambda s: s.title,
        lambda s: s.get_absolute_url(),
        lambda s: s.summary or s.period,
    ),
    Source(
        "section",
        _("Strategy section"),
        Section,
        (("title", "A"), ("body_markdown", "C")),
        _public_sections,
        lambda s: f"{s.title} ({s.version.strategy.title})",
        _section_url,
        lambda s: s.body_markdown,
    ),
    Source(
        "news",
        _("News"),
        NewsArticle,
        (("title", "A"), ("lead", "B"), ("body_markdown", "C")),
        NewsArticle.objects.public,
        lambda a: a.title,
        lambda a: a.get_absolute_url(),
        lambda a: a.lead or a.body_markdown,
    ),
    Source(
        "event",
        _("Event"),
        Event,
        (("title", "A"), ("lead", "B"), ("place", "B"), ("programme_markdown", "C")),
        Event.objects.public,
        lambda e: e.title,
        lambda e: e.get_absolute_url(),
        lambda e: e.lead or e.programme_markdown,
    ),
    Source(
        "initiative",
        _("Initiative"),
        Initiative,
        (("title", "A"), ("description", "C")),
        lambda: Initiative.objects.public().select_related("strategy"),
        lambda i: i.title,
        lambda i: i.get_absolute_url(),
        lambda i: i.description,
    ),
    Source(
        "indicator",
        _("Indicator"),
        Indicator,
        (("name", "A"), ("definition", "B"), ("method", "C")),
        Indicator.objects.all,
        lambda i: i.name,
        lambda i: i.get_absolute_url(),
        lambda i: i.definition,
    ),
    Source(
        "organisation",
        _("Organisation"),
        Organisation,
        (("name", "A"), ("description", "C")),
        lambda: Organisation.objects.exclude(kind="municipality"),
        lambda o: o.name,
        lambda o: o.get_absolute_url(),
        lambda o: o.description,
    ),
    Source(
        "municipality",
        _("Municipality"),
        Municipality,
        (("short_name", "A"), ("name", "A"), ("county__name", "B")),
        lambda: Municipality.objects.select_related("county"),
        lambda m: m.name,
        lambda m: m.get_absolute_url(),
        lambda m: m.county.name,
    ),
    Source(
        "site",
        _("Mining site"),
        Site,
        (("name", "A"), ("commodities", "B"), ("operator_name", "B"), ("description", "C")),
        lambda: Site.objects.select_related("municipality"),
        lambda s: s.name,
        lambda s: reverse("cluster:sites") + f"#site-{s.slug}",
        lambda s: s.description or s.commodities_display,
        words={"commodities": COMMODITY_WORDS},
    ),
    Source(
        "answer",
        _("Consultation answer"),
        Answer,
        (("consultee__organisation__name", "A"), ("comment", "C")),
        lambda: Answer.objects.submitted().select_related(
            "consultee__organisation", "consultee__round"
        ),
        lambda a: f"{a.consultee.organisation.name}: {a.consultee.round.title}",
        _answer_url,
        lambda a: a.comment,
    ),
)


def site_search(query: str) -> list[SearchHit]:
    """Every kind of public content matching the query, best first across kinds."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    terms = stems(query)
    hits = [
        SearchHit(
            kind=source.kind,
            kind_label=str(source.label),
            title=source.title(obj),
            url=source.url(obj),
            snippet=_snippet(source.text(obj), terms),
            rank=obj.search_rank,
            terms=terms,
        )
        for source in SOURCES
        for obj in _ranked(source, query)
    ]
    hits.sort(key=lambda hit: -hit.rank)
    return hits


def grouped(hits: list[SearchHit]) -> list[tuple[str, list[SearchHit]]]:
    """The hits by kind, the kind with the best hit first (for the search page)."""
    groups: dict[str, list[SearchHit]] = {}
    for hit in hits:  # best first: each group is in order, and so are the groups
        groups.setdefault(hit.kind_label, []).append(hit)
    return list(groups.items())

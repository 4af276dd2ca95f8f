"""`mineralstrategi generate`: fills a database with a large, realistic, invented data set.

Deterministic from the seed (every part draws from its own seeded random stream, and no value
depends on the clock or on primary keys), written with bulk inserts inside one transaction: a
failed run leaves nothing behind. Rows of audited models get their history rows
(`bulk_create_with_history`); observations and prices have no history in the models. The site
search's stored vectors are written once at the end (`portal.search_index.documents_rebuild`).

A database that already holds generated data is refused, not topped up: run it on a new data
folder or an empty database. The geography (21 counties, 290 municipalities and their
organisations) comes from the real geography loader; the metal prices are the World Bank's, loaded
as the demo loads them; everything else is invented and flagged as example data.
"""

import hashlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from mineralstrategi.portal.search_index import documents_rebuild
from mineralstrategi.strategy.models import Strategy

from . import fast
from .consultation import consultation
from .context import Context, thousands
from .implementation import implementation
from .indicators import indicators, metal_prices
from .notifications import notifications
from .people import PREFIX, geography_and_organisations
from .portal import portal
from .scales import SCALES, Scale
from .strategies import strategies

__all__ = [
    "SCALES",
    "GeneratedDataExists",
    "GenerateResult",
    "Scale",
    "generate",
    "checksums",
    "thousands",
]


class GeneratedDataExists(Exception):
    """The database already holds a generated data set; generating again is refused."""


@dataclass
class GenerateResult:
    scale: str
    seed: int
    counts: dict[str, int]
    elapsed: float


def existing_generated_strategy() -> str | None:
    return (
        Strategy.objects.filter(slug__startswith=f"{PREFIX}strategi-")
        .values_list("slug", flat=True)
        .first()
    )


def generate(scale_name: str, seed: int = 1, out=print) -> GenerateResult:
    """Generate the data set of the scale; raises GeneratedDataExists, changing nothing."""
    ctx = Context(scale=SCALES[scale_name], seed=seed, out=out)
    existing = existing_generated_strategy()
    if existing:
        raise GeneratedDataExists(
            f"The database already holds generated data (strategy {existing!r}); nothing was "
            "changed. Generate into a new --data-dir or an empty database."
        )
    fast.sqlite_tune_for_bulk()
    with transaction.atomic():
        geography_and_organisations(ctx)
        strategies(ctx)
        metal_prices(ctx)
        indicators(ctx)
        consultation(ctx)
        implementation(ctx)
        portal(ctx)
        notifications(ctx)
        # The rows went in past save(): the site search's stored vectors (PostgreSQL) are
        # written for all of them at once.
        if documents := documents_rebuild():
            out(f"[{ctx.elapsed():7.1f} s] search documents: {thousands(documents)}")
        out(f"[{ctx.elapsed():7.1f} s] committing …")
    fast.analyze()
    return GenerateResult(scale_name, seed, ctx.counts, ctx.elapsed())


def _digest(rows) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()[:16]


def checksums() -> dict[str, str]:
    """Digests of the generated rows by their natural keys (no ids, no clock), to compare runs;
    the same on SQLite and PostgreSQL (explicit NULL ordering: the two sort NULL differently)."""
    from mineralstrategi.consultation.models import Answer
    from mineralstrategi.implementation.models import Initiative
    from mineralstrategi.indicators.models import Observation
    from mineralstrategi.organisations.models import Organisation
    from mineralstrategi.portal.models import Comment
    from mineralstrategi.strategy.models import Section

    generated = {"slug__startswith": PREFIX}
    return {
        "organisations": _digest(
            Organisation.objects.filter(**generated)
            .order_by("slug")
            .values_list("slug", "name", "kind", "county__code")
        ),
        "sections": _digest(
            Section.objects.filter(version__strategy__slug__startswith=PREFIX)
            .order_by("version__strategy__slug", F("version__number").asc(nulls_first=True), "key")
            .values_list(
                "version__strategy__slug", "version__number", "key", "title", "body_markdown"
            )
        ),
        "observations": _digest(
            Observation.objects.filter(indicator__code__startswith=PREFIX)
            .order_by("indicator__code", "geo_code", "period")
            .values_list("indicator__code", "geo_code", "period", "value")
            .iterator(chunk_size=10_000)
        ),
        "answers": _digest(
            Answer.objects.filter(registry_reference__startswith="GEN ")
            .order_by("registry_reference")
            .values_list("registry_reference", "position", "comment", "created_by__username")
        ),
        "initiatives": _digest(
            Initiative.objects.filter(strategy__slug__startswith=PREFIX)
            .order_by("title")
            .values_list("title", "budget", "start_date", "end_date", "lead_organisation__slug")
        ),
        "comments": _digest(
            Comment.objects.filter(
                email__endswith="@exempel.example", name__startswith="Exempelperson"
            )
            .order_by("name")
            .values_list("name", "body", "status", "article__slug", "section_key")
        ),
    }


def database_label() -> str:
    settings = connection.settings_dict
    return f"{connection.vendor} {settings['NAME']}"

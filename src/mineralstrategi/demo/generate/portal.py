"""Generated news articles and public comments, on the articles and on the adopted version's
sections of each strategy (a comment names its section by the stable key). Commenters are
invented ("Exempelperson 123") with addresses under exempel.example."""

import datetime

from simple_history.utils import bulk_create_with_history

from mineralstrategi.consultation.models import STOCKHOLM
from mineralstrategi.portal.models import Comment, CommentStatus, NewsArticle, PublicationStatus
from mineralstrategi.strategy.models import SectionKind

from .context import Context
from .people import PREFIX
from .strategies import GOALS, body

BATCH = 2000
COMMENT_TEXTS = [
    "Bra initiativ, men hur följs det upp i vår kommun?",
    "Vi saknar en tydligare koppling till rennäringen.",
    "Hur påverkar det här bostadsbyggandet?",
    "Tack för en läsvärd text.",
    "Vilka företag deltar i arbetet?",
    "Målet borde vara mer ambitiöst.",
    "Hur finansieras insatsen efter projekttiden?",
    "Finns det planer för återvinning av gruvavfallet?",
]
STATUSES = [CommentStatus.PUBLISHED] * 17 + [CommentStatus.PENDING] * 2 + [CommentStatus.HIDDEN]


def portal(ctx: Context) -> None:
    articles = _articles(ctx)
    _comments(ctx, articles)


def _articles(ctx: Context) -> list[NewsArticle]:
    rng = ctx.rng("news")
    first = datetime.datetime(2015, 1, 1, 8, tzinfo=STOCKHOLM)
    articles = [
        NewsArticle(
            title=f"Exempelnyhet {n}: {rng.choice(GOALS)}",
            slug=f"{PREFIX}nyhet-{n:05d}",
            lead=body(rng, 1),
            body_markdown=body(rng, 8),
            status=PublicationStatus.PUBLISHED,
            published_at=first + datetime.timedelta(hours=rng.randint(0, 10 * 365 * 24)),
            organisation=rng.choice(ctx.organisations),
            strategy=ctx.strategies[n % len(ctx.strategies)],
            author_name="Exempelredaktionen",
            is_example=True,
        )
        for n in range(1, ctx.scale.news + 1)
    ]
    articles = bulk_create_with_history(articles, NewsArticle, batch_size=BATCH)
    ctx.done("news articles", len(articles))
    return articles


def _comments(ctx: Context, articles) -> None:
    rng = ctx.rng("comments")
    section_keys = [
        (strategy, key)
        for strategy in ctx.strategies
        for key in strategy.adopted_version.sections.exclude(kind=SectionKind.TEXT)
        .order_by("position", "pk")
        .values_list("key", flat=True)
    ]
    moderated_at = datetime.datetime(LAST_MODERATION_YEAR, 1, 1, tzinfo=STOCKHOLM)
    comments = []
    for n in range(1, ctx.scale.comments + 1):
        status = rng.choice(STATUSES)
        target = {"article": rng.choice(articles)} if n % 2 else {}
        if not target:
            strategy, key = rng.choice(section_keys)
            target = {"strategy": strategy, "section_key": key}
        comments.append(
            Comment(
                **target,
                name=f"Exempelperson {n}",
                email=f"kommentar{n}@exempel.example",
                body=f"Exempelkommentar: {rng.choice(COMMENT_TEXTS)}",
                status=status,
                moderated_at=None if status == CommentStatus.PENDING else moderated_at,
                moderated_by=None if status == CommentStatus.PENDING else ctx.moderator,
            )
        )
    comments = bulk_create_with_history(comments, Comment, batch_size=BATCH)
    ctx.done("comments", len(comments))


LAST_MODERATION_YEAR = 2025

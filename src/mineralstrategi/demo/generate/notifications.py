"""Follows and notifications of the generated data set: each generated person follows their
organisation, a strategy, indicators, a remiss round and an initiative (the partnership's members
also sections of the working draft), and chooses how to be mailed; the events of what the
generator made in bulk (remisses sent, initiatives approved, indicator values, comments waiting
for moderation) are recorded beside those its services recorded (section changes, versions frozen
and adopted), and all are told as the worker would: notifications, mails at once, then the daily
and weekly digests. No mail leaves: they go to Django's dummy mail backend, and are counted.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from mineralstrategi.consultation.models import ConsultationRound
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators.models import Indicator, Observation
from mineralstrategi.notifications import kinds, services
from mineralstrategi.notifications.models import (
    Event,
    Follow,
    MailChoice,
    Notification,
    NotificationSettings,
)
from mineralstrategi.portal.models import Comment, CommentStatus
from mineralstrategi.strategy.models import Section

from .context import Context

MAIL_CHOICES = [  # choice, weight
    (MailChoice.IMMEDIATELY, 50),
    (MailChoice.DAILY, 25),
    (MailChoice.WEEKLY, 15),
    (MailChoice.NEVER, 10),
]


def notifications(ctx: Context) -> None:
    people = sorted(ctx.member_of.values(), key=lambda user: user.username)
    _follows(ctx, people)
    _mail_choices(ctx, people)
    recorded = _events(ctx)
    ctx.done("notification events recorded in bulk", recorded)
    connection = get_connection("django.core.mail.backends.dummy.EmailBackend")
    told = mails = 0
    for event_id in (
        Event.objects.filter(fanned_out_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    ):
        result = services.fan_out(event_id, connection=connection)
        told, mails = told + result.notifications, mails + result.mails
    ctx.done("notification events", Event.objects.count())
    ctx.done("notifications", Notification.objects.count())
    ctx.done("notification mails at once", mails)
    for period in (MailChoice.DAILY, MailChoice.WEEKLY):
        sent = services.send_digests(period, connection=connection)
        ctx.done(f"notification digests ({period})", sent)


def _follows(ctx: Context, people) -> None:
    rng = ctx.rng("follows")
    types = {
        model: ContentType.objects.get_for_model(model)
        for model in (Indicator, ConsultationRound, Initiative, Section, type(ctx.strategies[0]))
    }
    organisation_type = ContentType.objects.get_for_model(ctx.organisations[0])
    indicators = list(Indicator.objects.filter(is_example=True).values_list("pk", flat=True))
    rounds = list(ConsultationRound.objects.values_list("pk", flat=True))
    initiatives = list(
        Initiative.objects.filter(approved_at__isnull=False).values_list("pk", flat=True)
    )
    partners = {
        strategy.pk: set(strategy.partnership.values_list("pk", flat=True))
        for strategy in ctx.strategies
    }
    drafts = {
        strategy.pk: list(
            Section.objects.filter(
                version__strategy=strategy, version__number__isnull=True
            ).values_list("pk", flat=True)
        )
        for strategy in ctx.strategies
    }
    member_organisation = {user.pk: pk for pk, user in ctx.member_of.items()}
    wanted: set[tuple[int, int, int]] = set()
    for user in people:
        strategy = rng.choice(ctx.strategies)
        wanted.add((user.pk, organisation_type.pk, member_organisation[user.pk]))
        wanted.add((user.pk, types[type(strategy)].pk, strategy.pk))
        for pk in rng.sample(indicators, min(2, len(indicators))):
            wanted.add((user.pk, types[Indicator].pk, pk))
        if rounds:
            wanted.add((user.pk, types[ConsultationRound].pk, rng.choice(rounds)))
        if initiatives:
            wanted.add((user.pk, types[Initiative].pk, rng.choice(initiatives)))
        for other in ctx.strategies:
            if member_organisation[user.pk] in partners[other.pk]:
                for pk in rng.sample(drafts[other.pk], min(3, len(drafts[other.pk]))):
                    wanted.add((user.pk, types[Section].pk, pk))
    follows = [
        Follow(user_id=user_id, content_type_id=type_id, object_id=object_id)
        for user_id, type_id, object_id in sorted(wanted)
    ]
    bulk_create_with_history(follows, Follow, batch_size=1000)
    ctx.done("follows", len(follows))


def _mail_choices(ctx: Context, people) -> None:
    rng = ctx.rng("mail-choices")
    choices, weights = zip(*MAIL_CHOICES, strict=True)
    settings = [
        NotificationSettings(user=user, mail=rng.choices(choices, weights=weights)[0])
        for user in people
    ]
    # The moderator, told of every comment that waits, reads them in a daily digest.
    settings.append(NotificationSettings(user=ctx.moderator, mail=MailChoice.DAILY))
    bulk_create_with_history(settings, NotificationSettings, batch_size=1000)


def _events(ctx: Context) -> int:
    """The events of what was made in bulk, as the services would have recorded them."""
    recorded = 0
    for round_ in ConsultationRound.objects.select_related("strategy").order_by("pk"):
        services.event_record(
            kinds.ROUND_SENT,
            about=round_,
            subjects=[round_, round_.strategy],
            params={"round": str(round_), "strategy": round_.strategy.title},
            url=round_.get_absolute_url(),
        )
        recorded += 1
    approved = Initiative.objects.filter(approved_at__isnull=False).select_related(
        "strategy", "lead_organisation"
    )
    for initiative in approved.order_by("pk").iterator(chunk_size=1000):
        services.event_record(
            kinds.INITIATIVE_APPROVED,
            about=initiative,
            subjects=[initiative, initiative.lead_organisation],
            params={"initiative": initiative.title},
            url=initiative.get_absolute_url(),
        )
        recorded += 1
    for indicator in Indicator.objects.filter(is_example=True).order_by("pk"):
        services.event_record(
            kinds.INDICATOR_VALUES,
            about=indicator,
            subjects=[indicator],
            params={
                "indicator": indicator.name,
                "count": Observation.objects.filter(indicator=indicator).count(),
            },
            url=indicator.get_absolute_url(),
        )
        recorded += 1
    pending = Comment.objects.filter(status=CommentStatus.PENDING).select_related(
        "article", "strategy"
    )
    for comment in pending.order_by("pk").iterator(chunk_size=1000):
        services.event_record(
            kinds.COMMENT_AWAITS_MODERATION,
            about=comment,
            recipients=[ctx.moderator],
            params={"target": str(comment.article or comment.strategy)},
            url=reverse("portal:moderation"),
        )
        recorded += 1
    return recorded

"""When the demo's story happened, counted back from the day the demo is loaded.

The demo is written through the services, which stamp what they record with the clock: loaded in
one go, every step would fall on the load day. The story instead takes most of a year:

- the consultation draft is written and frozen as version 1;
- its consultation is sent out, answered over six weeks, a samråd is held, the deadline passes;
- the round is closed, every comment decided, the round compiled;
- the partnership revises the draft, freezes version 2, and Regionfullmäktige adopts it;
- months later an addition is frozen as version 3 and sent out on a second round, open now.

The loader runs each step inside `happened(moment)`: whatever the step stamped with the clock (its
rows' created, updated, frozen, sent, submitted, declined, decided and applied times, and their
history records) is dated at that moment instead. The dates that are not the clock's (a round's
opening date and deadline, a decision date) are given by the loader from the same days.
"""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import timezone
from simple_history.models import HistoricalChanges

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Days before the load day.
DRAFTED = 262
VERSION_1_FROZEN = 236
ROUND_1_OPENS = 230
SAMRAD = 223
ROUND_1_DEADLINE = 188  # six weeks after the round was sent out
ROUND_1_CLOSED = 187
DISPOSITIONS_FROM, DISPOSITIONS_UNTIL = 185, 155
ROUND_1_COMPILED = 150
REVISED = 135
VERSION_2_FROZEN = 120
ADOPTED = 90
ADDITION_DRAFTED = 12
VERSION_3_FROZEN = 9
ROUND_2_OPENS = 7
ROUND_2_DEADLINE_AFTER = 21  # days after the load day

# The clock's stamps that the pages, the exports and the API show, by model.
STAMPED = {
    "strategy.Strategy": ["created_at", "updated_at"],
    "strategy.StrategyVersion": ["created_at", "frozen_at"],
    "strategy.Section": ["updated_at"],
    "strategy.SectionComment": ["created_at"],
    "strategy.Adoption": ["recorded_at"],
    "consultation.ConsultationRound": ["created_at", "sent_at"],
    "consultation.Consultee": ["added_at", "declined_at"],
    "consultation.Answer": ["created_at", "updated_at", "submitted_at"],
    "consultation.Attachment": ["uploaded_at"],
    "consultation.Disposition": ["decided_at", "applied_at"],
    "consultation.PublicComment": ["created_at", "confirmed_at", "moderated_at"],
    "consultation.Meeting": ["recorded_at", "cancelled_at"],
    "consultation.MeetingPerson": ["invitation_sent_at", "registered_at"],
}
HISTORY_APPS = ("strategy", "consultation")


def today() -> datetime.date:
    """The load day, in Swedish time (as the consultation's deadlines are)."""
    return timezone.now().astimezone(STOCKHOLM).date()


def day(days_ago: int) -> datetime.date:
    return today() - datetime.timedelta(days=days_ago)


def moment(days_ago: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A time of day, Swedish time, `days_ago` days before the load day."""
    return datetime.datetime.combine(day(days_ago), datetime.time(hour, minute, tzinfo=STOCKHOLM))


def spread(count: int, first: int, last: int) -> list[int]:
    """`count` days (as days ago) from `first` to `last`, evenly apart, in order."""
    if count == 1:
        return [first]
    return [round(first - (first - last) * index / (count - 1)) for index in range(count)]


def _history_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and model._meta.app_label in HISTORY_APPS
    ]


@contextmanager
def happened(at: datetime.datetime):
    """Date at `at` whatever the block stamps with the clock (see `STAMPED`) and its history."""
    started = timezone.now()
    yield
    for label, fields in STAMPED.items():
        model = apps.get_model(label)
        for name in fields:
            model.objects.filter(**{f"{name}__gte": started}).update(**{name: at})
    for model in _history_models():
        model.objects.filter(history_date__gte=started).update(history_date=at)

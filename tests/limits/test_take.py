"""`limits.services.take`, the one counter of every limit: a sliding window per key, each with
its own length; a refusal counts nothing under any key and says how long to wait."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mineralstrategi.limits.models import RateWindow
from mineralstrategi.limits.services import Limit, LimitReached, forget_expired, take


class Clock:
    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


def test_a_window_slides_and_says_how_long_to_wait(db, clock):
    limit = {"k": Limit(2, 60)}
    take(limit)
    clock.advance(seconds=20)
    take(limit)
    with pytest.raises(LimitReached) as refused:
        take(limit)
    assert refused.value.retry_after == 40  # when the first leaves the window

    clock.advance(seconds=41)
    take(limit)  # the first has left; the second is still in
    with pytest.raises(LimitReached) as refused:
        take(limit)
    assert refused.value.retry_after == 20 - 1


def test_each_key_has_its_own_window_and_a_refusal_counts_under_none(db, clock):
    take({"short": Limit(1, 10)})
    with pytest.raises(LimitReached) as refused:
        take({"short": Limit(1, 10), "long": Limit(5, 3600)})
    assert refused.value.retry_after == 10
    assert not RateWindow.objects.filter(key="long").exists()
    clock.advance(seconds=11)
    take({"short": Limit(1, 10), "long": Limit(1, 3600)})
    with pytest.raises(LimitReached) as refused:
        take({"short": Limit(1, 10), "long": Limit(1, 3600)})
    assert refused.value.retry_after == 3600  # the longer wait of the two


def test_a_limit_of_zero_counts_nothing(db):
    for _ in range(3):
        take({"off": Limit(0, 60), "also-off": Limit(5, 0)})
    assert not RateWindow.objects.exists()


def test_expired_windows_are_forgotten(db, clock):
    take({"old": Limit(1, 60)})
    take({"new": Limit(1, 3600)})
    clock.advance(minutes=2)

    forget_expired()

    assert list(RateWindow.objects.values_list("key", flat=True)) == ["new"]

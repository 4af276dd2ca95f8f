"""Values read from our tables, kept in this process until the next write to them (issue #19).

Logged-in pages are never cached whole, but much of them is the same for everybody and changes
only with the data: a strategy's follow-up (every indicator's analysis against the commodity
cycle), for instance. `UntilAWrite` keeps such a value under the public pages' generation token
(`invalidation.current_generation`), which every write to our tables renews in every process:
after a write the key is new, so the next read computes the value again, as the next visitor
gets a fresh page. Keyed by the language too, since such values hold translated words.

What may be kept: a value that does not depend on who asks (anything filtered by the reader's
permissions stays out, or goes into the key), and that callers treat as read only (it is shared
between requests and threads). What only the clock changes (a deadline passing) is bounded as on
the public pages: a value is computed again at least every MAX_AGE_SECONDS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from mineralstrategi.analysis.memo import Memo

from .invalidation import current_generation

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_AGE_SECONDS = 60

_EVERY: list[UntilAWrite] = []


def forget_everything() -> None:
    """Drop the values of every `UntilAWrite` of this process (a test that measures the work
    of computing them; a write does this by itself)."""
    for memo in _EVERY:
        memo.clear()


class UntilAWrite(Generic[T]):
    """At most `maxsize` values, the least recently used dropped first (and those of an old
    generation with them, as they are never asked for again)."""

    def __init__(self, maxsize: int):
        self._memo: Memo[T] = Memo(maxsize)
        _EVERY.append(self)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        try:
            generation = current_generation()
        except Exception:
            logger.exception("The generation token could not be read: computed without keeping.")
            return compute()
        period = int(time.time() // MAX_AGE_SECONDS)
        return self._memo.get_or_compute((generation, get_language(), period, key), compute)

    @property
    def hits(self) -> int:
        return self._memo.hits

    @property
    def misses(self) -> int:
        return self._memo.misses

    def clear(self) -> None:
        self._memo.clear()


KEPT_FRAGMENTS: UntilAWrite[SafeString] = UntilAWrite(maxsize=64)


def kept_fragment(key: Hashable, template_name: str, context: Callable[[], dict]) -> SafeString:
    """The HTML of a part of a page that is the same for everybody who may see it (a frozen
    version's text, a round's compilation), rendered once until the next write. The template is
    rendered without the request, so it cannot show anything personal; `context` is called only
    when the part is rendered, so that what it reads is read only then. The caller checks the
    reader's permission first and puts whatever else the part depends on in `key`."""
    return KEPT_FRAGMENTS.get_or_compute(
        (template_name, key), lambda: mark_safe(render_to_string(template_name, context()))
    )

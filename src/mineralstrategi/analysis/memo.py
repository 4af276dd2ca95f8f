"""A bounded, thread-safe memo for the results of this package's functions.

Every function here is pure: the same inputs give the same (frozen) result. So a caller that
keys a result on the inputs themselves, the values and every parameter rather than on an id or
a timestamp, can never be served a stale one, and needs no invalidation when data change: new
data is a new key. Pages that read a few hundred series against their targets and prices then
pay for the statistics once per process, not on every render.

Results are shared between threads and callers, so they must be treated as read-only (the
result dataclasses are frozen; their pandas series must not be modified in place).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import cachetools

T = TypeVar("T")


class Memo(Generic[T]):
    """At most ``maxsize`` results, the least recently used dropped first.

    The bound, the order and the counts are cachetools' (`LRUCache`, `cached(info=True)`); what
    this class adds is the shape its callers need. Results are keyed on a key the caller builds
    from the data (`series_key`), not on the arguments of a function: the computations take
    pandas series and result objects that cannot be hashed, which rules out `functools.lru_cache`.
    cachetools' caches are not thread-safe, so the memo holds a lock for them.
    """

    def __init__(self, maxsize: int):
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._memoised = cachetools.cached(
            cachetools.LRUCache(maxsize),
            key=lambda key, compute: key,
            lock=threading.Lock(),
            info=True,
        )(lambda key, compute: compute())

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result stored for ``key``, else ``compute()``, stored. Two threads that miss the
        same key at once both compute it (the result is the same); neither waits for the other."""
        return self._memoised(key, compute)

    @property
    def hits(self) -> int:
        return self._memoised.cache_info().hits

    @property
    def misses(self) -> int:
        return self._memoised.cache_info().misses

    def clear(self) -> None:
        self._memoised.cache_clear()

    def __len__(self) -> int:
        return self._memoised.cache_info().currsize


def series_key(values) -> tuple:
    """A hashable key for a mapping of period to value (or a pandas Series), in period order.

    NaN keys as itself: ``float('nan') != float('nan')``, but tuples compare identical objects
    equal and every missing value is spelled the same here.
    """
    return tuple(
        (period, None if value is None or value != value else float(value))
        for period, value in sorted(values.items())
    )

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
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """At most ``maxsize`` results, the least recently used dropped first."""

    def __init__(self, maxsize: int):
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._results: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result stored for ``key``, else ``compute()``, stored. Two threads that miss the
        same key at once both compute it (the result is the same); neither waits for the other."""
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                self.hits += 1
                return self._results[key]
            self.misses += 1
        result = compute()
        with self._lock:
            self._results[key] = result
            self._results.move_to_end(key)
            while len(self._results) > self.maxsize:
                self._results.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._results.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._results)


def series_key(values) -> tuple:
    """A hashable key for a mapping of period to value (or a pandas Series), in period order.

    NaN keys as itself: ``float('nan') != float('nan')``, but tuples compare identical objects
    equal and every missing value is spelled the same here.
    """
    return tuple(
        (period, None if value is None or value != value else float(value))
        for period, value in sorted(values.items())
    )

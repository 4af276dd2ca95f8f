"""The cached pages this process served lately, kept in its own memory.

A hit on the shared cache (Redis, or a file) costs a round trip and the unpickling of the whole
page, up to 120 kB at national scale, on every request. Kept here too, a hit costs one small read
of the shared generation token (so a write in any process still shows on the next read: the key
holds the token) and a dictionary lookup. Bounded in bytes; the least recently used page goes
first. Entries are the middleware's (fresh_until, stored) tuples and are never modified.
"""

import contextlib
import threading

import cachetools


class RecentPages:
    """The bound in bytes and the order are cachetools' (an `LRUCache` that weighs each page by its
    size); cachetools' caches are not thread-safe, so this holds the lock that the web process's
    threads share it by. A page larger than the whole bound is not kept."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries = cachetools.LRUCache(maxsize=max_bytes, getsizeof=lambda item: item[1])
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            found = self._entries.get(key)
        return None if found is None else found[0]

    def put(self, key: str, entry: tuple, size: int) -> None:
        with self._lock, contextlib.suppress(ValueError):  # ValueError: larger than the bound
            self._entries[key] = (entry, size)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @property
    def size(self) -> int:
        return self._entries.currsize

    def __len__(self) -> int:
        return len(self._entries)

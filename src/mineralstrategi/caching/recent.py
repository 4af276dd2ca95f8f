"""The cached pages this process served lately, kept in its own memory.

A hit on the shared cache (Redis, or a file) costs a round trip and the unpickling of the whole
page, up to 120 kB at national scale, on every request. Kept here too, a hit costs one small read
of the shared generation token (so a write in any process still shows on the next read: the key
holds the token) and a dictionary lookup. Bounded in bytes; the least recently used page goes
first. Entries are the middleware's (fresh_until, stored) tuples and are never modified.
"""

import threading
from collections import OrderedDict


class RecentPages:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[tuple, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: str, entry: tuple, size: int) -> None:
        if size > self.max_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            self._entries[key] = (entry, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

"""The public page cache: anonymous GET responses served from the cache, stale after any write.

`invalidate_public_cache()` makes every cached page stale. Writes through the ORM (save, delete,
update, bulk_create, m2m changes, raw SQL through Django's cursor) call it by themselves; code that
writes past Django's cursor (e.g. PostgreSQL COPY) calls it when done.
"""

from .invalidation import invalidate_public_cache

__all__ = ["invalidate_public_cache"]

"""Limit/offset pagination with upper bounds, so that a page size or offset too large for the
database's integers is refused with a 422 naming the field instead of failing in the query."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

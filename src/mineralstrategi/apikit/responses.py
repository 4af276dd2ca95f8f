"""The error answers every operation of the JSON API may give, declared so that the OpenAPI schema
tells the truth about them (the schemathesis fuzz test holds each operation to its declaration).

Use them in an operation's ``response`` mapping, e.g.
``response={200: ThingOut, **NOT_FOUND, **INVALID_INPUT}``.
"""

from typing import Annotated

from ninja import Field, Path, Schema
from ninja.errors import ValidationError
from pydantic import AfterValidator


class ErrorOut(Schema):
    """A refusal with its reason: 401 no valid key, 403 not allowed, 404 no such object, 429
    too many writes (with Retry-After)."""

    detail: str = Field(..., description="What is wrong, naming the field where there is one")


class InputErrorItem(Schema):
    type: str = Field(..., description="The kind of fault, e.g. int_parsing, missing")
    loc: list[str | int] = Field(..., description="Where: the part of the request, then the field")
    msg: str


class InputErrorOut(Schema):
    """Input that does not validate: every fault with the field it is in."""

    detail: list[InputErrorItem]


NOT_FOUND = {404: ErrorOut}
INVALID_INPUT = {422: InputErrorOut}
NEEDS_KEY = {401: ErrorOut}
# Every write operation (POST, PUT, PATCH, DELETE): its writer's API_WRITES_PER_HOUR are used up
# (api.throttling); the Retry-After header says how many seconds to wait.
TOO_MANY_WRITES = {429: ErrorOut}

# Database keys are 64-bit; a path id past that cannot name a row and would overflow the query.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


def input_error(location: str, field: str, message: str) -> ValidationError:
    """A 422 in the same shape as the ones ninja gives for input that fails its schema, for
    faults only the operation can see (e.g. two fields that exclude each other)."""
    return ValidationError([{"type": "value_error", "loc": [location, field], "msg": message}])


def _refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


# Free text from a request: PostgreSQL cannot hold a NUL character in a query, so one is refused
# with a 422 naming the parameter rather than failing in the database.
Text = Annotated[str, AfterValidator(_refuse_nul)]

"""What the pages of an organisation, a municipality and an initiative show of the other apps'
work.

This app imports no other; the apps above it register a part here (in their `AppConfig.ready`):
a template and a reader `(subject, user) -> dict | None` that gives its context, or None when it
has nothing to show. The reader reads only what the user may read.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfilePart:
    template: str
    read: Callable[..., dict | None]


# subject kind -> its parts, in the order the page shows them
PARTS: dict[str, list[ProfilePart]] = {"organisation": [], "municipality": [], "initiative": []}


def register(kind: str, template: str, read: Callable[..., dict | None]) -> None:
    part = ProfilePart(template, read)
    if part not in PARTS[kind]:
        PARTS[kind].append(part)


def parts_for(kind: str, subject, user) -> list[tuple[str, dict]]:
    """(template, context) of each part that has something to show."""
    shown = []
    for part in PARTS[kind]:
        context = part.read(subject, user)
        if context:
            shown.append((part.template, context))
    return shown

"""The traffic lights of a reporting period, and their roll-up per goal and direction.

Pure Python (no Django), so the rules are tested on their own.

A subject's light (an initiative or an indicator) is the owner's reported state for the period;
failing that, for an indicator, the light of its computed progress status (`computed_light`);
failing that, "not reported".

The computed status is Open SDG's progress status of the indicator's values at the strategy's
counties (`COMPUTED_LIGHTS`): target achieved or on track is on track; progress made but
acceleration needed is at risk; limited progress or deterioration is off track; a place that
cannot be assessed gives nothing. Of several places the least favourable counts.

A group's light (`rolled_up`): not reported when every subject is; else off track if any is off
track; else at risk if any is at risk or more than a third are not reported; else on track.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mineralstrategi.implementation.rollup import Node

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NOT_REPORTED = "not_reported"
#: From the best to the worst; the order the pages count them in.
LIGHTS = (ON_TRACK, AT_RISK, OFF_TRACK, NOT_REPORTED)

COMPUTED_LIGHTS = {
    "achieved": ON_TRACK,
    "on_track": ON_TRACK,
    "acceleration_needed": AT_RISK,
    "limited_progress": OFF_TRACK,
    "deterioration": OFF_TRACK,
}
_WORST_FIRST = (OFF_TRACK, AT_RISK, ON_TRACK)


def computed_light(codes: Iterable[str]) -> str | None:
    """The light of an indicator's computed statuses at its places (the least favourable), or
    None when no place can be assessed."""
    lights = {COMPUTED_LIGHTS[code] for code in codes if code in COMPUTED_LIGHTS}
    return next((light for light in _WORST_FIRST if light in lights), None)


def light_of(reported: str | None, computed: str | None = None) -> str:
    """The reported state if any, else the computed light if any, else not reported."""
    return reported or computed or NOT_REPORTED


def rolled_up(lights: Iterable[str]) -> str | None:
    """The light of a group (see the module's rule); None for an empty group."""
    counts = Counter(lights)
    total = sum(counts.values())
    if not total:
        return None
    if counts[NOT_REPORTED] == total:
        return NOT_REPORTED
    if counts[OFF_TRACK]:
        return OFF_TRACK
    if counts[AT_RISK] or 3 * counts[NOT_REPORTED] > total:
        return AT_RISK
    return ON_TRACK


@dataclass(frozen=True)
class Lit:
    """One subject's light, with the section keys it serves or is linked to."""

    subject: tuple[str, int]  # ("initiative", pk) or ("indicator", pk)
    light: str
    section_keys: frozenset[str] = frozenset()


@dataclass
class GroupLights:
    key: str
    counts: dict[str, int]
    light: str | None
    children: list["GroupLights"] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def roll_up(roots: Sequence[Node], lit: Iterable[Lit]) -> list[GroupLights]:
    """The counts and light of every node, over the subjects of its subtree (each once)."""
    by_key: dict[str, list[Lit]] = {}
    for item in lit:
        for key in item.section_keys:
            by_key.setdefault(key, []).append(item)

    def visit(node: Node) -> tuple[GroupLights, dict]:
        subtree = {item.subject: item for item in by_key.get(node.key, [])}
        children = []
        for child in node.children:
            result, members = visit(child)
            children.append(result)
            subtree.update(members)
        lights = [item.light for item in subtree.values()]
        counts = Counter(lights)
        return (
            GroupLights(node.key, {light: counts[light] for light in LIGHTS}, rolled_up(lights),
                        children),
            subtree,
        )  # fmt: skip

    return [visit(root)[0] for root in roots]


def flatten(results: Sequence[GroupLights]) -> dict[str, GroupLights]:
    flat: dict[str, GroupLights] = {}
    for result in results:
        flat[result.key] = result
        flat.update(flatten(result.children))
    return flat

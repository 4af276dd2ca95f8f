"""The progress of every direction, goal and action, rolled up from the initiatives that serve it.

Pure Python (no Django), so that the arithmetic is tested on its own and usable from a notebook.

A node's progress is the weighted mean of the progress of the initiatives in its subtree: those
linked to the node itself and those linked to any of its descendants. That is the weighted mean of
its own initiatives and of its children's progress, each child weighted by its initiatives' total
weight; an initiative that serves several nodes of one subtree is counted once, not once per node.

Weights: the initiative's budget ("budget"), or one per initiative ("equal"). Where every budget in
a subtree is zero, budget weighting falls back to equal weights, so that a subtree of unfunded
initiatives still shows its progress. Cancelled initiatives are counted and their money shown, but
they do not pull the progress down (they will never progress).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

BUDGET = "budget"
EQUAL = "equal"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class InitiativeFigures:
    id: int
    progress: float  # 0–100
    budget: Decimal
    status: str = "ongoing"
    section_keys: frozenset[str] = frozenset()


@dataclass
class Node:
    key: str
    children: list["Node"] = field(default_factory=list)


@dataclass
class NodeResult:
    key: str
    progress: float | None  # None: no initiative (or only cancelled ones) in the subtree
    count: int
    budget: Decimal
    own_count: int
    children: list["NodeResult"] = field(default_factory=list)


def weighted_progress(initiatives: Iterable[InitiativeFigures], weighting: str) -> float | None:
    """The weighted mean progress of the initiatives, cancelled ones left out."""
    counted = [i for i in initiatives if i.status != CANCELLED]
    if not counted:
        return None
    if weighting == BUDGET:
        total = sum((i.budget for i in counted), Decimal(0))
        if total > 0:
            weighted = sum((Decimal(str(i.progress)) * i.budget for i in counted), Decimal(0))
            return float(weighted / total)
    elif weighting != EQUAL:
        raise ValueError(f"Unknown weighting {weighting!r}; use {BUDGET!r} or {EQUAL!r}.")
    return sum(i.progress for i in counted) / len(counted)


def roll_up(
    roots: Sequence[Node], initiatives: Iterable[InitiativeFigures], weighting: str
) -> list[NodeResult]:
    """The figures of every node of the tree, in the tree's shape."""
    by_key: dict[str, list[InitiativeFigures]] = {}
    for initiative in initiatives:
        for key in initiative.section_keys:
            by_key.setdefault(key, []).append(initiative)

    def visit(node: Node) -> tuple[NodeResult, dict[int, InitiativeFigures]]:
        subtree = {i.id: i for i in by_key.get(node.key, [])}
        own_count = len(subtree)
        results = []
        for child in node.children:
            child_result, child_initiatives = visit(child)
            results.append(child_result)
            subtree.update(child_initiatives)
        members = list(subtree.values())
        return (
            NodeResult(
                key=node.key,
                progress=weighted_progress(members, weighting),
                count=len(members),
                budget=sum((i.budget for i in members), Decimal(0)),
                own_count=own_count,
                children=results,
            ),
            subtree,
        )

    return [visit(root)[0] for root in roots]


def flatten(results: Sequence[NodeResult]) -> dict[str, NodeResult]:
    flat: dict[str, NodeResult] = {}
    for result in results:
        flat[result.key] = result
        flat.update(flatten(result.children))
    return flat


def totals_by(
    initiatives: Iterable[InitiativeFigures], groups: dict[int, Iterable[str]]
) -> dict[str, tuple[int, Decimal]]:
    """(count, budget) per group, where `groups` names each initiative's groups (e.g. its
    municipalities); an initiative in several groups counts fully in each."""
    totals: dict[str, tuple[int, Decimal]] = {}
    for initiative in initiatives:
        for group in set(groups.get(initiative.id, ())):
            count, money = totals.get(group, (0, Decimal(0)))
            totals[group] = (count + 1, money + initiative.budget)
    return totals

"""The roll-up arithmetic, on its own (no database)."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mineralstrategi.implementation import rollup
from mineralstrategi.implementation.rollup import InitiativeFigures, Node


def initiative(id, progress, budget, *keys, status="ongoing"):
    return InitiativeFigures(
        id=id,
        progress=progress,
        budget=Decimal(budget),
        status=status,
        section_keys=frozenset(keys),
    )


# direction D with goals G1 (actions A1, A2) and G2 (no initiatives)
TREE = [Node("D", [Node("G1", [Node("A1"), Node("A2")]), Node("G2")])]
INITIATIVES = [
    initiative(1, 100, 300_000, "A1"),
    initiative(2, 0, 100_000, "A2"),
    initiative(3, 50, 0, "G1"),
    initiative(4, 20, 600_000, "D"),
]


def test_budget_weighting_rolls_up_from_actions_through_goals_to_the_direction():
    results = rollup.flatten(rollup.roll_up(TREE, INITIATIVES, rollup.BUDGET))

    assert results["A1"].progress == 100
    assert results["A2"].progress == 0
    # G1: (100·300k + 0·100k + 50·0) / 400k
    assert results["G1"].progress == pytest.approx(75.0)
    assert results["G1"].count == 3 and results["G1"].own_count == 1
    assert results["G1"].budget == Decimal(400_000)
    # D: (100·300k + 0·100k + 50·0 + 20·600k) / 1,000k
    assert results["D"].progress == pytest.approx(42.0)
    assert results["D"].count == 4
    assert results["D"].budget == Decimal(1_000_000)
    assert results["G2"].progress is None and results["G2"].count == 0


def test_equal_weighting_counts_each_initiative_once():
    results = rollup.flatten(rollup.roll_up(TREE, INITIATIVES, rollup.EQUAL))

    assert results["G1"].progress == pytest.approx(50.0)  # (100 + 0 + 50) / 3
    assert results["D"].progress == pytest.approx(42.5)  # (100 + 0 + 50 + 20) / 4


def test_a_node_is_the_weighted_mean_of_its_own_initiatives_and_its_children():
    """Without overlaps the subtree mean equals the mean of own initiatives and children, each
    child weighted by its initiatives' total weight."""
    results = rollup.flatten(rollup.roll_up(TREE, INITIATIVES, rollup.BUDGET))
    g1, own = results["G1"], INITIATIVES[3]
    expected = (g1.progress * float(g1.budget) + own.progress * float(own.budget)) / float(
        g1.budget + own.budget
    )
    assert results["D"].progress == pytest.approx(expected)


def test_an_initiative_serving_a_goal_and_its_action_counts_once_for_the_goal():
    tree = [Node("G", [Node("A")])]
    results = rollup.flatten(
        rollup.roll_up(
            tree, [initiative(1, 80, 100, "G", "A"), initiative(2, 20, 100, "A")], rollup.EQUAL
        )
    )
    assert results["G"].count == 2
    assert results["G"].progress == pytest.approx(50.0)
    assert results["G"].budget == Decimal(200)


def test_budget_weighting_falls_back_to_equal_when_there_is_no_money():
    figures = [initiative(1, 30, 0, "A"), initiative(2, 90, 0, "A")]
    assert rollup.weighted_progress(figures, rollup.BUDGET) == pytest.approx(60.0)


def test_cancelled_initiatives_are_counted_but_do_not_pull_progress_down():
    tree = [Node("A")]
    figures = [initiative(1, 60, 100, "A"), initiative(2, 10, 900, "A", status="cancelled")]
    result = rollup.roll_up(tree, figures, rollup.BUDGET)[0]
    assert result.progress == pytest.approx(60.0)
    assert result.count == 2 and result.budget == Decimal(1000)
    assert rollup.weighted_progress([figures[1]], rollup.BUDGET) is None


def test_unknown_weighting_is_refused():
    with pytest.raises(ValueError, match="weighting"):
        rollup.weighted_progress([initiative(1, 10, 10, "A")], "by-feel")


def test_totals_by_group_count_an_initiative_fully_in_each_of_its_groups():
    totals = rollup.totals_by(INITIATIVES[:2], {1: ["2584", "2523"], 2: ["2584", "2584"]})
    assert totals == {
        "2584": (2, Decimal(400_000)),
        "2523": (1, Decimal(300_000)),
    }


def test_rollup_module_imports_nothing_from_django():
    source = Path(rollup.__file__).read_text(encoding="utf-8")
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.startswith(("django", "mineralstrategi")) for name in imported)


KEYS = ["D", "G1", "A1", "A2", "G2"]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 100),
            st.integers(0, 5_000_000),
            st.sampled_from(["planned", "ongoing", "completed", "cancelled"]),
            st.sets(st.sampled_from(KEYS), min_size=1, max_size=3),
        ),
        max_size=25,
    ),
    st.sampled_from([rollup.BUDGET, rollup.EQUAL]),
)
def test_every_node_lies_within_its_initiatives_and_the_root_takes_them_all(rows, weighting):
    figures = [
        initiative(n, progress, budget, *keys, status=status)
        for n, (progress, budget, status, keys) in enumerate(rows)
    ]
    results = rollup.flatten(rollup.roll_up(TREE, figures, weighting))
    subtree = {"D": KEYS, "G1": ["G1", "A1", "A2"], "A1": ["A1"], "A2": ["A2"], "G2": ["G2"]}
    for key, keys in subtree.items():
        members = [f for f in figures if f.section_keys & set(keys)]
        counted = [f.progress for f in members if f.status != "cancelled"]
        assert results[key].count == len(members)
        assert results[key].budget == sum((f.budget for f in members), Decimal(0))
        if counted:
            assert min(counted) - 1e-9 <= results[key].progress <= max(counted) + 1e-9
        else:
            assert results[key].progress is None
    assert results["D"].progress == rollup.weighted_progress(figures, weighting)

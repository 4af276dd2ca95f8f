"""The actor network: figures from networkx on a known graph, and the network drawn from approved
initiatives year by year."""

import datetime

import pytest

from mineralstrategi.cluster import network
from mineralstrategi.implementation import services
from mineralstrategi.implementation.services import InitiativeInput
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.strategy.conftest import make_strategy


def test_figures_of_a_known_network():
    # Two triangles (1,2,3) and (4,5,6) joined through 3–4; 1 and 2 share two initiatives.
    graph = network.build_graph([[1, 2, 3], [1, 2], [4, 5, 6], [3, 4]])
    figures = network.figures(graph)

    assert figures.edges[0] == (1, 2, 2)
    assert len(figures.edges) == 7
    assert figures.nodes[3].degree == 3 and figures.nodes[1].weighted_degree == 3
    # 3 and 4 carry every path between the triangles: 9 of the 10 pairs not involving them.
    assert figures.nodes[3].betweenness == pytest.approx(0.6)
    assert figures.nodes[1].betweenness == 0
    assert {figures.nodes[n].community for n in (1, 2, 3)} != {
        figures.nodes[n].community for n in (4, 5, 6)
    }
    assert figures.community_count == 2
    assert figures.density == pytest.approx(7 / 15, abs=1e-4)


def test_the_layout_is_deterministic_and_groups_by_role():
    roles = {1: "industry", 2: "public", 3: "academia", 4: "public"}
    names = {1: "Boliden", 2: "Region", 3: "LTU", 4: "Kommun"}
    first = network.circular_layout_by_role([1, 2, 3, 4], roles, names)
    assert first == network.circular_layout_by_role([4, 3, 2, 1], roles, names)
    assert first[4] == (400.0, 180.0)  # the first public organisation by name at the top


def test_names_stand_outside_the_circle_and_read_left_to_right():
    positions = {1: (400.0, 180.0), 2: (620.0, 400.0), 3: (400.0, 620.0), 4: (180.0, 400.0)}
    labels = network.radial_labels(positions)
    right, left = labels[2], labels[4]
    assert (right.x, right.anchor, right.rotation) == (629.0, "start", 0.0)
    assert (left.x, left.anchor, left.rotation) == (171.0, "end", 0.0)  # turned, not upside down
    assert labels[1].y < 180.0 and labels[3].y > 620.0


def test_a_helix_role_is_picked_out(client, partnership, region_vasterbotten, skelleftea, soup):
    from mineralstrategi.organisations.services import organisation_create

    university = organisation_create(name="Umeå universitet", kind="university")
    strategy, editor, direction = partnership
    add(strategy, editor, direction, region_vasterbotten, [skelleftea, university], (2015, 2016))

    page = soup(client.get("/klustret/natverk/", {"year": 2016, "role": "academia"}))

    assert page.select_one("#f-role option[selected]")["value"] == "academia"
    assert [th.text for th in page.select(".network-table tbody th")] == ["Umeå universitet"]
    dimmed = {g["data-id"] for g in page.select("g.network-node.dimmed")}
    assert dimmed == {str(region_vasterbotten.pk), str(skelleftea.pk)}
    # Lines that touch the university stand out; the one between the two others is dimmed.
    assert [line.title.text for line in page.select(".network-edge.dimmed")] == [
        "Skellefteå kommun – Region Västerbotten: 1"
    ]
    assert len(page.select(".network-edge:not(.dimmed)")) == 2
    everyone = soup(client.get("/klustret/natverk/", {"year": 2016, "role": "nonsense"}))
    assert len(everyone.select(".network-table tbody th")) == 3
    assert not everyone.select(".dimmed")


@pytest.fixture
def partnership(region_vasterbotten, skelleftea, kiruna, make_member, frameworks):
    strategy = make_strategy(region_vasterbotten, title="S", slug="s", start_year=2014)
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR)
    direction = strategy_services.section_create(
        version=strategy_services.strategy_draft(strategy), user=editor, kind="direction", title="D"
    )
    return strategy, editor, direction


@pytest.fixture
def frameworks(db):
    strategy_services.frameworks_load()


def add(strategy, editor, direction, lead, partners, years, approve=True):
    initiative = services.initiative_create(
        strategy=strategy,
        organisation=lead,
        user=editor if lead.pk in {o.pk for o in strategy.partnership.all()} else _member(lead),
        data=InitiativeInput(
            title=f"{lead} {years}",
            description="x",
            start_date=datetime.date(years[0], 1, 1),
            end_date=datetime.date(years[1], 12, 31),
            budget=0,
            section_keys=[str(direction.key)],
            partner_ids=[p.pk for p in partners],
        ),
    )
    if approve:
        services.initiative_approve(initiative, user=editor)
    return initiative


def _member(organisation):
    from django.contrib.auth import get_user_model

    from mineralstrategi.organisations.services import membership_grant

    user = get_user_model().objects.create_user(f"m{organisation.pk}")
    membership_grant(user=user, organisation=organisation, role=Role.CONTRIBUTOR)
    return user


def test_the_network_follows_approved_initiatives_year_by_year(
    client, partnership, region_vasterbotten, skelleftea, kiruna, soup
):
    strategy, editor, direction = partnership
    add(strategy, editor, direction, region_vasterbotten, [skelleftea], (2015, 2016))
    add(strategy, editor, direction, region_vasterbotten, [skelleftea, kiruna], (2016, 2017))
    add(strategy, editor, direction, kiruna, [skelleftea], (2017, 2017), approve=False)

    data = client.get("/api/network?year=2016").json()
    ids = {region_vasterbotten.pk, skelleftea.pk, kiruna.pk}
    assert {n["id"] for n in data["nodes"]} == ids
    weights = {(e["source"], e["target"]): e["weight"] for e in data["edges"]}
    pair = tuple(sorted((region_vasterbotten.pk, skelleftea.pk)))
    assert weights[pair] == 2
    assert sum(weights.values()) == 4

    only_2015 = client.get("/api/network?year=2015").json()
    assert len(only_2015["nodes"]) == 2 and only_2015["edges"][0]["weight"] == 1
    # The unapproved initiative of 2017 adds nothing.
    assert len(client.get("/api/network?year=2017").json()["edges"]) == 3

    page = soup(client.get("/en/klustret/natverk/?year=2016"))
    assert len(page.select("svg.network-figure g.network-node")) == 3
    assert len(page.select("svg.network-figure line.network-edge")) == 3
    assert [
        row.select_one("th").get_text()
        for row in page.select("#years-heading + .table-scroll table tbody tr")
    ] == ["2015", "2016", "2017"]


def test_the_figures_are_computed_once_for_the_same_collaborations(
    client, partnership, region_vasterbotten, skelleftea, kiruna, monkeypatch
):
    """Betweenness and communities cost seconds at national scale: another role, year or
    parameter, or a write elsewhere, reuses them; a new collaboration computes them again."""
    computed = []
    compute = network.figures
    monkeypatch.setattr(network, "figures", lambda graph: computed.append(1) or compute(graph))
    strategy, editor, direction = partnership
    add(strategy, editor, direction, region_vasterbotten, [skelleftea], (2015, 2016))

    client.get("/klustret/natverk/", {"year": 2016})
    first = len(computed)  # the chosen year's network and every year's
    for query in [{"year": 2016, "role": "academia"}, {"year": 2015}, {"zz": "1"}]:
        assert client.get("/en/klustret/natverk/", query).status_code == 200
    client.get("/api/network")
    assert len(computed) == first

    add(strategy, editor, direction, region_vasterbotten, [kiruna], (2016, 2016))
    client.get("/klustret/natverk/", {"year": 2016})
    assert len(computed) > first


def test_a_large_network_is_computed_by_the_worker_never_while_a_visitor_waits(
    client, partnership, region_vasterbotten, skelleftea, monkeypatch, soup,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """At national scale every year's figures took 22 s (benchmarks/RESULTS.md): the page and
    the API say they are being computed, queue the computation once, and show them once made."""
    from django.core.cache import caches
    from django_tasks_db.models import DBTaskResult

    from mineralstrategi.cluster import selectors
    from mineralstrategi.cluster.tasks import compute_network

    monkeypatch.setattr(selectors, "COMPUTE_AT_ONCE_LIMIT", 0)  # any network counts as large
    strategy, editor, direction = partnership
    add(strategy, editor, direction, region_vasterbotten, [skelleftea], (2015, 2016))
    # No figures kept from another test's identical network, and the computation the change
    # queued is forgotten (in this test the change is never committed, so never queued).
    caches["shared"].clear()

    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get("/klustret/natverk/", {"year": 2016})
        again = client.get("/klustret/natverk/", {"year": 2016})
        api = client.get("/api/network")

    page = soup(waiting)
    assert waiting.status_code == again.status_code == 202 and waiting["Retry-After"] == "10"
    assert "Nätverkets mått räknas fram" in page.select_one("main [role=status]").text
    assert page.select_one('meta[http-equiv="refresh"]') and not page.select(".network-table")
    assert again.get("X-Public-Cache") != "hit"  # never kept as the page
    assert api.status_code == 202 and "being computed" in api.json()["detail"]
    queued = DBTaskResult.objects.filter(task_path__endswith=".compute_network")
    assert queued.count() == 1  # once, however many ask

    assert compute_network.call() == 2  # the worker: 2015 and 2016

    shown = client.get("/klustret/natverk/", {"year": 2016})
    assert shown.status_code == 200
    assert [th.text for th in soup(shown).select(".network-table tbody th")] == [
        "Region Västerbotten",
        "Skellefteå kommun",
    ]
    assert client.get("/api/network").status_code == 200


def test_a_change_of_the_initiatives_queues_the_computation_before_anyone_asks(
    partnership, region_vasterbotten, skelleftea, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    strategy, editor, direction = partnership
    with django_capture_on_commit_callbacks(execute=True):
        add(strategy, editor, direction, region_vasterbotten, [skelleftea], (2015, 2016))

    queued = DBTaskResult.objects.filter(task_path__endswith=".compute_network")
    assert queued.count() == 1  # once for the whole change (the initiative, its partners)

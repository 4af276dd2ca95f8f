"""The actor network drawn from shared initiatives, and its figures. Pure: networkx, no Django.

Organisations are nodes; two organisations are joined when they take part (as lead or partner) in
the same initiative, and the edge's weight is the number of initiatives they share.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
from networkx.algorithms.community import greedy_modularity_communities

HELIX_ORDER = ("public", "academia", "industry", "civil_society")


@dataclass(frozen=True)
class NodeFigures:
    id: int
    degree: int
    weighted_degree: int
    betweenness: float
    community: int


@dataclass(frozen=True)
class NetworkFigures:
    nodes: dict[int, NodeFigures]
    edges: list[tuple[int, int, int]]  # (source, target, weight), source < target
    density: float
    community_count: int
    modularity: float | None


def build_graph(participants: Iterable[Sequence[int]]) -> nx.Graph:
    """A graph from each initiative's participating organisations."""
    graph = nx.Graph()
    for organisations in participants:
        unique = sorted(set(organisations))
        graph.add_nodes_from(unique)
        for a, b in combinations(unique, 2):
            weight = graph.get_edge_data(a, b, default={"weight": 0})["weight"]
            graph.add_edge(a, b, weight=weight + 1)
    return graph


def figures(graph: nx.Graph) -> NetworkFigures:
    """Degree, weighted degree, betweenness (unweighted, normalised) and greedy-modularity
    communities, numbered from the largest (ties by smallest member id), so that numbers are
    stable from one run to the next."""
    if graph.number_of_nodes() == 0:
        return NetworkFigures({}, [], 0.0, 0, None)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    if graph.number_of_edges():
        found = greedy_modularity_communities(graph, weight="weight")
        communities = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
        modularity = nx.community.modularity(graph, communities, weight="weight")
    else:
        communities = [[node] for node in sorted(graph.nodes)]
        modularity = None
    community_of = {node: index + 1 for index, c in enumerate(communities) for node in c}
    nodes = {
        node: NodeFigures(
            id=node,
            degree=graph.degree(node),
            weighted_degree=int(graph.degree(node, weight="weight")),
            betweenness=round(betweenness[node], 4),
            community=community_of[node],
        )
        for node in sorted(graph.nodes)
    }
    edges = sorted((min(a, b), max(a, b), data["weight"]) for a, b, data in graph.edges(data=True))
    return NetworkFigures(
        nodes=nodes,
        edges=edges,
        density=round(nx.density(graph), 4),
        community_count=len(communities),
        modularity=None if modularity is None else round(modularity, 4),
    )


NETWORK_SIZE = 800.0  # the drawing's viewBox side
LABEL_ROOM = 180.0  # between the circle and the edge of the drawing, for the names


def circular_layout_by_role(
    nodes: Sequence[int],
    roles: Mapping[int, str],
    names: Mapping[int, str],
    size: float = NETWORK_SIZE,
) -> dict[int, tuple[float, float]]:
    """Nodes on a circle, grouped by helix role (public, academia, industry, civil society) and by
    name within a role: the same network always looks the same, and the roles read as sectors."""
    ordered = sorted(
        nodes,
        key=lambda n: (
            HELIX_ORDER.index(roles.get(n)) if roles.get(n) in HELIX_ORDER else len(HELIX_ORDER),
            names.get(n, ""),
            n,
        ),
    )
    if not ordered:
        return {}
    centre, radius = size / 2, size / 2 - LABEL_ROOM
    positions = {}
    for index, node in enumerate(ordered):
        angle = 2 * math.pi * index / len(ordered) - math.pi / 2
        positions[node] = (
            round(centre + radius * math.cos(angle), 1),
            round(centre + radius * math.sin(angle), 1),
        )
    return positions


@dataclass(frozen=True)
class Label:
    """Where a node's name is written: just outside the circle, along the line from the centre,
    so that names never cross each other or the lines; on the left half turned to read left to
    right."""

    x: float
    y: float
    anchor: str  # SVG text-anchor: "start" on the right half, "end" on the left
    rotation: float  # degrees


def radial_labels(
    positions: Mapping[int, tuple[float, float]], size: float = NETWORK_SIZE, gap: float = 9.0
) -> dict[int, Label]:
    centre = size / 2
    labels = {}
    for node, (x, y) in positions.items():
        angle = math.atan2(y - centre, x - centre)
        degrees = math.degrees(angle)
        right = -90 <= degrees <= 90
        labels[node] = Label(
            x=round(x + gap * math.cos(angle), 1),
            y=round(y + gap * math.sin(angle), 1),
            anchor="start" if right else "end",
            rotation=round(degrees if right else degrees - 180, 1),
        )
    return labels

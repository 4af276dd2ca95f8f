"""Reads of sites and of the actor network, each in a fixed number of queries."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, QuerySet

from mineralstrategi.implementation.models import Initiative
from mineralstrategi.implementation.selectors import initiatives_reporting
from mineralstrategi.organisations.maps import choropleth, project_point, projection
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.organisations.tiles import tiles_for
from mineralstrategi.strategy.models import Strategy

from . import network
from .models import Site


def covered_county_codes() -> tuple[str, ...]:
    """The counties of the strategies on the platform (every county when there is none)."""
    codes = tuple(
        sorted(set(Strategy.counties.through.objects.values_list("county__code", flat=True)))
    )
    return codes


def site_list(*, kind: str | None = None, status: str | None = None) -> QuerySet[Site]:
    sites = Site.objects.select_related("operator", "municipality")
    if kind:
        sites = sites.filter(kind=kind)
    if status:
        sites = sites.filter(status=status)
    return sites


@dataclass
class PlacedSite:
    site: Site
    x: float
    y: float


def site_map(sites) -> tuple:
    """The base map of the covered counties, its municipalities shaded by the number of approved
    initiatives that take place there, the legend, the sites projected onto it, and the tiles of
    the background map (none unless MAP_TILES_URL is set)."""
    codes = covered_county_codes()
    placed = [PlacedSite(s, *project_point(codes, s.latitude, s.longitude)) for s in sites]
    counts = initiatives_per_municipality()
    base, shapes, legend = choropleth(codes, {code: float(n) for code, n in counts.items()})
    template = settings.MINERALSTRATEGI.get("MAP_TILES_URL")
    tiles = tiles_for(projection(codes), base.width, base.height, template) if template else ()
    return base, shapes, legend, placed, tiles


def shading_reporting():
    """What the map's shading rests on: the approved initiatives' date, period and example share."""
    return initiatives_reporting(Initiative.objects.approved())


def initiatives_per_municipality() -> dict[str, int]:
    """Approved initiatives per municipality code (one query)."""
    rows = (
        Initiative.municipalities.through.objects.filter(initiative__approved_at__isnull=False)
        .values("municipality__code")
        .annotate(n=Count("initiative", distinct=True))
    )
    return {row["municipality__code"]: row["n"] for row in rows}


# --- The actor network --------------------------------------------------------------------------


@dataclass
class Participation:
    initiative_id: int
    first_year: int
    last_year: int
    organisations: list[int]


def participations() -> list[Participation]:
    """Every approved initiative with its lead and partners (two queries)."""
    rows = {
        pk: Participation(pk, start.year, end.year, [lead])
        for pk, start, end, lead in Initiative.objects.approved().values_list(
            "pk", "start_date", "end_date", "lead_organisation_id"
        )
    }
    for initiative_id, organisation_id in Initiative.partners.through.objects.filter(
        initiative__approved_at__isnull=False
    ).values_list("initiative_id", "organisation_id"):
        rows[initiative_id].organisations.append(organisation_id)
    return list(rows.values())


def network_years(items: list[Participation]) -> list[int]:
    if not items:
        return []
    return list(range(min(p.first_year for p in items), max(p.last_year for p in items) + 1))


@dataclass
class NetworkView:
    year: int | None
    figures: network.NetworkFigures
    organisations: dict[int, Organisation]
    positions: dict[int, tuple[float, float]]
    # The helix role the reader picked: the others' organisations are dimmed in the drawing and
    # left out of the table ("" for all).
    role: str = ""

    def _chosen(self, pk: int) -> bool:
        return not self.role or self.organisations[pk].helix_role == self.role

    def node_rows(self):
        """(organisation, figures) of the chosen role, most central first."""
        return sorted(
            ((self.organisations[i], f) for i, f in self.figures.nodes.items() if self._chosen(i)),
            key=lambda row: (-row[1].betweenness, -row[1].degree, row[0].name),
        )

    def node_points(self):
        """(organisation, x, y, label, chosen) of every node."""
        labels = network.radial_labels(self.positions)
        return [
            (self.organisations[i], x, y, labels[i], self._chosen(i))
            for i, (x, y) in self.positions.items()
        ]

    def edge_lines(self):
        """(from, to, weight, organisation, organisation, chosen): chosen when either end is."""
        return [
            (
                self.positions[a],
                self.positions[b],
                weight,
                self.organisations[a],
                self.organisations[b],
                self._chosen(a) or self._chosen(b),
            )
            for a, b, weight in self.figures.edges
        ]


def network_for_year(
    year: int | None,
    items: list[Participation] | None = None,
    role: str = "",
    *,
    compute: bool = True,
) -> NetworkView | None:
    """The network of the initiatives active in `year` (all approved initiatives if None), with
    the organisations of one helix role picked out (all if ""). With `compute=False`, None when
    the figures of a large network are not computed yet (see `_figures_of`)."""
    items = participations() if items is None else items
    active = [p for p in items if year is None or p.first_year <= year <= p.last_year]
    figures = _figures_of(active, compute=compute)
    if figures is None:
        return None
    nodes = list(figures.nodes)
    organisations = Organisation.objects.in_bulk(nodes)
    positions = network.circular_layout_by_role(
        nodes,
        {pk: o.helix_role for pk, o in organisations.items()},
        {pk: o.name for pk, o in organisations.items()},
    )
    return NetworkView(year, figures, organisations, positions, role)


# How long computed figures are kept: they are keyed by what they are computed from, so they
# never go stale; the time only lets unused ones go.
FIGURES_SECONDS = 7 * 24 * 3600
# A network of at most this many initiatives is computed at once when a page asks (well under
# 0.1 s); a larger one only by the task worker (`tasks.compute_network`): at national scale
# (5,000 initiatives) every year's figures took 22 s (benchmarks/RESULTS.md).
COMPUTE_AT_ONCE_LIMIT = 300


def _figures_of(
    active: list[Participation], *, compute: bool = True
) -> network.NetworkFigures | None:
    """The figures of the network of `active`, computed once for the same collaborations.

    Betweenness and communities cost seconds at national scale, and the network page asks for
    every year's: the figures are kept in the shared cache (Redis, or files that every process
    reads) under a digest of the collaborations themselves (initiative, organisations), so that
    they are computed again only when the collaborations change, whatever else is written, and
    whatever year, role or parameter a visitor asks the page for. With `compute=False` (a
    page), a network larger than COMPUTE_AT_ONCE_LIMIT is left to the task worker: None."""
    digest = hashlib.sha256(
        repr(sorted((p.initiative_id, sorted(p.organisations)) for p in active)).encode()
    ).hexdigest()
    key = f"cluster-network-figures:{digest}"
    store = caches["shared"]
    figures = store.get(key)
    if figures is None and (compute or len(active) <= COMPUTE_AT_ONCE_LIMIT):
        figures = network.figures(network.build_graph(p.organisations for p in active))
        store.set(key, figures, FIGURES_SECONDS)
    return figures


@dataclass
class YearFigures:
    year: int
    initiatives: int
    organisations: int
    collaborations: int
    density: float
    communities: int


def network_by_year(
    items: list[Participation], *, compute: bool = True
) -> list[YearFigures] | None:
    """How the network changes year by year (no queries beyond `participations`); with
    `compute=False`, None while a large network's figures are not computed yet."""
    result = []
    for year in network_years(items):
        active = [p for p in items if p.first_year <= year <= p.last_year]
        figures = _figures_of(active, compute=compute)
        if figures is None:
            return None
        result.append(
            YearFigures(
                year=year,
                initiatives=len(active),
                organisations=len(figures.nodes),
                collaborations=len(figures.edges),
                density=figures.density,
                communities=figures.community_count,
            )
        )
    return result


# --- On the pages of organisations and municipalities (organisations.profiles) -----------------


def organisation_sites(organisation: Organisation, user) -> dict | None:
    """The sites it operates (sites are public)."""
    sites = list(Site.objects.filter(operator=organisation).select_related("municipality"))
    return {"sites": sites} if sites else None


def municipality_sites(municipality, user) -> dict | None:
    """The sites in the municipality."""
    sites = list(Site.objects.filter(municipality=municipality).select_related("operator"))
    return {"sites": sites} if sites else None

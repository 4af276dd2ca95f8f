"""The innovation system's pages: sites on the map of the counties, and the actor network."""

from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from mineralstrategi.exports import table_response
from mineralstrategi.organisations.models import HelixRole
from mineralstrategi.query import query_parameters

from . import selectors
from .forms import NetworkQuery, SiteListQuery
from .models import SiteKind, SiteStatus
from .tasks import RETRY_SECONDS, network_computation_queue


@query_parameters(SiteListQuery)
def site_list(request, query):
    kind, status = query["kind"], query["status"]
    sites = list(selectors.site_list(kind=kind, status=status))
    if export := query["export"]:
        return table_response(
            export,
            "platser",
            [
                "name",
                "kind",
                "status",
                "commodities",
                "operator",
                "municipality_code",
                "municipality",
                "lat",
                "lon",
                "source",
            ],
            (
                [
                    s.name,
                    s.kind,
                    s.status,
                    s.commodities,
                    s.operator_label,
                    s.municipality.code,
                    s.municipality.name,
                    s.latitude,
                    s.longitude,
                    s.source,
                ]
                for s in sites
            ),
        )
    base, shapes, legend, placed, tiles = selectors.site_map(sites)
    return render(
        request,
        "cluster/site_list.html",
        {
            "map": base,
            "shapes": shapes,
            "legend": legend,
            "placed": placed,
            "tiles": tiles,
            # What the tile service's terms ask to be said, else at least whose the map is.
            "tiles_attribution": settings.MINERALSTRATEGI.get("MAP_TILES_ATTRIBUTION")
            or urlsplit(settings.MINERALSTRATEGI.get("MAP_TILES_URL", "")).netloc,
            "reporting": selectors.shading_reporting(),
            "sites": sites,
            "kinds": SiteKind.choices,
            "statuses": SiteStatus.choices,
            "selected_kind": kind,
            "selected_status": status,
        },
    )


@query_parameters(NetworkQuery)
def network_page(request, query):
    items = selectors.participations()
    years = selectors.network_years(items)
    year = query["year"]
    if year is None and years:
        year = min(max(years), max(min(years), timezone.now().year))  # this year, if covered
    role = query["role"] or ""
    view = selectors.network_for_year(year, items, role, compute=False)
    by_year = selectors.network_by_year(items, compute=False)
    if view is None or by_year is None:
        return _network_being_computed(request, years, year, role)
    if export := query["export"]:
        return table_response(
            export,
            f"natverk-{year}",
            ["organisation", "helix_role", "degree", "weighted_degree", "betweenness", "community"],
            (
                [o.name, o.helix_role, f.degree, f.weighted_degree, f.betweenness, f.community]
                for o, f in view.node_rows()
            ),
        )
    return render(
        request,
        "cluster/network.html",
        {
            "view": view,
            "years": years,
            "year": year,
            "by_year": by_year,
            "roles": HelixRole.choices,
            "role": role,
        },
    )


def _network_being_computed(request, years, year, role):
    """A large network's figures are computed by the task worker, never while a visitor waits:
    until they are, the page says so and reloads itself, and is not kept in the page cache."""
    network_computation_queue()
    response = render(
        request,
        "cluster/network.html",
        {
            "computing": True,
            "reload_seconds": RETRY_SECONDS,
            "years": years,
            "year": year,
            "roles": HelixRole.choices,
            "role": role,
        },
        status=202,
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    add_never_cache_headers(response)
    return response

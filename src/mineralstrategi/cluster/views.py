"""The innovation system's pages: sites on the map of the counties, and the actor network."""

from django.shortcuts import render
from django.utils import timezone

from mineralstrategi.exports import table_response
from mineralstrategi.organisations.models import HelixRole

from . import selectors
from .models import SiteKind, SiteStatus


def site_list(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in SiteKind.values else None
    status = request.GET.get("status") if request.GET.get("status") in SiteStatus.values else None
    sites = list(selectors.site_list(kind=kind, status=status))
    if export := request.GET.get("export"):
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
    base, shapes, legend, placed = selectors.site_map(sites)
    return render(
        request,
        "cluster/site_list.html",
        {
            "map": base,
            "shapes": shapes,
            "legend": legend,
            "placed": placed,
            "reporting": selectors.shading_reporting(),
            "sites": sites,
            "kinds": SiteKind.choices,
            "statuses": SiteStatus.choices,
            "selected_kind": kind,
            "selected_status": status,
        },
    )


def network_page(request):
    items = selectors.participations()
    years = selectors.network_years(items)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is None and years:
        year = min(max(years), max(min(years), timezone.now().year))  # this year, if covered
    role = request.GET.get("role", "")
    role = role if role in HelixRole.values else ""
    view = selectors.network_for_year(year, items, role)
    if export := request.GET.get("export"):
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
            "by_year": selectors.network_by_year(items),
            "roles": HelixRole.choices,
            "role": role,
        },
    )

"""The innovation-system part of the JSON API: sites and the actor network."""

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from mineralstrategi.apikit.responses import INVALID_INPUT, ErrorOut

from . import selectors
from .tasks import RETRY_SECONDS, network_computation_queue

router = Router(tags=["cluster"])


class SiteOut(Schema):
    name: str
    slug: str
    kind: str
    status: str
    commodities: list[str] = Field(..., alias="commodity_list")
    operator: str = Field(..., alias="operator_label")
    lat: float = Field(..., alias="latitude")
    lon: float = Field(..., alias="longitude")
    municipality_code: str = Field(..., alias="municipality.code")
    opened: int | None
    closed: int | None
    source: str
    is_example: bool


class SiteQuery(Schema):
    kind: str | None = Field(None, pattern="^(mine|deposit|smelter|processing|test_bed|research)$")
    status: str | None = Field(None, pattern="^(operating|closed|project|exploration)$")


class NodeOut(Schema):
    id: int
    name: str
    slug: str
    helix_role: str
    degree: int
    weighted_degree: int
    betweenness: float
    community: int


class EdgeOut(Schema):
    source: int
    target: int
    weight: int


class NetworkOut(Schema):
    year: int | None
    density: float
    communities: int
    modularity: float | None
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class NetworkQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="Initiatives active that year")


@router.get("/sites", response={200: list[SiteOut], **INVALID_INPUT})
def sites(request, filters: Query[SiteQuery]):
    return selectors.site_list(kind=filters.kind, status=filters.status)


@router.get(
    "/network",
    response={200: NetworkOut, 202: ErrorOut, **INVALID_INPUT},
    description=(
        "A large network's figures are computed by the task worker: until they are, 202 with "
        "Retry-After (ask again then)."
    ),
)
def network(request, filters: Query[NetworkQuery], response: HttpResponse):
    view = selectors.network_for_year(filters.year, compute=False)
    if view is None:
        network_computation_queue()
        response["Retry-After"] = str(RETRY_SECONDS)
        detail = "the network's figures are being computed; ask again in a little while"
        return Status(202, {"detail": detail})
    return {
        "year": filters.year,
        "density": view.figures.density,
        "communities": view.figures.community_count,
        "modularity": view.figures.modularity,
        "nodes": [
            {
                "id": organisation.pk,
                "name": organisation.name,
                "slug": organisation.slug,
                "helix_role": organisation.helix_role,
                "degree": f.degree,
                "weighted_degree": f.weighted_degree,
                "betweenness": f.betweenness,
                "community": f.community,
            }
            for organisation, f in view.node_rows()
        ],
        "edges": [
            {"source": a, "target": b, "weight": weight} for a, b, weight in view.figures.edges
        ],
    }

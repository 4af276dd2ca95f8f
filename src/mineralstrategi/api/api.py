"""The JSON API, assembled from each app's router. Schema at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

from mineralstrategi import __version__
from mineralstrategi.organisations.api import router as organisations_router

api = NinjaAPI(
    title="Mineralstrategi API",
    version=__version__,
    description="Counties, municipalities and organisations of a regional mineral strategy.",
    urls_namespace="api",
)
api.add_router("/", organisations_router)

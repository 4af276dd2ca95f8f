"""The JSON API, assembled from each app's router. Schema at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

from mineralstrategi import __version__
from mineralstrategi.indicators.api import router as indicators_router
from mineralstrategi.organisations.api import router as organisations_router

api = NinjaAPI(
    title="Mineralstrategi API",
    version=__version__,
    description="Counties, municipalities, organisations, indicators and metal prices of a regional mineral strategy.",
    urls_namespace="api",
)
api.add_router("/", organisations_router)
api.add_router("/", indicators_router)

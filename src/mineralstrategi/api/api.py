"""The JSON API, assembled from each app's router. Schema at /api/openapi.json, docs at /api/docs."""

from functools import partial

from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.openapi.schema import OpenAPISchema

from mineralstrategi import __version__
from mineralstrategi.cluster.api import router as cluster_router
from mineralstrategi.consultation.api import router as consultation_router
from mineralstrategi.implementation.api import router as implementation_router
from mineralstrategi.indicators.api import router as indicators_router
from mineralstrategi.organisations.api import router as organisations_router
from mineralstrategi.portal.api import router as portal_router
from mineralstrategi.reports.api import router as reports_router
from mineralstrategi.strategy.api import router as strategy_router

from .throttling import WriteLimit, too_many_writes


class ScopedOpenAPISchema(OpenAPISchema):
    """The schema, with the scope each operation needs of an API key in its security
    requirement (`{"ApiKeyAuth": ["import"]}`; OpenAPI 3.1 lets a requirement of any scheme
    list roles): ninja leaves them empty. The scope is the one the operation declares with
    `organisations.api_auth.api_key_or_session(scope)`."""

    def operation_security(self, operation):
        requirements = super().operation_security(operation)
        documented = [
            auth for auth in operation.auth_callbacks if hasattr(auth, "openapi_security_schema")
        ]
        for requirement, auth in zip(requirements or [], documented, strict=True):
            if scope := getattr(auth, "scope", None):
                requirement[type(auth).__name__] = [str(scope)]
        return requirements


class MineralstrategiAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ScopedOpenAPISchema(self, path_prefix)


api = MineralstrategiAPI(
    title="Mineralstrategi API",
    version=__version__,
    description=(
        "Counties, municipalities and organisations of a regional mineral strategy; the "
        "strategy's versions, sections, diffs and reference frameworks; indicators and metal prices; "
        "consultation rounds, their public answers and compilations; initiatives and action "
        "plans; mines, plants and test beds; the actor network; published news and events, "
        "and the site search. Writes and private reads take a personal API key "
        "(`Authorization: Bearer ms_…`, with an expiry date and scopes: see the ApiKeyAuth "
        "scheme) or the browser's logged-in session."
    ),
    urls_namespace="api",
    # Every write (POST, PUT, PATCH, DELETE) counts against its writer's API_WRITES_PER_HOUR.
    throttle=[WriteLimit()],
)
api.add_exception_handler(Throttled, partial(too_many_writes, api=api))
api.add_router("/", organisations_router)
api.add_router("/", strategy_router)
api.add_router("/", indicators_router)
api.add_router("/", implementation_router)
api.add_router("/", cluster_router)
api.add_router("/", portal_router)
api.add_router("/", consultation_router)
api.add_router("/", reports_router)

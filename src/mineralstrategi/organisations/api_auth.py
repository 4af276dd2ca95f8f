"""How the API knows who is calling: a personal API key (`Authorization: Bearer ms_…`) or the
browser's logged-in session. Reads that are public need neither.

Every operation that takes a key declares, in one place, the scope it needs:
`auth=api_key_or_session(ApiScope.IMPORT)`. The scope is shown in the OpenAPI schema (the
operation's security, `api.api`) and checked here: a key without it gets 403 naming it; an
expired or revoked key gets 401 saying which. The session acts with its holder's permissions
(a logged-in person has every scope: the permissions decide)."""

from django.utils import translation
from django.utils.functional import lazy
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from mineralstrategi.visitors import client_ip

from .models import SCOPE_INCLUDES, ApiScope
from .services import ApiKeyRefused, api_token_authenticate


def _key_description() -> str:
    """The key scheme's description, in English as the rest of the API (the scopes' labels are
    translated for the keys page)."""
    with translation.override("en"):
        scopes = "; ".join(f"`{scope.value}`: {scope.label}" for scope in ApiScope)
    return (
        "A personal API key, made on the page /konto/api-nycklar/ and sent as "
        "`Authorization: Bearer ms_…`. A key is valid until its expiry date (30 days, 90 days "
        "or a year, at most API_KEY_MAX_DAYS; renewable on that page while it is valid) and "
        f"acts with its holder's permissions, narrowed by its scopes: {scopes}. Each "
        "operation's security names the scope it needs. An expired or revoked key is answered "
        "401 saying which (and since when); a key without the scope an operation needs, 403 "
        "naming the scope."
    )


# Lazy: worded when the schema is written, once the translations are loaded.
KEY_DESCRIPTION = lazy(_key_description, str)()


class ApiKeyAuth(HttpBearer):
    openapi_description = KEY_DESCRIPTION

    def __init__(self, scope: ApiScope):
        if scope not in SCOPE_INCLUDES:
            raise ValueError(f"no such scope: {scope!r}")
        self.scope = ApiScope(scope)
        super().__init__()

    def authenticate(self, request, token: str):
        try:
            user = api_token_authenticate(token, scope=self.scope, address=client_ip(request))
        except ApiKeyRefused as refused:
            raise HttpError(refused.status, refused.detail) from None
        if user is not None:
            request.user = user
        return user


class LoggedInSessionAuth(SessionAuth):
    """The browser's session, with its CSRF check. A caller who is not logged in has no session
    to protect: they get 401 (no credentials) rather than the CSRF check's 403."""

    openapi_description = "The browser's logged-in session (with its CSRF token for writes)."

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def api_key_or_session(scope: ApiScope) -> list:
    """The `auth` of an operation that needs `scope` of a key, or the logged-in session."""
    return [ApiKeyAuth(scope), LoggedInSessionAuth()]

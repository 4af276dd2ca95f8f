"""How the API knows who is calling: a personal API key (`Authorization: Bearer ms_…`) or the
browser's logged-in session. Reads that are public need neither."""

from ninja.security import HttpBearer, SessionAuth

from .services import api_token_user


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class LoggedInSessionAuth(SessionAuth):
    """The browser's session, with its CSRF check. A caller who is not logged in has no session
    to protect: they get 401 (no credentials) rather than the CSRF check's 403."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api_key_or_session = [ApiKeyAuth(), LoggedInSessionAuth()]

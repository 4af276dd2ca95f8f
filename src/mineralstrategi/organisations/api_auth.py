"""How the API knows who is calling: a personal API key (`Authorization: Bearer ms_…`) or the
browser's logged-in session. Reads that are public need neither."""

from ninja.security import HttpBearer, django_auth

from .services import api_token_user


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api_key_or_session = [ApiKeyAuth(), django_auth]

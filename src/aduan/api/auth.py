"""Bearer-token authentication of staff: the call acts as the token's user."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from aduan.accounts.models import User
from aduan.api.ratelimit import check_rate
from aduan.api.services import Unauthenticated, api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer adn_…`; unknown, revoked or expired tokens get 401."""

    openapi_description = "API token of a staff user (create it in the admin or with " \
                          "`manage.py create_api_token <username>`)."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            user = api_token_authenticate(token, ip=request.META.get("REMOTE_ADDR"))
        except Unauthenticated:
            return None
        check_rate("staff", str(user.pk))
        return user


token_auth = ApiTokenAuth()

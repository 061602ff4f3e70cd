"""The versioned REST API (django-ninja): one router per resource, one error envelope."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed

from aduan.api.errors import install_error_handlers
from aduan.api.openapi import add_business_rules, with_request_office
from aduan.api.routers import cases, public


class LocalSwagger(Swagger):
    """The docs page with Swagger UI from this server's static files, not a CDN (the CSP allows
    no other origin). django-ninja does that only when it is an installed app, which it is not,
    so that web workers do not load it at start (config/settings.py, config/lazyurls.py); its
    templates and static files are found all the same."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {
            "swagger_settings": json.dumps(self.settings, indent=1), "api": api,
            "add_csrf": _csrf_needed(api)})


class AduanAPI(NinjaAPI):
    """The document states the business rules (api/openapi.py)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return add_business_rules(super().get_openapi_schema(*args, **kwargs))


api = AduanAPI(
    title="Aduan API",
    version="1",
    description=(
        "REST API of Aduan, the public-complaint management system. Public endpoints submit "
        "a complaint and follow it by tracking code; staff endpoints (API token of a staff "
        "user, `Authorization: Bearer <token>`) list, read and act on cases under the same "
        "role and unit rules as the desk. Every error has the shape "
        '`{"error": {"code", "message", "message_en"}}`. See docs/api.md.'
    ),
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    docs_decorator=with_request_office,
)
install_error_handlers(api)


@api.get("/health", summary="Service health", tags=["meta"], operation_id="HealthApi")
def health(request) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"status": "ok"}


api.add_router("/", public.router)
api.add_router("/", cases.router)

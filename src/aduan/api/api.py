"""The versioned REST API (django-ninja): one router per resource, one error envelope."""

from typing import Any

from ninja import NinjaAPI

from aduan.api.errors import install_error_handlers
from aduan.api.openapi import add_business_rules, with_request_office
from aduan.api.routers import cases, public


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
    docs_decorator=with_request_office,
)
install_error_handlers(api)


@api.get("/health", summary="Service health", tags=["meta"], operation_id="HealthApi")
def health(request) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"status": "ok"}


api.add_router("/", public.router)
api.add_router("/", cases.router)

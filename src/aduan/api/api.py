"""The versioned REST API (django-ninja); endpoints are added per resource module."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Aduan API",
    version="1",
    description="REST API of Aduan, the public-complaint management system.",
    urls_namespace="api-v1",
)


@api.get("/health", summary="Service health", tags=["meta"])
def health(request) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"status": "ok"}

"""Probes for load balancers and the Prometheus scrape endpoint."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from aduan.ops import health, metrics


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers HTTP. Touches neither the database nor the cache, so a
    database outage never gets healthy processes restarted."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 while the node can take complaints, 503 when a critical check fails;
    the body lists every check (health.py)."""
    ready, checks = health.readiness()
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {c.name: {"status": c.status, "critical": c.critical, **c.detail}
                   for c in checks},
    }
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "30"
    return response


def metrics_allowed(request: HttpRequest) -> bool:
    """A scraper gets in with the bearer token (ADUAN_METRICS_TOKEN) or from an allowed
    address (ADUAN_METRICS_ALLOWED_IPS, addresses or networks). Nothing is allowed by default."""
    token = settings.ADUAN_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(
            header.removeprefix("Bearer ").strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False)
               for net in settings.ADUAN_METRICS_ALLOWED_IPS)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)

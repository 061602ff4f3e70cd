"""Fixed-window rate limits on Django's cache (Redis in production, shared by all workers)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from aduan.api.errors import RateLimited

# scope -> (requests, window in seconds); ADUAN_API_RATE_LIMITS in settings overrides them.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "submit": (10, 3600),        # public complaint creation, per client address
    "track": (120, 60),          # public status look-ups, per client address
    # Per tracking code (any spelling of one code counts as that code; the key is a hash):
    # a harvested or leaked code cannot be hammered from many addresses (issue 11).
    "track_code": (60, 3600),    # look-ups of one code, portal and API together
    "reporter_action": (20, 3600),       # confirm, reopen, rate: per client address
    "reporter_action_code": (10, 3600),  # the same, per tracking code
    "staff": (600, 60),          # staff calls, per user
    "open311_post": (60, 3600),  # Open311 POST requests, per api_key
    "open311_read": (300, 60),   # Open311 reads, per client address
}


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites
    # it, and the deployment's proxy (if any) is configured to pass the real address here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check_rate(scope: str, ident: str) -> None:
    """Count one request of `ident` in `scope`; raise RateLimited past the limit."""
    limits = {**DEFAULT_LIMITS, **getattr(settings, "ADUAN_API_RATE_LIMITS", {})}
    limit, window = limits[scope]
    now = int(time.time())
    bucket = now - now % window
    key = f"aduan-api-rl:{scope}:{ident}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        raise RateLimited(retry_after=max(1, bucket + window - now))

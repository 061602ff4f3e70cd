"""The API's rate limits: the one limiter of `aduan.core.ratelimit` (kept importable here)."""

from aduan.core.ratelimit import (
    DEFAULT_LIMITS,
    RateLimited,
    check_rate,
    client_address,
    contact_ident,
    rate_count,
)

__all__ = ["DEFAULT_LIMITS", "RateLimited", "check_rate", "client_address", "contact_ident",
           "rate_count"]

"""Rate limits for every public door (portal, API, Open311, webhooks), on Django's cache
(Redis in production, shared by all workers).

- `client_address(request)`: the client's IP, which is REMOTE_ADDR: behind our reverse
  proxies the outermost middleware (`core.proxy.client_address`) has already put the client's
  address there (X-Forwarded-For walked through ADUAN_TRUSTED_PROXIES only), so a client
  cannot choose its bucket by sending its own X-Forwarded-For (docs/deployment.md).
- `check_rate(scope, ident)`: count one request of `ident` in `scope` (fixed windows, an
  atomic counter); raise RateLimited (429, with Retry-After) past the limit.
- The limiter fails open: with the cache unreachable a request is allowed and a warning is
  logged (at most once a minute per process), because refusing every citizen while Redis is
  down would be worse than a few extra requests.

Scopes and their limits are in DEFAULT_LIMITS; ADUAN_RATE_LIMITS (or the older
ADUAN_API_RATE_LIMITS) in settings overrides them
(None switches a scope off, e.g. for a load benchmark from one address).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.connection import ConnectionProxy
from django.utils.translation import gettext as _

from aduan.core.exceptions import ApplicationError
from aduan.core.filecache import FileCache

logger = logging.getLogger(__name__)

# scope -> (requests, window in seconds)
DEFAULT_LIMITS: dict[str, tuple[int, int] | None] = {
    "submit": (10, 3600),           # API complaint creation, per client address
    "track": (120, 60),             # API status look-ups, per client address
    # Per tracking code (any spelling of one code counts as that code; the key is a hash):
    # a harvested or leaked code cannot be hammered from many addresses (issue 11).
    "track_code": (60, 3600),       # look-ups of one code, portal and API together
    # The second way in (register number + last four digits of the phone): four digits are
    # guessable, so few tries per number, and few numbers per address.
    "track_number": (5, 3600),
    "track_number_address": (10, 3600),
    "reporter_action": (20, 3600),       # confirm, reopen, rate: per client address
    "reporter_action_code": (10, 3600),  # the same, per tracking code
    "staff": (600, 60),             # staff API calls, per user
    "open311_post": (60, 3600),     # Open311 POST requests, per api_key
    "open311_read": (300, 60),      # Open311 reads, per client address
    # Web form submissions per client address: a busy internet café or an office behind one
    # NAT address still fits; a script does not.
    "web_submit": (20, 3600),
    # Submissions per reporter contact (phone or e-mail), every public channel together: a
    # citizen with several problems fits; flooding one number with receipts does not.
    "submit_contact": (5, 3600),
    # Data-subject requests through the portal (aduan.rights), per client address: asking for
    # a one-time code, and typing one (each challenge also allows only 5 tries, and each case
    # 3 codes an hour).
    "rights_start": (10, 3600),
    "rights_verify": (30, 3600),
    # Public satisfaction survey answers per client address (an office's waiting-room tablet
    # behind one address still fits).
    "survey": (60, 3600),
    # The licensing system's push of permit applications, per client address (watch/push.py);
    # wrong tokens count too.
    "watch_push": (120, 3600),
}

_last_warning = [0.0]


class RateLimited(ApplicationError):
    code = "rate_limited"
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(_("Terlalu banyak permintaan; coba lagi dalam %(s)s detik.")
                         % {"s": retry_after})
        self.retry_after = retry_after


# Older single-scope settings, still honoured.
_SCOPE_SETTINGS = {"web_submit": "ADUAN_PORTAL_SUBMIT_LIMIT"}


def limit_for(scope: str) -> tuple[int, int] | None:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "ADUAN_API_RATE_LIMITS", {}),
              **getattr(settings, "ADUAN_RATE_LIMITS", {})}
    if (name := _SCOPE_SETTINGS.get(scope)) and hasattr(settings, name):
        return getattr(settings, name)
    return limits[scope]


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, which the outermost middleware has set to the client's address."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def contact_ident(phone: str = "", email: str = "") -> str:
    """A reporter's contact as a bucket name (hashed: no personal data in cache keys)."""
    contact = (phone or email or "").strip().lower()
    return hashlib.sha256(contact.encode()).hexdigest()[:32] if contact else ""


def _warn(exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        logger.warning("rate limiter's cache unreachable, requests are let through: %r", exc)


def _key(scope: str, ident: str, bucket: int) -> str:
    """The cache key of `ident`'s counter in `scope` for the window starting at `bucket`: one
    spelling for the count and its refund, so a refund always finds the count's counter."""
    return f"aduan-rl:{scope}:{ident}:{bucket}"


def rate_count(scope: str, ident: str, *, at: int | None = None) -> int | None:
    """Count one request (in the window of `at`, a time.time() in whole seconds, if given,
    else of now); the seconds until the window ends if over the limit, else None. A caller that
    may take the count back (`rate_refund`) passes the same `at` to both."""
    configured = limit_for(scope)
    if configured is None or not ident:
        return None
    limit, window = configured
    now = int(time.time()) if at is None else at
    bucket = now - now % window
    key = _key(scope, ident, bucket)
    try:
        backend = _backend()
        if isinstance(backend, RedisCache):
            # Imported here: redis-py loads only where the cache is Redis.
            from aduan.core.cache import ResilientRedisCache, redis_count

            if not isinstance(backend, ResilientRedisCache):
                count = redis_count(backend, key, window + 1)
            elif (counted := backend.count(key, window + 1)) is not None:
                count = counted
            else:  # Redis unreachable: its back-off logged it, let the request through
                return None
        elif isinstance(backend, FileCache):
            count = backend.count(key, window + 1)
        elif cache.add(key, 1, timeout=window + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window + 1)
                count = 1
    except Exception as exc:  # the cache is down: fail open
        _warn(exc)
        return None
    if count > limit:
        return max(1, bucket + window - now)
    return None


# Redis: take one count back only from a counter that exists and is above zero (a DECR on a
# missing key would make a counter without expiry).
_UNCOUNT = ("local v = tonumber(redis.call('get', KEYS[1]) or '0') "
            "if v > 0 then return redis.call('decr', KEYS[1]) end return 0")


def rate_refund(scope: str, ident: str, *, at: int) -> None:
    """Take back the count `rate_count(scope, ident, at=at)` made for this request: the request
    turned out to be a replay of one already counted (a double click on the web form), which
    must not use up the reporter's limit. Fails open like the count.

    `at` is the count's own time, so the count is taken back from the window it was made in:
    a replay counted in the last instant of a window and found to be one in the next would
    otherwise take a count off the next window's counter, i.e. off other submissions (one
    more fresh submission past the limit per such replay; review of session 10)."""
    configured = limit_for(scope)
    if configured is None or not ident:
        return
    window = configured[1]
    key = _key(scope, ident, at - at % window)
    try:
        backend = _backend()
        if isinstance(backend, RedisCache):
            name = backend.make_and_validate_key(key)
            backend._cache.get_client(name, write=True).eval(_UNCOUNT, 1, name)
        elif isinstance(backend, FileCache):
            backend.uncount(key, window + 1)
        else:
            with contextlib.suppress(ValueError):  # gone (expired): nothing to take back
                if (cache.get(key) or 0) > 0:
                    cache.decr(key)
    except Exception as exc:  # the cache is down: nothing to take back
        _warn(exc)


# A sliding window counted in slots: the window's length in SLIDING_SLOTS slots, one atomic
# counter per slot.
SLIDING_SLOTS = 6


def sliding_count(scope: str, ident: str, limit: int, window: int, *,
                  at: float | None = None) -> bool:
    """Count one request of `ident` in `scope` (at `at`, a time.time(), if given, else now);
    False when it is over `limit` requests in a sliding `window` of seconds: when the requests
    counted in this slot (this one included) and in the SLIDING_SLOTS slots before it number
    more than `limit`. So no `window` seconds ever hold more than `limit` allowed requests,
    across a minute boundary too (fixed windows allow twice the limit there); a request is
    refused for at most one slot longer than `window` after the last ones. Refused requests
    count as well (a client hammering stays refused).

    Exact across processes and threads: this slot's counter is the backend's atomic counter,
    so each of many simultaneous requests gets a rank of its own, and the earlier slots are
    closed (no request counts there any more). One round trip to Redis (the count and the
    reads in one pipeline); the file cache's table: one count and SLIDING_SLOTS reads, each
    under its group's lock. Fails open, like `rate_count`."""
    now = time.time() if at is None else at
    length = max(1, -(-window // SLIDING_SLOTS))  # the slot, rounded up to whole seconds
    start = int(now) - int(now) % length
    key = _key(scope, ident, start)
    earlier = [_key(scope, ident, start - length * i) for i in range(1, SLIDING_SLOTS + 1)]
    timeout = length * (SLIDING_SLOTS + 1) + 1  # until the slot is no longer read
    try:
        backend = _backend()
        if isinstance(backend, RedisCache):
            from aduan.core.cache import ResilientRedisCache, redis_count_reading

            if not isinstance(backend, ResilientRedisCache):
                count, before = redis_count_reading(backend, key, timeout, earlier)
            elif (counted := backend.count_reading(key, timeout, earlier)) is not None:
                count, before = counted
            else:  # Redis unreachable: its back-off logged it, let the request through
                return True
        elif isinstance(backend, FileCache):
            count = backend.count(key, timeout)
            # Over the limit in this slot alone: refused without reading the others.
            before = [backend.peek(other, timeout) for other in earlier] if count <= limit else []
        else:
            if cache.add(key, 1, timeout=timeout):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add() and incr()
                    cache.add(key, 1, timeout=timeout)
                    count = 1
            before = [int(value) for value in cache.get_many(earlier).values()]
    except Exception as exc:  # the cache is down: fail open
        _warn(exc)
        return True
    return count + sum(before) <= limit


def _backend() -> object:
    """The default cache's backend object (`cache` is Django's per-thread proxy, which an
    isinstance() test does not see through), to count with Redis's or the file cache's own
    counters."""
    if isinstance(cache, ConnectionProxy):
        return caches[DEFAULT_CACHE_ALIAS]
    return cache


def check_rate(scope: str, ident: str) -> None:
    """Count one request of `ident` in `scope`; raise RateLimited past the limit."""
    if (retry_after := rate_count(scope, ident)) is not None:
        raise RateLimited(retry_after=retry_after)

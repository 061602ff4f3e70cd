"""Rate limits on what a tracking code unlocks, shared by the portal and the public API.

Knowing a tracking code is the reporter's only credential, so looking a code up and acting
with it (confirm satisfaction, reopen, rate) are counted per client address (enumeration
from one place) and per code (one code tried from many places). Any spelling of a code counts
as that code, and unknown codes are counted like known ones, so the answer to an over-limit
request says nothing about whether the code exists.
"""

from __future__ import annotations

from django.http import HttpRequest

from aduan.api.ratelimit import check_rate, client_address
from aduan.complaints.tracking import code_rate_key


def limit_lookup(code: str, candidates: list[str] | None = None) -> None:
    """Count one look-up of `code` (the per-address count is the caller's: the portal and the
    API count addresses differently). Raises RateLimited. `candidates`: `code_candidates(code)`
    when the caller has it already."""
    check_rate("track_code", code_rate_key(code, candidates))


def limit_reporter_action(request: HttpRequest, code: str) -> None:
    """Count one reporter action with `code`, per address first, then per code."""
    check_rate("reporter_action", client_address(request))
    check_rate("reporter_action_code", code_rate_key(code))

"""Shared handling of provider HTTP answers: which failures are worth retrying."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aduan.notifications.senders import PermanentSendError, TransientSendError

if TYPE_CHECKING:  # httpx (and its CLI's rich/click) loads in the sending worker only
    import httpx



def timeout() -> httpx.Timeout:
    import httpx

    return httpx.Timeout(20.0, connect=10.0)


def post_json(url: str, *, json: dict, provider: str, **kwargs: object) -> httpx.Response:
    import httpx  # here, not at import: web workers never load it

    try:
        response = httpx.post(url, json=json, timeout=timeout(), **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        raise TransientSendError(f"{provider} tidak dapat dihubungi: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientSendError(f"{provider} HTTP {response.status_code}: {error_detail(response)}")
    if response.status_code >= 400:
        raise PermanentSendError(f"{provider} HTTP {response.status_code}: {error_detail(response)}")
    return response


def error_detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or error)[:300]
        if error or data.get("message"):
            return str(error or data.get("message"))[:300]
    return str(data)[:300]

"""The composed request stack under ASGI (config/asgi.py): its sync-only layers are adapted by
Django, and a public page, the 413 and the staff rules answer as under WSGI (review of
issue 17's composed middlewares, session 8)."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import AsyncClient
from django.urls import reverse

from aduan.accounts.testing import login_verified

pytestmark = pytest.mark.django_db


async def _asgi_get(path: str) -> tuple[int, dict[bytes, bytes]]:
    """One GET through config/asgi.py's application, as an ASGI server sends it."""
    from aduan.config.asgi import application

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": [(b"host", b"testserver")],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    received = asyncio.Event()
    sent: list[dict] = []

    async def receive() -> dict:
        if not received.is_set():
            received.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError

    async def send(message: dict) -> None:
        sent.append(message)

    # As Django's test clients do: the request's start must not close the test's connection.
    request_started.disconnect(close_old_connections)
    try:
        await application(scope, receive, send)
    finally:
        request_started.connect(close_old_connections)
    start = sent[0]
    return start["status"], {k.lower(): v for k, v in start["headers"]}


def test_a_public_page_through_the_asgi_application(office):
    status, headers = async_to_sync(_asgi_get)("/")
    assert status == 200
    assert headers[b"x-frame-options"] == b"DENY"
    assert b"content-security-policy" in headers
    assert b"sessionid" not in headers.get(b"set-cookie", b"")  # no session for a visitor
    status, headers = async_to_sync(_asgi_get)("/desk/")
    assert status == 302 and headers[b"location"].startswith(reverse("accounts:login").encode())


def test_the_staff_rules_and_the_second_factor_under_asgi(users):
    client = AsyncClient()
    client.force_login(users["ketua"])  # a password alone: the second factor is asked
    response = async_to_sync(client.get)("/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-verify"))
    client = login_verified(AsyncClient(), users["ketua"])
    assert async_to_sync(client.get)("/desk/").status_code == 200
    response = async_to_sync(client.post)("/", CONTENT_LENGTH=str(10**12))
    assert response.status_code == 413

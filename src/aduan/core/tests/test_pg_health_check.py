"""The PostgreSQL health check without a round trip (core/backends/postgresql): a live idle
connection is trusted without `SELECT 1`; one the server has closed is replaced before the
request's first query, as with Django's own check."""

from __future__ import annotations

import select
import time

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def checked():
    """Health checks on, as in production; counts Django's `SELECT 1` checks."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # the backend object itself, not the proxy
    calls: list[int] = []
    real = type(wrapper).is_usable
    enabled = wrapper.health_check_enabled
    wrapper.health_check_enabled = True
    wrapper.is_usable = lambda: calls.append(1) or real(wrapper)
    yield calls
    del wrapper.is_usable
    wrapper.health_check_enabled = enabled


def test_a_live_idle_connection_is_checked_without_a_query(checked):
    pid = _pid()
    connection.health_check_done = False  # what every request's start does
    assert _pid() == pid
    assert connection.health_check_done
    assert checked == []


def test_a_connection_the_server_closed_is_replaced_before_the_query(checked):
    pid = _pid()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server's farewell reaches the socket a moment later.
    deadline = time.monotonic() + 10
    while (not select.select([connection.connection.fileno()], [], [], 0.05)[0]
           and time.monotonic() < deadline):
        pass
    connection.health_check_done = False
    assert _pid() != pid  # reconnected, no error
    assert checked == [1]  # the socket said something: Django's own check ran and failed

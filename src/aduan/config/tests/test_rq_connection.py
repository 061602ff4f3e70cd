"""The RQ queue's Redis connection gives up connecting after 2 s (config/settings.py): an
unreachable Redis must not hold a web submission, already committed, for the system's TCP
connect timeout (decision 0015: the sweep queues the row later)."""

from __future__ import annotations

from django_rq.connection_utils import get_redis_connection

from aduan.config.settings import redis_url_with_connect_timeout


def test_the_queue_connection_has_a_connect_timeout_and_no_read_timeout():
    url = redis_url_with_connect_timeout("redis://127.0.0.1:6379/0")
    kwargs = get_redis_connection({"URL": url}).connection_pool.connection_kwargs
    assert kwargs["socket_connect_timeout"] == 2.0
    assert kwargs.get("socket_timeout") is None  # the worker blocks on its queue


def test_a_timeout_or_options_the_url_names_are_kept():
    url = redis_url_with_connect_timeout(
        "redis://:secret@redis.internal:6380/3?socket_connect_timeout=5&health_check_interval=30")
    kwargs = get_redis_connection({"URL": url}).connection_pool.connection_kwargs
    assert kwargs["socket_connect_timeout"] == 5.0
    assert kwargs["health_check_interval"] == 30
    assert kwargs["password"] == "secret" and kwargs["db"] == 3


def test_the_shipped_queue_url_carries_the_timeout():
    import pytest
    from django.conf import settings

    if not hasattr(settings, "RQ_QUEUES"):
        pytest.skip("TASK_BACKEND is not rq")
    assert "socket_connect_timeout=" in settings.RQ_QUEUES["default"]["URL"]


def test_a_unix_socket_url_keeps_its_form():
    url = redis_url_with_connect_timeout("unix:///run/redis/redis.sock?db=2")
    assert url == "unix:///run/redis/redis.sock?db=2&socket_connect_timeout=2"
    kwargs = get_redis_connection({"URL": url}).connection_pool.connection_kwargs
    assert kwargs["path"] == "/run/redis/redis.sock" and kwargs["socket_connect_timeout"] == 2.0

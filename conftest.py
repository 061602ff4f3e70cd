"""Shared pytest fixtures: the demo office configuration and one user per role."""

import pytest
from django.core.cache import cache

from aduan.accounts.models import Role, User
from aduan.accounts.roles import ensure_role_groups
from aduan.complaints import search
from aduan.core import refcache
from aduan.demo.office import load_demo_office
from aduan.demo.users import load_demo_users
from aduan.portal import pagecache


@pytest.fixture(autouse=True)
def _fresh_process_memos():
    """Each test starts with empty per-process memos (core/refcache.py, portal/pagecache.py):
    a rolled-back test leaves no signal behind, and a later test may reach the same version."""
    refcache.clear()
    pagecache.clear()
    cache.clear()  # login throttling counters (accounts/throttle.py) live in the cache
    yield
    refcache.clear()
    pagecache.clear()
    # A search's background reads of the name sample (complaints/search.py) keep no sample past
    # the test: their watcher threads end at their next look instead of reaching the database
    # during later tests.
    search._NAME_SAMPLE.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the default language: a page asked in English leaves English active
    in the worker's thread (the language middleware activates the request's language), and
    a later test's lazy strings would come out in English."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks a test enqueues run in the test's own process, whichever backend the suite runs
    with (CI's PostgreSQL pass uses TASK_BACKEND=rq): a worker in another process could not see
    the test's open transaction. Tests of the real queue start worker processes of their own
    and set their backend themselves (notifications/tests/test_worker.py,
    intake/tests/test_worker.py, ops/tests/test_cluster.py)."""
    from django.conf import settings

    if "ImmediateBackend" not in settings.TASKS["default"]["BACKEND"]:
        request.getfixturevalue("settings").TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def office(db):
    return load_demo_office()


@pytest.fixture
def users(office) -> dict[str, User]:
    load_demo_users(office)
    return {u.username: u for u in User.objects.filter(office=office)}


@pytest.fixture
def officer(users) -> User:
    return users["petugas"]


@pytest.fixture
def lead(users) -> User:
    return users["ketua"]


@pytest.fixture
def unit_a_staff(users) -> User:
    return users["perizinan_a"]


@pytest.fixture
def unit_b_staff(users) -> User:
    return users["perizinan_b"]


@pytest.fixture
def head(users) -> User:
    return users["kadis"]


@pytest.fixture
def make_user(office):
    """A new staff user with `role` (and unit code), for scoping tests."""

    def _make(username: str, role: Role, unit_code: str | None = None) -> User:
        from django.contrib.auth.models import Group

        ensure_role_groups()
        user = User.objects.create_user(
            username=username, password="x-test-pass-123", office=office,
            unit=office.units.get(code=unit_code) if unit_code else None)
        user.groups.add(Group.objects.get(name=role.value))
        return User.objects.get(pk=user.pk)

    return _make


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's `admin_client`, with the second login step done: administrators must
    log in with two factors (accounts/middleware.py)."""
    from aduan.accounts.testing import login_verified

    return login_verified(client, admin_user)

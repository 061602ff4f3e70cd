"""Fixtures of the reports tests: the demo office with its 32 seed complaints."""

import io

import pytest
from django.core.management import call_command

from aduan.accounts.models import User
from aduan.offices.models import Office


@pytest.fixture
def demo(db) -> Office:
    # The seed office alone: these tests are about its reports, not the regency around it.
    call_command("load_demo", "--single-office", stdout=io.StringIO())
    return Office.objects.get(code="dpmptsp-bengkalis")


@pytest.fixture
def demo_users(demo) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(office=demo)}

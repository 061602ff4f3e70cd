"""The portal home renders in a real browser and the staff login leads to the desk."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_lists_the_channels_and_login_reaches_the_desk(page, live_server, users, login):
    page.goto(live_server.url + "/")
    assert "SMS / WA" in page.content()
    login(page, "petugas")
    assert page.url.endswith("/desk/")

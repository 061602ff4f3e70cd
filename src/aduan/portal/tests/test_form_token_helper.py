"""The tests' form token (portal/testing.py) is the page's own token, aged and signed as asked."""

from django.core import signing

from aduan.portal import throttle
from aduan.portal.testing import form_token


def test_the_helper_gives_a_token_the_form_accepts(settings):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 3
    token = form_token(age=10)
    assert throttle.form_token_ok(token)
    assert throttle.form_token_nonce(token)
    assert not throttle.form_token_ok(form_token(age=0))  # posted at once: a bot
    # Single-use: every token has its own nonce.
    assert throttle.form_token_nonce(form_token()) != throttle.form_token_nonce(form_token())


def test_a_token_for_another_server_is_signed_with_its_key():
    token = form_token(age=10, secret_key="another-servers-key-" + "x" * 40)
    assert throttle.form_token_nonce(token) == ""  # not ours
    rendered_at, nonce = signing.loads(token, key="another-servers-key-" + "x" * 40,
                                       salt="aduan.portal.form-age")
    assert nonce and isinstance(rendered_at, int)

"""Secrets never in raw payloads or logs: Meta's verify token in query strings (Django's
loggers, runserver's request lines, gunicorn's access log) and a form-encoded SMS secret with
`+ / = &`."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from urllib.parse import quote, urlencode

import httpx
import pytest
from django.utils.module_loading import import_string

from aduan.core.logfilters import scrub_secrets
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.notifications.tests.smtp import free_port
from aduan.notifications.tests.workers import wait_for, worker_env

VERIFY_TOKEN = "Tok+en/with=all&the%chars-0123456789"


@pytest.mark.parametrize("line", [
    "GET /intake/whatsapp/?hub.mode=subscribe&hub.verify_token={t}&hub.challenge=1 HTTP/1.1",
    "GET /intake/whatsapp/?hub.verify_token={t} HTTP/1.1",
    "GET /x/?HUB.VERIFY_TOKEN={t}",
    "GET /x/?hub%2Everify_token={t}&a=b",
    "POST /intake/sms/ secret={t}&from=0812",
    "referer https://example.id/?access_token={t}",
])
def test_secret_parameters_are_masked_wherever_they_appear(line):
    token = quote(VERIFY_TOKEN, safe="")
    scrubbed = scrub_secrets(line.format(t=token))
    assert token not in scrubbed
    assert "[REDACTED]" in scrubbed


def test_other_parameters_are_left_alone():
    line = "GET /lacak/?kode=ABC123&page=2&tokenizer=x HTTP/1.1"
    assert scrub_secrets(line) == line


def test_django_log_lines_are_scrubbed_by_the_configured_handler(settings):
    config = settings.LOGGING
    assert config["handlers"]["console"]["filters"] == ["scrub_secrets"]
    assert config["loggers"]["django.server"]["handlers"] == ["console"]
    # The handler as the configuration builds it, writing to a buffer.
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(import_string(config["filters"]["scrub_secrets"]["()"])())
    logger = logging.getLogger("aduan.tests.scrub")
    logger.addHandler(handler)
    logger.propagate = False
    token = quote(VERIFY_TOKEN, safe="")
    try:
        logger.warning('"%s" %s %s', f"GET /intake/whatsapp/?hub.verify_token={token}"
                       "&hub.challenge=5 HTTP/1.1", 200, 1)
        try:
            raise ValueError(f"bad url ?secret={token}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = out.getvalue()
    assert "hub.challenge=5" in written
    assert written.count("[REDACTED]") >= 2
    assert token not in written


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_gunicorn_access_log_never_shows_the_verify_token(office, tmp_path):
    port = free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    env = worker_env(DJANGO_SETTINGS_MODULE="aduan.intake.testing.chaos_settings",
                     CHAOS_WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "aduan.config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--no-control-socket", "--access-logfile", str(access_log), "--error-logfile",
         str(error_log), "--logger-class", "aduan.core.gunicorn_logging.ScrubbingLogger"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/intake/whatsapp/"

        def up() -> bool:
            try:
                httpx.get(url, timeout=10)
            except httpx.HTTPError:
                return False
            return True

        wait_for(up, timeout=180, what="gunicorn", log=error_log)
        good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                "hub.challenge": "4242"}
        response = httpx.get(f"{url}?{urlencode(good)}", timeout=60)
        assert (response.status_code, response.text) == (200, "4242")
        wrong = {**good, "hub.verify_token": VERIFY_TOKEN + "x"}
        assert httpx.get(f"{url}?{urlencode(wrong)}", timeout=60).status_code == 403
        wait_for(lambda: access_log.read_text().count("\n") >= 3, timeout=60,
                 what="access log lines")
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = access_log.read_text() + error_log.read_text()
    assert "hub.challenge=4242" in logged
    for form in (VERIFY_TOKEN, quote(VERIFY_TOKEN, safe=""), quote_plus_token()):
        assert form not in logged
    assert logged.count("[REDACTED]") >= 2


def quote_plus_token() -> str:
    return urlencode({"x": VERIFY_TOKEN})[2:]


SECRET = "s3cr+t/v=lue&more"


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["form-field", "header", "json-field"])
def test_sms_secret_with_form_specials_is_never_stored(client, office, channel_settings, how):
    channel_settings.SMS_WEBHOOK_SECRET = SECRET
    fields = {"from": "081234567890", "text": "Izin belum terbit", "id": f"sec-{how}"}
    if how == "form-field":
        response = client.post("/intake/sms/", data=urlencode({**fields, "secret": SECRET}),
                               content_type="application/x-www-form-urlencoded")
    elif how == "header":
        response = client.post("/intake/sms/", data=urlencode(fields),
                               content_type="application/x-www-form-urlencoded",
                               headers={"X-Webhook-Secret": SECRET})
    else:
        import json

        response = client.post("/intake/sms/", data=json.dumps({**fields, "secret": SECRET}),
                               content_type="application/json")
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert stored.parse_status == ParseStatus.CREATED
    kept = bytes(stored.raw) + repr(stored.headers).encode() + repr(stored.data).encode()
    for form in (SECRET, quote(SECRET, safe=""), urlencode({"x": SECRET})[2:], "s3cr"):
        assert form.encode() not in kept
    # A wrong secret is refused; nothing is stored.
    assert client.post("/intake/sms/", data=urlencode({**fields, "secret": "s3cr t/v=lue"}),
                       content_type="application/x-www-form-urlencoded").status_code == 403
    assert InboundMessage.objects.count() == 1

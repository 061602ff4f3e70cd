"""Token and client-key management: admin and management commands, shown once, hashed."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command

from aduan.accounts.models import Role
from aduan.accounts.testing import login_verified
from aduan.api.models import ApiToken, Open311Client, hash_secret

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, users):
    login_verified(client, users["admin"])
    return client


def test_admin_creates_a_token_shown_once_and_stored_hashed(admin_client, officer):
    response = admin_client.post("/admin/api/apitoken/add/", {
        "user": officer.pk, "name": "Portal perizinan", "expires_at_0": "", "expires_at_1": ""})
    assert response.status_code == 302
    token = ApiToken.objects.get()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    secret = next(m.rsplit(": ", 1)[1] for m in shown if "tidak akan ditampilkan lagi" in m)
    assert token.token_hash == hash_secret(secret) and token.user == officer
    assert secret not in str(ApiToken.objects.values().get())
    assert admin_client.get("/api/v1/cases",
                            HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    # The page after saving shows the token once; later pages show only the prefix.
    assert secret in admin_client.get(response["Location"]).content.decode()
    page = admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert token.prefix in page and secret not in page


def test_admin_refuses_a_token_for_a_user_without_office(admin_client, make_user):
    stranger = make_user("tamu", Role.HEAD)
    stranger.office = None
    stranger.save()
    response = admin_client.post("/admin/api/apitoken/add/", {
        "user": stranger.pk, "name": "x", "expires_at_0": "", "expires_at_1": ""})
    assert response.status_code == 200
    assert "staf aktif sebuah kantor" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_revokes_tokens(admin_client, officer, token_for):
    headers = token_for(officer)
    token = ApiToken.objects.get()
    response = admin_client.post("/admin/api/apitoken/", {
        "action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client.get("/api/v1/cases", **headers).status_code == 401


def test_admin_registers_an_open311_client(admin_client, office):
    response = admin_client.post("/admin/api/open311client/add/", {
        "name": "Aplikasi Mitra", "office": office.pk, "channel": "", "contact": ""})
    assert response.status_code == 302
    client_row = Open311Client.objects.get()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(m.rsplit(": ", 1)[1] for m in shown if "api_key" in m)
    assert client_row.key_hash == hash_secret(key)


def test_non_admin_staff_cannot_manage_tokens(client, officer):
    login_verified(client, officer)
    assert client.get("/admin/api/apitoken/add/").status_code in (302, 403)


def test_create_api_token_command(client, officer):
    out = io.StringIO()
    call_command("create_api_token", "petugas", "--name", "cli", "--days", "30", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("adn_")
    token = ApiToken.objects.get()
    assert token.expires_at is not None and token.name == "cli"
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    with pytest.raises(CommandError):
        call_command("create_api_token", "tidak-ada", stdout=io.StringIO())


def test_create_open311_client_command(client, office):
    out = io.StringIO()
    call_command("create_open311_client", "Aplikasi Lapor", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("o311_")
    response = client.post(
        "/api/open311/v2/requests.json",
        f"api_key={key}&service_code=oss_nib&address_string=Jl.+Pramuka&description=OSS+error",
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content

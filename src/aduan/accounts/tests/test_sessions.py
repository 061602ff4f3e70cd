"""Sessions: idle timeout and absolute lifetime from the office, listing and revoking, and
re-authentication before a confidential identity, a role change or a new API token."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.models import SecurityEvent, SecurityEventKind, UserSession
from aduan.accounts.testing import login_verified, totp_code_unused, totp_device_for
from aduan.complaints.models import IdentityAccess
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
REAUTH = reverse("accounts:reauthenticate")


def test_idle_session_expires_after_the_office_setting(users, office):
    office.session_idle_minutes = 30
    office.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = login_verified(Client(), users["petugas"])
        assert client.get("/desk/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/desk/").status_code == 200  # activity moves the idle clock
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/desk/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/desk/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        assert "tidak aktif selama 30 menit" in client.get(response["Location"]).text
        assert UserSession.objects.get(user=users["petugas"]).ended_at is not None


def test_a_session_ends_at_its_absolute_lifetime_even_when_active(users, office):
    office.session_max_hours = 2
    office.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = login_verified(Client(), users["petugas"])
        for _ in range(4):
            clock.shift(dt.timedelta(minutes=25))
            assert client.get("/desk/").status_code == 200
        clock.shift(dt.timedelta(minutes=25))  # 2 h 5 min after login, 25 min idle
        assert client.get("/desk/").status_code == 302


def test_confidential_identity_needs_a_recent_confirmation(users, office):
    complaint = register_complaint(office, reporter=ReporterInput(
        name="Fathul Jannah", phone="081371771234", is_confidential=True, consent=True))
    url = reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk})
    office.reauth_minutes = 15
    office.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = login_verified(Client(), users["petugas"])
        assert "Fathul Jannah" in client.get(url).text  # just logged in: fresh
        clock.shift(dt.timedelta(minutes=16))
        html = client.get(url).text
        assert "Fathul Jannah" not in html and "081371771234" not in html
        assert 'id="reveal-identity"' in html
        logged = IdentityAccess.objects.count()
        # A wrong password reveals nothing.
        response = client.post(REAUTH, {"secret": "bukan-kata-sandinya", "next": url})
        assert "Kata sandi atau kode salah" in response.text
        assert "Fathul Jannah" not in client.get(url).text
        assert IdentityAccess.objects.count() == logged
        response = client.post(REAUTH, {"secret": DEMO_PASSWORD, "next": url})
        assert response.status_code == 302 and response["Location"] == url
        assert "Fathul Jannah" in client.get(url).text
        assert IdentityAccess.objects.count() == logged + 1
        assert SecurityEvent.objects.filter(kind=SecurityEventKind.REAUTHENTICATED).exists()
        # The authenticator's code confirms as well.
        clock.shift(dt.timedelta(minutes=16))
        assert "Fathul Jannah" not in client.get(url).text
        device = totp_device_for(users["petugas"])
        client.post(REAUTH, {"secret": totp_code_unused(device), "next": url})
        assert "Fathul Jannah" in client.get(url).text


def test_non_confidential_reporters_need_no_confirmation(users, office):
    complaint = register_complaint(office, reporter=ReporterInput(
        name="Siti Aminah", phone="081234567890", consent=True))
    url = reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk})
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = login_verified(Client(), users["petugas"])
        clock.shift(dt.timedelta(minutes=20))
        assert "Siti Aminah" in client.get(url).text


def test_too_many_wrong_confirmations_end_the_session(users):
    client = login_verified(Client(), users["petugas"])
    for _ in range(5):
        client.post(REAUTH, {"secret": "salah-salah-salah"})
    assert client.get("/desk/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_role_changes_and_new_api_tokens_need_a_recent_confirmation(users):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        admin = login_verified(Client(), users["admin"])
        change = reverse("admin:accounts_user_change", args=[users["kadis"].pk])
        add_token = reverse("admin:api_apitoken_add")
        password = reverse("admin:auth_user_password_change", args=[users["kadis"].pk])
        assert admin.get(change).status_code == 200
        clock.shift(dt.timedelta(minutes=20))
        for url in (change, add_token, password):
            response = admin.get(url)
            assert response.status_code == 302 and response["Location"].startswith(REAUTH)
        admin.post(REAUTH, {"secret": DEMO_PASSWORD})
        assert admin.get(add_token).status_code == 200


def test_role_change_is_audited(users):
    from django.contrib.auth.models import Group

    admin = login_verified(Client(), users["admin"])
    kadis = users["kadis"]
    url = reverse("admin:accounts_user_change", args=[kadis.pk])
    form = admin.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update({"groups": [Group.objects.get(name="team_lead").pk],
                 "user_permissions": [], "date_joined_0": "2025-01-01",
                 "date_joined_1": "08:00:00", "last_login_0": "", "last_login_1": "",
                 "office": kadis.office_id, "unit": "", "must_change_password": "",
                 "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = SecurityEvent.objects.get(user=kadis, kind=SecurityEventKind.ROLES_CHANGED)
    assert event.actor == users["admin"] and event.data == {"from": ["head"],
                                                            "to": ["team_lead"]}


def test_sessions_are_listed_and_one_can_be_ended(users):
    petugas = users["petugas"]
    laptop = browser_login("Laptop kantor", petugas)
    phone = browser_login("Ponsel", petugas)
    page = laptop.get(reverse("accounts:security")).text
    assert "Laptop kantor" in page and "Ponsel" in page
    other = UserSession.objects.get(user=petugas, user_agent="Ponsel")
    response = laptop.post(reverse("accounts:session-end", args=[other.pk]))
    assert response.status_code == 302
    assert phone.get("/desk/").status_code == 302  # logged out
    assert laptop.get("/desk/").status_code == 200
    # Nobody ends another user's session through their own page.
    mine = UserSession.objects.filter(user=petugas, ended_at__isnull=True).first()
    intruder = login_verified(Client(), users["ketua"])
    intruder.post(reverse("accounts:session-end", args=[mine.pk]))
    assert laptop.get("/desk/").status_code == 200


def browser_login(agent: str, user) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    client.post(reverse("accounts:login"), {"username": user.username,
                                            "password": DEMO_PASSWORD})
    client.post(reverse("accounts:two-factor-verify"),
                {"code": totp_code_unused(totp_device_for(user))})
    return client


def test_administrator_ends_anyones_sessions(users):
    victim = login_verified(Client(), users["kadis"])
    admin = login_verified(Client(), users["admin"])
    row = UserSession.objects.get(user=users["kadis"])
    response = admin.post(reverse("admin:accounts_usersession_changelist"),
                          {"action": "end", "_selected_action": [row.pk]})
    assert response.status_code == 302
    assert victim.get("/desk/").status_code == 302
    assert SecurityEvent.objects.filter(user=users["kadis"], actor=users["admin"],
                                        kind=SecurityEventKind.SESSION_REVOKED).exists()

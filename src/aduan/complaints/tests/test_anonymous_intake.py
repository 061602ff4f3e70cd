"""Anonymous intake on the web form, the REST API and the desk record form stores no identity
beyond what the channel forces (docs/privacy.md, "What is kept per channel").

The person types a name, NIK, address and occupation and then ticks "anonim" (as people do).
Afterwards nothing stored about the case, its reporter, its timeline, its identity log or its
outgoing messages may hold any of them; only the contact chosen for replies stays.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint, IdentityAccess
from aduan.notifications.models import OutboxMessage
from aduan.portal import throttle

pytestmark = pytest.mark.django_db

NAME = "Bambang Sukmawijaya"
NIK = "1403021104907328"
ADDRESS = "Jl. Teratai Lestari No. 9"
OCCUPATION = "Penyuluh Pertanian"
FRAGMENTS = ("bambang", "sukmawijaya", NIK, "teratai", "lestari", "penyuluh")


def _stored(complaint: Complaint) -> str:
    """Everything stored about one case, as one lower-case text."""
    rows = [model_to_dict(complaint), model_to_dict(complaint.reporter),
            {"nik": complaint.reporter.nik}]
    rows += [{"body": e.body, "data": e.data, "actor": e.actor_label}
             for e in complaint.events.all()]
    rows += [model_to_dict(m) for m in OutboxMessage.objects.filter(complaint=complaint)]
    return json.dumps(rows, default=str).lower()


def _assert_no_identity(complaint: Complaint, *, contact: str) -> None:
    reporter = complaint.reporter
    assert reporter.is_anonymous and reporter.is_confidential
    assert (reporter.name, reporter.address, reporter.occupation) == ("", "", "")
    assert (reporter.nik_encrypted, reporter.nik_index) == ("", "")
    assert contact in (reporter.phone, reporter.email)  # only the contact for replies
    stored = _stored(complaint)
    assert [f for f in FRAGMENTS if f.lower() in stored] == []
    assert not IdentityAccess.objects.filter(reporter=reporter).exists()


def test_web_form(client, office, settings):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    cache.clear()
    response = client.post(reverse("portal:submit"), {
        "name": NAME, "nik": NIK, "address": ADDRESS, "occupation": OCCUPATION,
        "phone": "", "email": "balasan@contoh.id", "company_name": "", "service_type": "",
        "subject": "SIP belum terdaftar", "description": "Sudah tiga minggu belum ada kabar.",
        "consent": "on", "website": "", "form_token": throttle.form_token(),
        "is_anonymous": "on"})
    assert response.status_code == 302, response.content[:2000]
    _assert_no_identity(Complaint.objects.get(), contact="balasan@contoh.id")


def test_rest_api(office):
    response = Client().post("/api/v1/complaints", {
        "subject": "SIP bidan belum terbit", "description": "Sudah tiga minggu belum terbit.",
        "name": NAME, "nik": NIK, "address": ADDRESS, "occupation": OCCUPATION,
        "phone": "087863741234", "consent": "true", "is_anonymous": "true"})
    assert response.status_code in (200, 201), response.content
    _assert_no_identity(Complaint.objects.get(), contact="+6287863741234")


def test_desk_record_form(office, users):
    client = login_verified(Client(), users["petugas"])
    response = client.post(reverse("desk:complaint-record"), {
        "channel": office.channels.get(code="meja_pengaduan").pk,
        "received_at": "2025-05-06T10:15", "classification": "complaint",
        "subject": "SIP bidan belum terbit", "description": "Belum ada kabar tiga minggu.",
        "reporter_name": NAME, "reporter_nik": NIK, "reporter_address": ADDRESS,
        "reporter_occupation": OCCUPATION, "reporter_phone": "0812 6861 0005",
        "reporter_email": "", "consent": "on", "is_anonymous": "on"})
    assert response.status_code == 302, response.content[:2000]
    _assert_no_identity(Complaint.objects.get(), contact="+6281268610005")

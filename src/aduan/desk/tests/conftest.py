"""Desk test fixtures: logged-in clients per demo role and a case dispositioned to unit A."""

from __future__ import annotations

import pytest
from django.test import Client

from aduan.accounts.testing import login_verified
from aduan.complaints import services
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint


@pytest.fixture
def client_for(users):
    def _client(username: str) -> Client:
        client = Client()
        login_verified(client, users[username])
        return client

    return _client


@pytest.fixture
def disposed_to_a(office, officer, lead):
    complaint = register_complaint(
        office, subject="Izin apotek Sehat Selalu belum terbit",
        description="Permohonan izin apotek sudah lengkap tetapi belum diverifikasi.",
        reporter=ReporterInput(name="Fathul Jannah", phone="081371771234",
                               nik="1403021104907328", is_confidential=True, consent=True))
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    return services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                                      unit=office.units.get(code="perizinan-a"))

"""Two fully configured offices on one instance (issue 18, decision 0013).

Office A is the demo office with its demo staff; office B is a second office with the same kind
of configuration under other codes, and a user of every role. Office A holds one of every
object a staff URL can name: cases (one confidential, dispositioned, with an attachment and a
related-case hint; one referred), generated documents, a report job with its file, an inbound
message, a pending channel attachment, a LAPOR! import, a saved reply, watch applications with
an action and an import, a data request, a breach, audit rows, an API token and an Open311
client. The tests in this folder attack A's objects as B's users, from outside over HTTP.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from aduan.accounts.models import Role, User
from aduan.accounts.roles import ensure_role_groups
from aduan.accounts.testing import login_verified
from aduan.api.services import api_token_create, open311_client_create
from aduan.complaints import services
from aduan.complaints.attachments import complaint_attachments_add
from aduan.complaints.models import Attachment, Complaint
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.demo import office as demo
from aduan.offices.models import (
    Channel,
    Holiday,
    Office,
    ReferralAgency,
    ServiceType,
    Unit,
)

B_CODE = "disdukcapil-b"
PASSWORD = "x-isolation-pass-123"

# One user of every staff role in office B (username, role, unit code).
B_ROLES = [
    ("b_petugas", Role.OFFICER, "pengaduan"),
    ("b_ketua", Role.TEAM_LEAD, "pengaduan"),
    ("b_unit", Role.UNIT_STAFF, "perizinan-a"),
    ("b_kadis", Role.HEAD, None),
    ("b_admin", Role.ADMINISTRATOR, None),
    ("b_pengawas", Role.OVERSIGHT, None),
]


def load_office_b() -> Office:
    """A second office configured like the demo office, under its own codes and numbering."""
    office = Office.objects.create(
        code=B_CODE, name="Dinas Kependudukan dan Pencatatan Sipil B",
        short_name="Disdukcapil B", government_name="PEMERINTAH KABUPATEN B", city="Kota B",
        register_number_pattern="470/{seq}/DUKCAPIL/{year}", authority="disdukcapil")
    units = {}
    for order, (code, name, team) in enumerate(demo.UNITS):
        units[code] = Unit.objects.create(office=office, code=code, name=f"{name} (B)",
                                          is_complaint_team=team, order=order)
    for order, (code, name, kind, contact) in enumerate(demo.CHANNELS, start=1):
        Channel.objects.create(office=office, code=code, name=f"{name} (B)", kind=kind,
                               contact=contact, order=order, in_report=True)
    for code, name, unit, keywords in demo.SERVICE_TYPES:
        ServiceType.objects.create(office=office, code=code, name=f"{name} (B)",
                                   default_unit=units[unit], keywords=keywords)
    for code, name, topics, keywords, text in demo.AGENCIES:
        ReferralAgency.objects.create(office=office, code=code, name=f"{name} (B)",
                                      topics=topics, keywords=keywords, referral_text=text)
    return office


@dataclass
class World:
    a: Office
    b: Office
    a_users: dict[str, User]
    b_users: dict[str, User]
    case: Complaint  # A's confidential case, dispositioned to A's perizinan-a, 1 attachment
    referred: Complaint  # A's case referred to an agency (referral reply URL)
    attachment: Attachment
    b_case: Complaint  # B's own case (B's users must keep seeing it)
    objects: dict[str, int] = field(default_factory=dict)  # A's other rows by kind

    def client(self, username: str) -> Client:
        user = self.b_users.get(username) or self.a_users[username]
        return login_verified(Client(), user)


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 40)).save(buf, format="PNG")
    return buf.getvalue()


def _b_user(office: Office, username: str, role: Role, unit_code: str | None) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, office=office, email=f"{username}@b.localhost",
        unit=office.units.get(code=unit_code) if unit_code else None,
        # B's administrator reaches the admin like any office's administrator: staff, not a
        # superuser (superusers are the instance's operators and see every office).
        is_staff=role == Role.ADMINISTRATOR)
    user.groups.add(Group.objects.get(name=role.value))
    return User.objects.get(pk=user.pk)


def _a_objects(a: Office, case: Complaint, officer: User, lead: User,
               admin: User) -> dict[str, int]:
    """One row of every other kind a staff URL names, in office A."""
    from aduan.assist.models import SavedReply
    from aduan.audit.models import AuditRecord
    from aduan.intake.models import InboundMessage, LaporImportJob, MediaFetch
    from aduan.reports.models import ReportJob
    from aduan.rights.models import Breach, DataRequest
    from aduan.watch.importers import import_rows
    from aduan.watch.models import ImportJob, PermitApplication, WatchAction

    now = timezone.now()
    objects: dict[str, int] = {}
    objects["saved_reply"] = SavedReply.objects.create(
        office=a, title="Jawaban A", body="Rahasia kantor A: izin apotek diproses 5 hari.",
        created_by=lead).pk
    job = ReportJob.objects.create(office=a, kind="semester_docx", period_start=dt.date(2025, 1, 1),
                                   period_end=dt.date(2025, 6, 30), requested_by=lead,
                                   status="done", file_name="laporan-a.docx", rows=1)
    job.file.save("laporan-a.docx", ContentFile(b"PK rahasia A"), save=True)
    objects["report_job"] = job.pk
    message = InboundMessage.objects.create(
        office=a, channel_kind="whatsapp", provider="test", provider_message_id="a-1",
        sender="6281299990001", sender_name="Pelapor A", body="Pesan rahasia kantor A",
        raw=b"{}", parse_status="quarantined", received_at=now)
    objects["inbound"] = message.pk
    objects["media_fetch"] = MediaFetch.objects.create(
        complaint=case, inbound=message, channel_kind="whatsapp", media_id="m-a-1",
        name="foto.jpg", status="failed", last_error="timeout").pk
    objects["lapor_job"] = LaporImportJob.objects.create(
        office=a, filename="lapor-a.csv", created_by=officer).pk
    today = timezone.localdate()
    import_rows(a.pk, [(2, {
        "number": "A-APP-1", "applicant_name": "Apotek Rahasia A", "phone": "0812-6861-0077",
        "email": "apotek@contoh.id", "nib": "", "permit_type": "Izin Apotek",
        "submitted_on": today - dt.timedelta(days=30), "complete_on": today - dt.timedelta(
            days=28), "current_step": "Verifikasi", "holder": "Dinas Kesehatan",
        "status": "Proses", "finished_on": None})], source="test", today=today)
    app = PermitApplication.objects.get(office=a, number="A-APP-1")
    objects["watch_app"] = app.pk
    objects["watch_action"] = WatchAction.objects.create(
        application=app, kind="letter", done_on=today, actor=officer,
        letter_number="A/1/2025", body="Surat rahasia A").pk
    objects["watch_import"] = ImportJob.objects.create(
        office=a, created_by=officer, original_name="a.csv", file_kind="csv",
        headers=["nomor"], status="done").pk
    objects["data_request"] = DataRequest.objects.create(
        office=a, number="HAK-A-1", reporter=case.reporter, complaint=case, kind="access",
        via="officer", detail="Minta data A", received_at=now,
        due_at=now + dt.timedelta(days=14), registered_by=officer).pk
    objects["breach"] = Breach.objects.create(
        office=a, number="INS-A-1", title="Insiden rahasia A", description="Bocor di A",
        data_concerned="nama", discovered_at=now, notify_by=now + dt.timedelta(days=3),
        recorded_by=admin).pk
    objects["audit"] = AuditRecord.objects.create(
        kind="denial", user=officer, username=officer.username, office=a, surface="desk",
        action="complaint.view", object_type="complaint", object_id=str(case.pk),
        status_code=404, method="GET", path="/desk/rahasia-a/", reason="Rahasia audit A").pk
    objects["holiday"] = Holiday.objects.create(office=a, date=dt.date(2025, 8, 18),
                                                name="Cuti bersama kantor A").pk
    return objects


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    from aduan.assist.models import RelatedHint
    from aduan.demo.users import load_demo_users

    settings.MEDIA_ROOT = str(tmp_path / "media")
    ensure_role_groups()
    a = demo.load_demo_office()
    load_demo_users(a)
    a_users = {u.username: u for u in User.objects.filter(office=a)}
    officer, lead, admin = a_users["petugas"], a_users["ketua"], a_users["admin"]
    b = load_office_b()
    b_users = {name: _b_user(b, name, role, unit) for name, role, unit in B_ROLES}

    case = register_complaint(
        a, subject="Izin apotek Rahasia A belum terbit",
        description="Permohonan izin apotek kantor A sudah lengkap tetapi belum diverifikasi.",
        service_type=a.service_types.get(code="apotek"),
        reporter=ReporterInput(name="Pelapor Rahasia A", phone="081371771234",
                               nik="1403021104907328", is_confidential=True, consent=True))
    services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=Checklist())
    case = services.complaint_dispose(complaint_id=case.pk, actor=lead,
                                      unit=a.units.get(code="perizinan-a"))
    complaint_attachments_add(complaint_id=case.pk, actor=officer, files=[
        SimpleUploadedFile("bukti-a.png", _png(), content_type="image/png")], note="Bukti A")
    attachment = Attachment.objects.get(complaint=case)
    other = register_complaint(a, subject="Izin apotek Rahasia A kedua",
                               description="Permohonan izin apotek kantor A kedua.")
    hint = RelatedHint.objects.create(complaint=other, related=case, kind="same_issue",
                                      score=0.9, reasons=["teks sama"])
    referred = register_complaint(a, subject="BPHTB kantor A",
                                  description="Pertanyaan BPHTB untuk kantor A.")
    services.complaint_verify(complaint_id=referred.pk, actor=officer, checklist=Checklist())
    referred = services.complaint_refer(
        complaint_id=referred.pk, actor=officer, agency=a.agencies.get(code="bappenda"),
        reply="Silakan ke Bappenda.")
    b_case = register_complaint(b, subject="KTP-el B belum jadi",
                                description="KTP-el saya di kantor B belum jadi.")
    objects = _a_objects(a, case, officer, lead, admin)
    objects["hint"] = hint.pk
    objects["hint_case"] = other.pk
    return World(a=a, b=b, a_users=a_users, b_users=b_users, case=case, referred=referred,
                 attachment=attachment, b_case=b_case, objects=objects)


@pytest.fixture
def a_token(world) -> str:
    return api_token_create(user=world.a_users["petugas"], name="A")[1]


def b_token(world: World, username: str) -> dict[str, str]:
    _token, secret = api_token_create(user=world.b_users[username], name="B")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def open311_keys(world) -> dict[str, str]:
    _a_client, a_key = open311_client_create(office=world.a, name="Aplikasi kota A")
    _b_client, b_key = open311_client_create(office=world.b, name="Aplikasi kota B")
    return {"a": a_key, "b": b_key}

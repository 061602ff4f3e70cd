"""Case page: what each role sees and may do, actions through the services, kept input."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from aduan.complaints.models import EventKind, IdentityAccess
from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db


def detail(complaint) -> str:
    return reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk})


def act(complaint, action: str) -> str:
    return reverse("desk:complaint-action",
                   kwargs={"complaint_id": complaint.pk, "action": action})


def test_officer_sees_case_with_reporter_deadline_timeline_and_actions(client_for, office):
    complaint = register_complaint(office, received=timezone.now())
    response = client_for("petugas").get(detail(complaint))
    assert response.status_code == 200
    html = response.text
    assert complaint.register_number in html
    assert "Siti Aminah" in html  # the complaint team sees the identity
    assert "hari kerja lagi" in html
    assert "Pengaduan diterima" in html  # the RECEIVED event on the timeline
    names = [name for name, _label, _form in response.context["action_forms"]]
    assert names == ["verify", "request_completion", "refer", "forward", "answer", "note"]
    assert IdentityAccess.objects.filter(complaint=complaint).count() == 1


def test_unit_staff_of_another_unit_get_not_found_for_page_and_actions(client_for,
                                                                       disposed_to_a):
    client = client_for("perizinan_b")
    assert client.get(detail(disposed_to_a)).status_code == 404
    response = client.post(act(disposed_to_a, "clarify"),
                           {"clarify-clarification": "Sudah kami periksa."})
    assert response.status_code == 404
    assert not disposed_to_a.events.filter(kind=EventKind.CLARIFIED).exists()


def test_unit_staff_see_confidential_reporter_masked(client_for, disposed_to_a):
    response = client_for("perizinan_a").get(detail(disposed_to_a))
    assert response.status_code == 200
    assert "Fathul Jannah" not in response.text
    # "(dirahasiakan)" and nothing derived from the identity (docs/privacy.md).
    assert "(dirahasiakan)" in response.text
    assert "F*****" not in response.text and "0813-7177" not in response.text
    names = [name for name, _label, _form in response.context["action_forms"]]
    assert names == ["clarify", "request_documents", "follow_up", "note"]


def test_head_reads_but_has_no_procedure_actions(client_for, disposed_to_a):
    response = client_for("kadis").get(detail(disposed_to_a))
    names = [name for name, _label, _form in response.context["action_forms"]]
    assert names == ["note"]


def test_verify_with_checklist_moves_case_and_records_it(client_for, office):
    complaint = register_complaint(office)
    response = client_for("petugas").post(act(complaint, "verify"), {
        "verify-ktp_seen": "on", "verify-chronology_present": "on",
        "verify-within_authority": "1", "verify-meets_requirements": "1",
        "verify-note": "Identitas lengkap."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "verified"
    event = complaint.events.get(kind=EventKind.VERIFIED)
    assert event.data["checklist"]["ktp_seen"] is True
    assert event.data["checklist"]["kk_seen"] is False


def test_not_our_authority_in_checklist_shows_service_message_and_keeps_input(client_for,
                                                                              office):
    complaint = register_complaint(office)
    response = client_for("petugas").post(act(complaint, "verify"), {
        "verify-kk_seen": "on", "verify-within_authority": "0",
        "verify-meets_requirements": "1", "verify-note": "Soal BPHTB, catatan saya."})
    assert response.status_code == 422
    assert "Rujuk ke instansi lain" in response.text
    assert "Soal BPHTB, catatan saya." in response.text
    assert response.context["open_action"] == "verify"
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_empty_required_text_is_refused_with_message(client_for, office):
    complaint = register_complaint(office)
    response = client_for("petugas").post(act(complaint, "answer"), {
        "answer-answer": "", "answer-findings": "Temuan yang sudah diketik"})
    assert response.status_code == 422
    assert "Temuan yang sudah diketik" in response.text
    assert "Bidang ini tidak boleh kosong" in response.text


def test_refer_reply_is_prefilled_from_the_agency(client_for, office):
    complaint = register_complaint(office)
    agency = office.agencies.get(code="bappenda")
    url = reverse("desk:referral-reply", kwargs={"complaint_id": complaint.pk})
    response = client_for("petugas").get(url, {"refer-agency": agency.pk})
    assert "Silakan menghubungi Bappenda" in response.text
    response = client_for("petugas").post(act(complaint, "refer"), {
        "refer-agency": agency.pk, "refer-reply": agency.referral_text, "refer-findings": ""})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "referred"
    assert complaint.referred_agency == agency


def test_action_not_available_now_is_refused(client_for, office):
    complaint = register_complaint(office)
    response = client_for("petugas").post(act(complaint, "close"), {"close-note": "x"},
                                          follow=True)
    assert "tidak tersedia" in response.text
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_actions_only_on_post(client_for, office):
    complaint = register_complaint(office)
    assert client_for("petugas").get(act(complaint, "verify")).status_code == 405


def test_full_procedure_through_the_desk(client_for, office):
    """Verify, propose, approve, clarify, follow up with the meeting, respond, conclude,
    close, reopen: every step leaves its event."""
    complaint = register_complaint(office)
    officer, lead, unit_a = client_for("petugas"), client_for("ketua"), client_for("perizinan_a")
    unit = office.units.get(code="perizinan-a")
    steps = [
        (officer, "verify", {"verify-within_authority": "1", "verify-meets_requirements": "1"}),
        (officer, "propose_disposition", {"propose_disposition-unit": unit.pk}),
        (lead, "dispose", {"dispose-unit": ""}),
        (unit_a, "clarify", {"clarify-clarification": "Berkas tertahan di verifikator."}),
        (unit_a, "follow_up", {"follow_up-note": "Rapat intern memutuskan percepatan.",
                               "follow_up-internal_meeting_on": "2025-04-29",
                               "follow_up-meeting_participants": "Kepala, sekretaris",
                               "follow_up-fault": "office"}),
        (officer, "respond", {"respond-response": "Izin Anda terbit minggu ini."}),
        (lead, "conclude", {"conclude-proven": "1", "conclude-conclusion": "Terbukti."}),
        (officer, "close", {"close-note": ""}),
        (officer, "reopen", {"reopen-reason": "Pelapor belum menerima izin."}),
        (officer, "note", {"note-body": "Menghubungi bidang lagi."}),
    ]
    for client, action, data in steps:
        response = client.post(act(complaint, action), data)
        assert response.status_code == 302, (action, response.context and [
            f.errors for _n, _l, f in response.context["action_forms"]])
    complaint.refresh_from_db()
    assert complaint.status == "reopened"
    assert complaint.unit == unit
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == ["received", "verified", "disposition_proposed", "dispositioned",
                     "clarified", "followed_up", "responded", "concluded", "closed",
                     "reopened", "note"]
    html = officer.get(detail(complaint)).text
    assert "Lewat batas waktu" in html  # received 2025-04-28: long past its 20 working days
    assert "Rapat intern" in html and "Berkas tertahan di verifikator." in html


def test_case_page_shows_outbound_message_status(client_for, office):
    from aduan.notifications.models import OutboxMessage

    complaint = register_complaint(office)
    OutboxMessage.objects.create(
        complaint=complaint, template_code="response", channel="whatsapp",
        recipient="+6281234567890", body="Tanggapan", dedupe_key=f"desk-test-{complaint.pk}",
        status="failed", attempts=3, last_error="HTTP 400 nomor tidak terdaftar")
    response = client_for("petugas").get(detail(complaint))
    outbox = response.text[response.text.index('id="h-outbox"'):]
    for text in ("Tanggapan", "WhatsApp", "Gagal", ">3<", "HTTP 400 nomor tidak terdaftar"):
        assert text in outbox


def test_case_page_runs_a_constant_number_of_queries(client_for, office, disposed_to_a,
                                                     django_assert_num_queries):
    """Pinned so the case page's queries cannot creep back (issue 18: 17-26 per page before).
    Every request: session, user, django-otp's verified device, the configuration memo's
    version check (core/refcache.py), the user's roles. The page: the case (through the access
    check, with "has it any ...?" flags for hops, pending channel media, assist hints and
    duplicates, suggestion, instant answer and permit links, so none of those is looked up
    when absent), its outbox (alerts included), the identity access log row (complaint team),
    the timeline and the attachments. The forms' selects (units, referral agencies, offices)
    and the answer picker's saved replies and FAQ come from per-process memos."""
    complaint = register_complaint(office, received=timezone.now())
    officer = client_for("petugas")
    officer.get(detail(complaint))  # warm the configuration memo, as in production
    with django_assert_num_queries(10):
        response = officer.get(detail(complaint))
    names = [name for name, _label, _form in response.context["action_forms"]]
    assert names == ["verify", "request_completion", "refer", "forward", "answer", "note"]
    assert "Siti Aminah" in response.text
    # Unit staff: no identity log row (the reporter is confidential and masked to them).
    unit = client_for("perizinan_a")
    unit.get(detail(disposed_to_a))
    with django_assert_num_queries(9):
        response = unit.get(detail(disposed_to_a))
    assert response.status_code == 200

"""Two officers acting on one case at once: the one who comes second is told, in Indonesian,
who did what and when, sees the case as it is now, and keeps what they typed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aduan.complaints.models import EventKind
from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db


def _page_form(client, complaint, action: str) -> dict:
    """The hidden inputs of `action`'s form on the case page, as a browser would send them."""
    html = client.get(reverse("desk:complaint-detail",
                              kwargs={"complaint_id": complaint.pk})).text
    form = re.search(rf'action="[^"]*/aksi/{action}/"[^>]*>(.*?)</form>', html, re.S).group(1)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def _act(complaint, action):
    return reverse("desk:complaint-action",
                   kwargs={"complaint_id": complaint.pk, "action": action})


def test_second_officer_is_told_who_moved_the_case_and_keeps_their_text(client_for, office,
                                                                        users):
    complaint = register_complaint(office, received=timezone.now())
    officer, lead = client_for("petugas"), client_for("ketua")
    officer_form = _page_form(officer, complaint, "request_completion")
    lead_form = _page_form(lead, complaint, "verify")
    assert officer_form["seen_status"] == lead_form["seen_status"] == "received"

    # The team lead verifies first.
    response = lead.post(_act(complaint, "verify"), {
        **lead_form, "verify-within_authority": "1", "verify-meets_requirements": "1"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "verified"

    # The officer, still on the old page, asks for completion: refused with an explanation.
    typed = "Mohon lampirkan fotokopi KTP dan surat kuasa dari pemilik apotek."
    response = officer.post(_act(complaint, "request_completion"), {
        **officer_form, "request_completion-note": typed})
    assert response.status_code == 409
    html = response.text
    lead_user = users["ketua"]
    name = lead_user.get_full_name() or lead_user.get_username()
    assert 'id="conflict-alert"' in html
    assert f"Pengaduan ini baru saja diubah oleh {name}" in html
    assert "Verifikasi" in html and "Terverifikasi" in html
    assert "Minta kelengkapan" in html
    assert typed in html
    complaint.refresh_from_db()
    assert complaint.status == "verified"
    assert not complaint.events.filter(kind=EventKind.COMPLETION_REQUESTED).exists()


def test_same_step_twice_is_refused_with_the_explanation_not_a_bare_error(client_for, office):
    complaint = register_complaint(office, received=timezone.now())
    first, second = client_for("petugas"), client_for("ketua")
    form_1 = _page_form(first, complaint, "verify")
    form_2 = _page_form(second, complaint, "verify")
    data = {"verify-within_authority": "1", "verify-meets_requirements": "1"}
    assert first.post(_act(complaint, "verify"), {**form_1, **data}).status_code == 302
    response = second.post(_act(complaint, "verify"), {**form_2, **data})
    assert response.status_code == 409
    assert "baru saja diubah oleh" in response.text
    assert complaint.events.filter(kind=EventKind.VERIFIED).count() == 1


def test_notes_never_conflict(client_for, office):
    complaint = register_complaint(office, received=timezone.now())
    officer, lead = client_for("petugas"), client_for("ketua")
    note_form = _page_form(officer, complaint, "note")
    lead.post(_act(complaint, "verify"), {
        **_page_form(lead, complaint, "verify"),
        "verify-within_authority": "1", "verify-meets_requirements": "1"})
    response = officer.post(_act(complaint, "note"), {**note_form, "note-body": "Sudah ditelepon."})
    assert response.status_code == 302

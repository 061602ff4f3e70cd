"""Canned answers on the case page's reply forms: saved replies kept by the team lead, the FAQ,
suggested answers ranked first, search, and the pick that pre-fills the editable field."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.testing import login_verified
from aduan.assist import services
from aduan.assist.models import SavedReply, Suggestion
from aduan.assist.selectors import canned_answers
from aduan.complaints.models import EventKind
from aduan.complaints.tests.factories import register_complaint
from aduan.core.exceptions import PermissionDenied
from aduan.offices.models import Office
from aduan.portal.demo import load_demo_faq

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(users):
    def _client(username: str) -> Client:
        client = Client()
        login_verified(client, users[username])
        return client

    return _client


@pytest.fixture
def faq(office):
    load_demo_faq(office)
    return office.faqs.all()


@pytest.fixture
def reply(office, lead):
    return services.saved_reply_save(
        office=office, actor=lead, title="Berkas sedang diverifikasi",
        body="Berkas Anda sudah kami terima dan sedang diverifikasi oleh petugas teknis.",
        keywords="verifikasi berkas")


def _list(client, complaint, field="answer-answer", q=""):
    return client.get(reverse("assist:canned-list", args=[complaint.pk]),
                      {"field": field, "q": q}, HTTP_HX_REQUEST="true")


def _use(client, complaint, key, field="answer-answer"):
    return client.get(reverse("assist:canned-use", args=[complaint.pk]),
                      {"field": field, "key": key}, HTTP_HX_REQUEST="true")


def test_team_lead_keeps_saved_replies_officer_may_not(office, lead, officer):
    reply = services.saved_reply_save(office=office, actor=lead, title="Terima kasih",
                                      body="Terima kasih atas laporan Anda.")
    assert reply.search_text  # stemmed for the picker's search
    with pytest.raises(PermissionDenied):
        services.saved_reply_save(office=office, actor=officer, title="x", body="y")
    changed = services.saved_reply_save(office=office, actor=lead, reply_id=reply.pk,
                                        title="Terima kasih", body="Terima kasih banyak.",
                                        is_active=False)
    assert changed.pk == reply.pk and not changed.is_active
    assert SavedReply.objects.count() == 1


def test_saved_reply_of_another_office_cannot_be_changed(office, lead):
    other = Office.objects.create(code="lain", name="Kantor Lain", short_name="Lain",
                                  government_name="X", city="Y")
    foreign = SavedReply.objects.create(office=other, title="Asing", body="Teks asing")
    from aduan.core.exceptions import NotFound

    with pytest.raises(NotFound):
        services.saved_reply_save(office=office, actor=lead, reply_id=foreign.pk,
                                  title="Diubah", body="Diubah")
    foreign.refresh_from_db()
    assert foreign.title == "Asing"


def test_settings_page_lead_adds_a_reply_and_officer_is_refused(client_for, office):
    lead = client_for("ketua")
    page = lead.get(reverse("assist:settings"))
    assert page.status_code == 200
    response = lead.post(reverse("assist:saved-reply-add"), {
        "title": "Syarat OSS", "body": "Daftar di oss.go.id dengan KTP dan NPWP.",
        "keywords": "nib oss", "order": "1", "is_active": "on"})
    assert response.status_code == 302
    assert SavedReply.objects.get(title="Syarat OSS").created_by.username == "ketua"
    empty = lead.post(reverse("assist:saved-reply-add"), {"title": "", "body": "", "order": 0})
    assert empty.status_code == 422
    assert client_for("petugas").get(reverse("assist:settings")).status_code == 403


def test_picker_lists_saved_replies_and_faq_and_pick_prefills_the_field(client_for, office,
                                                                        faq, reply):
    complaint = register_complaint(office, received=timezone.now())
    client = client_for("petugas")
    page = client.get(reverse("desk:complaint-detail", args=[complaint.pk]))
    html = page.text
    assert 'id="canned-answer-answer"' in html and 'id="canned-respond-response"' not in html
    assert reply.title in html and faq[0].question[:40] in html
    picked = _use(client, complaint, f"saved:{reply.pk}")
    assert picked.status_code == 200
    assert 'name="answer-answer"' in picked.text
    assert "sedang diverifikasi oleh petugas teknis" in picked.text
    # The officer edits and sends as today: the answer settles the case.
    sent = client.post(reverse("desk:complaint-action", args=[complaint.pk, "answer"]),
                       {"answer-answer": reply.body + " Salam."})
    assert sent.status_code == 302
    event = complaint.events.get(kind=EventKind.ANSWERED)
    assert event.body.endswith("Salam.")


def test_picker_search_ranks_by_stemmed_words(client_for, office, faq, reply):
    complaint = register_complaint(office, received=timezone.now())
    client = client_for("petugas")
    found = _list(client, complaint, q="memverifikasi berkas")
    assert found.status_code == 200
    assert found.text.index(reply.title) < found.text.index("</ul>")
    keys = [c.key for c in canned_answers(office, complaint=complaint, query="verifikasi berkas")]
    assert keys[0] == f"saved:{reply.pk}"
    assert "Tidak ada jawaban yang cocok" in _list(client, complaint, q="zzzqqq").text


def test_suggested_answers_come_first(office, faq, reply):
    complaint = register_complaint(office, received=timezone.now())
    entry = faq[3]
    Suggestion.objects.create(complaint=complaint, model_version="t1", data={
        "answers": [{"kind": "faq", "ref": str(entry.pk), "title": entry.question,
                     "text": entry.answer, "confidence": 0.91, "reason": "kata: izin"}]})
    items = canned_answers(office, complaint=complaint)
    assert items[0].key == f"faq:{entry.pk}" and items[0].confidence == 0.91
    assert [i.key for i in items].count(f"faq:{entry.pk}") == 1  # not listed twice
    assert items[1].key == f"saved:{reply.pk}"


def test_picker_refuses_other_fields_foreign_keys_and_roles_without_the_form(
        client_for, office, faq):
    complaint = register_complaint(office, received=timezone.now())
    officer = client_for("petugas")
    assert _list(officer, complaint, field="note-body").status_code == 404
    assert _use(officer, complaint, "saved:999999").status_code == 404
    assert _use(officer, complaint, "faq:abc").status_code == 404
    other = Office.objects.create(code="lain", name="Kantor Lain", short_name="Lain",
                                  government_name="X", city="Y")
    foreign = SavedReply.objects.create(office=other, title="Asing", body="Rahasia kantor lain")
    assert _use(officer, complaint, f"saved:{foreign.pk}").status_code == 404
    # The head of office has no reply form on this case: no picker either.
    head = client_for("kadis")
    assert _list(head, complaint).status_code == 404
    assert 'id="canned-answer-answer"' not in head.get(
        reverse("desk:complaint-detail", args=[complaint.pk])).text

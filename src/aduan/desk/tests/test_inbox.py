"""Inbox: scoping, filters, keyword search on the full-text index, keyset pagination."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from aduan.complaints import services
from aduan.complaints.models import Complaint
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.desk.inbox import PAGE_SIZE, InboxFilters, decode_cursor, inbox_page

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
INBOX = reverse("desk:inbox")


def _numbers(response) -> list[str]:
    return [c.register_number for c in response.context["page"].rows]


def test_unit_staff_land_on_their_units_cases_only(client_for, disposed_to_a, office):
    other = register_complaint(office, subject="Pertanyaan NIB")
    response = client_for("perizinan_a").get(INBOX)
    assert response.status_code == 200
    assert _numbers(response) == [disposed_to_a.register_number]
    assert "Pengaduan bidang saya" in response.text
    assert other.register_number not in response.text
    response = client_for("perizinan_b").get(INBOX)
    assert _numbers(response) == []


def test_officer_sees_every_case_newest_first(client_for, office):
    first = register_complaint(office, received=dt.datetime(2025, 3, 1, 9, tzinfo=JAKARTA))
    second = register_complaint(office, received=dt.datetime(2025, 3, 2, 9, tzinfo=JAKARTA))
    response = client_for("petugas").get(INBOX)
    assert _numbers(response) == [second.register_number, first.register_number]


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_keyword_search_matches_subject_text_and_reporter_name(client_for, office):
    apotek = register_complaint(office, subject="Izin apotek tertunda",
                                description="Berkas lengkap sejak Maret.")
    oss = register_complaint(office, subject="Akun OSS terkunci",
                             description="Tidak bisa login ke sistem perizinan berusaha.",
                             reporter=ReporterInput(name="Rahmat Hidayat", phone="081299990000"))
    client = client_for("petugas")
    assert _numbers(client.get(INBOX, {"q": "apotek"})) == [apotek.register_number]
    assert _numbers(client.get(INBOX, {"q": "perizinan berusaha"})) == [oss.register_number]
    assert _numbers(client.get(INBOX, {"q": "hidayat"})) == [oss.register_number]
    # Prefixes match, every word must match, and query syntax is inert.
    assert _numbers(client.get(INBOX, {"q": "apot"})) == [apotek.register_number]
    assert _numbers(client.get(INBOX, {"q": "apotek OSS"})) == []
    assert _numbers(client.get(INBOX, {"q": 'apotek" (* -:^'})) == [apotek.register_number]
    assert _numbers(client.get(INBOX, {"q": oss.register_number})) == [oss.register_number]


def test_search_index_follows_edits_of_subject_and_reporter_name(client_for, office):
    complaint = register_complaint(office, subject="Izin toko obat")
    Complaint.objects.filter(pk=complaint.pk).update(subject="Izin klinik pratama")
    complaint.reporter.name = "Nurhayati Syamsuddin"
    complaint.reporter.save(update_fields=["name"])
    client = client_for("petugas")
    assert _numbers(client.get(INBOX, {"q": "toko"})) == []
    assert _numbers(client.get(INBOX, {"q": "klinik"})) == [complaint.register_number]
    assert _numbers(client.get(INBOX, {"q": "syamsuddin"})) == [complaint.register_number]
    assert _numbers(client.get(INBOX, {"q": "aminah"})) == []


def test_search_never_widens_what_a_unit_may_see(client_for, disposed_to_a, office):
    register_complaint(office, subject="Izin apotek kedua", description="Apotek lain.")
    disposed_to_a.reporter.is_confidential = False
    disposed_to_a.reporter.save(update_fields=["is_confidential"])
    assert _numbers(client_for("perizinan_b").get(INBOX, {"q": "apotek"})) == []
    assert _numbers(client_for("perizinan_a").get(INBOX, {"q": "apotek"})) == [
        disposed_to_a.register_number]


def test_unit_search_cannot_confirm_who_filed_a_confidential_case(client_for, disposed_to_a):
    """Outside the complaint team a confidential case is found by its register number only:
    a word search (a name, a phrase of the complaint) could confirm who filed it."""
    unit = client_for("perizinan_a")
    for words in ("apotek", "Fathul", "Jannah"):
        assert _numbers(unit.get(INBOX, {"q": words})) == []
    assert _numbers(unit.get(INBOX, {"q": disposed_to_a.register_number})) == [
        disposed_to_a.register_number]
    assert _numbers(client_for("petugas").get(INBOX, {"q": "Fathul"})) == [
        disposed_to_a.register_number]


def test_filters_by_status_channel_unit_service_type_and_dates(client_for, office, officer):
    walk_in = register_complaint(office, channel_code="meja_pengaduan",
                                 received=dt.datetime(2025, 2, 3, 9, tzinfo=JAKARTA),
                                 service_type=office.service_types.get(code="apotek"))
    sms = register_complaint(office, received=dt.datetime(2025, 5, 5, 9, tzinfo=JAKARTA))
    services.complaint_verify(complaint_id=sms.pk, actor=officer, checklist=Checklist())
    client = client_for("petugas")
    channel = office.channels.get(code="meja_pengaduan")
    assert _numbers(client.get(INBOX, {"channel": channel.pk})) == [walk_in.register_number]
    assert _numbers(client.get(INBOX, {"status": "verified"})) == [sms.register_number]
    apotek = office.service_types.get(code="apotek")
    assert _numbers(client.get(INBOX, {"service_type": apotek.pk})) == [walk_in.register_number]
    assert _numbers(client.get(INBOX, {"start": "2025-04-01", "end": "2025-12-31"})) == [
        sms.register_number]
    unit_a = office.units.get(code="perizinan-a")
    assert _numbers(client.get(INBOX, {"unit": unit_a.pk})) == []
    # A malformed date is ignored with a message, never a crash; other filters still apply.
    response = client.get(INBOX, {"start": "31/02/2025", "channel": channel.pk})
    assert response.status_code == 200
    assert "tidak dikenali" in response.text
    assert _numbers(response) == [walk_in.register_number]


def test_deadline_filters_overdue_and_due_within_three_working_days(client_for, office):
    today = timezone.localdate()
    now = timezone.now()
    overdue = register_complaint(office, received=now - dt.timedelta(days=60))
    due_soon = register_complaint(office, received=now - dt.timedelta(days=1))
    fresh = register_complaint(office, received=now)
    Complaint.objects.filter(pk=due_soon.pk).update(due_on=today + dt.timedelta(days=1))
    client = client_for("petugas")
    assert _numbers(client.get(INBOX, {"deadline": "overdue"})) == [overdue.register_number]
    assert _numbers(client.get(INBOX, {"deadline": "due_soon"})) == [due_soon.register_number]
    assert set(_numbers(client.get(INBOX, {"deadline": "open"}))) == {
        overdue.register_number, due_soon.register_number, fresh.register_number}


def _bulk(office, count: int) -> None:
    base = dt.datetime(2025, 1, 6, 8, tzinfo=JAKARTA)
    for i in range(count):
        # Pairs of cases share a timestamp so the id tie-breaker is exercised.
        register_complaint(office, received=base + dt.timedelta(hours=i // 2),
                           subject=f"Perihal nomor {i}")


def test_keyset_pages_walk_every_case_once_in_order(office, officer):
    _bulk(office, PAGE_SIZE * 2 + 7)
    seen: list[int] = []
    cursor = ""
    pages = 0
    while True:
        page = inbox_page(officer, InboxFilters(), cursor)
        seen.extend(c.pk for c in page.rows)
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    expected = list(Complaint.objects.order_by("-received_at", "-id").values_list("pk", flat=True))
    assert seen == expected
    assert pages == 3
    assert decode_cursor("not-a-cursor") is None


def test_inbox_page_runs_a_constant_number_of_queries(client_for, office,
                                                      django_assert_num_queries):
    _bulk(office, PAGE_SIZE + 10)
    client = client_for("petugas")
    client.get(INBOX)  # warm the configuration memo (office, calendar), as in production
    # Pinned so per-request work cannot creep back (issue 18): session, user, django-otp's
    # verified device, the configuration memo's version check (core/refcache.py), the user's
    # roles, and the one case-list query. The filters' channels, units and service types come
    # from the memo (offices.selectors.office_selects), not from three queries per page.
    with django_assert_num_queries(6):
        first = client.get(INBOX)
    assert len(first.context["page"].rows) == PAGE_SIZE
    cursor = first.context["page"].next_cursor
    with django_assert_num_queries(6):
        second = client.get(INBOX, {"after": cursor})
    assert len(second.context["page"].rows) == 10
    # A keyword search adds one query: the cheap match-count estimate that picks the plan.
    # On PostgreSQL the full-text indexes' statistics are read once per process every
    # NAME_STATS_SECONDS (complaints/search.py): warmed first, as in production.
    client.get(INBOX, {"q": "perihal"})
    with django_assert_num_queries(7):
        client.get(INBOX, {"q": "perihal", "status": "received", "deadline": "open"})


def test_status_counts_fragment_counts_visible_cases(client_for, office, officer,
                                                     disposed_to_a):
    register_complaint(office)
    response = client_for("petugas").get(reverse("desk:inbox-counts"))
    assert "Diterima <strong>1</strong>" in response.text
    assert "Didisposisikan <strong>1</strong>" in response.text
    response = client_for("perizinan_b").get(reverse("desk:inbox-counts"))
    assert "Dalam proses <strong>0</strong>" in response.text
    assert "Diterima" not in response.text and "Didisposisikan" not in response.text


@pytest.mark.parametrize("common", [False, True])
def test_both_search_plans_return_the_same_rows(office, officer, monkeypatch, common):
    """Rare words are fetched from the index and sorted; common words walk the inbox index.
    The plan choice is forced here so both are checked on small data."""
    from aduan.complaints import search

    monkeypatch.setattr(search, "FORCE_COMMON", common)
    base = dt.datetime(2025, 1, 6, 8, tzinfo=JAKARTA)
    expected = []
    for i in range(12):
        complaint = register_complaint(
            office, received=base + dt.timedelta(hours=i),
            subject=f"Izin {'apotek' if i % 3 else 'toko obat'} nomor {i}",
            description="Perizinan OSS/NIB" if i == 4 else "Belum terbit.")
        if i % 3:
            expected.append(complaint.pk)
    page = inbox_page(officer, InboxFilters(q="apotek"))
    assert [c.pk for c in page.rows] == expected[::-1]
    assert len(inbox_page(officer, InboxFilters(q="nib")).rows) == 1
    assert inbox_page(officer, InboxFilters(q="zzzz")).rows == []


def test_hostile_query_strings_are_ignored_not_errors(client_for, office):
    complaint = register_complaint(office)
    client = client_for("petugas")
    huge = "9" * 30
    for params in ({"channel": huge}, {"unit": "-1"}, {"status": "nope"},
                   {"after": "bm90LWEtY3Vyc29y"}, {"deadline": "<script>"}):
        response = client.get(INBOX, params)
        assert response.status_code == 200, params
        assert complaint.register_number in response.text
    url = reverse("desk:referral-reply", kwargs={"complaint_id": complaint.pk})
    assert client.get(url, {"refer-agency": huge}).status_code == 200

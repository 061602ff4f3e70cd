"""One case-list query (complaints/caselist.py) behind the desk inbox and the staff API: the same
filters and the same full-text search give the same cases, within the viewer's scope; the inbox
opens on open work with counts per state."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.api.services import api_token_create
from aduan.complaints import services
from aduan.complaints.caselist import CaseQuery, Deadline, State, case_filter
from aduan.complaints.models import Complaint
from aduan.complaints.selectors import complaint_list_for_user
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.workflow import SETTLED_STATUSES

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
INBOX = reverse("desk:inbox")


def _api_ids(user, **params) -> list[int]:
    _token, secret = api_token_create(user=user, name="t")
    ids, cursor = [], None
    while True:
        query = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        response = Client().get("/api/v1/cases", query, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return ids


def _desk_ids(client, **params) -> list[int]:
    ids, after = [], ""
    while True:
        response = client.get(INBOX, {**params, **({"after": after} if after else {})})
        assert response.status_code == 200
        page = response.context["page"]
        ids += [c.pk for c in page.rows]
        after = page.next_cursor
        if not after:
            return ids


@pytest.fixture
def cases(office, officer, lead):
    base = dt.datetime(2025, 3, 3, 9, tzinfo=JAKARTA)
    apotek = register_complaint(office, received=base, subject="Izin apotek tertunda",
                                description="Berkas lengkap sejak Maret.")
    oss = register_complaint(
        office, received=base + dt.timedelta(days=1), channel_code="website",
        subject="Akun terkunci", description="Tidak bisa login ke sistem perizinan berusaha OSS.",
        reporter=ReporterInput(name="Rahmat Hidayat", phone="081299990000", consent=True))
    secret = register_complaint(
        office, received=base + dt.timedelta(days=2), subject="Pungutan di loket apotek",
        reporter=ReporterInput(name="Dewi Lestari", phone="081299990001", consent=True,
                               is_confidential=True))
    answered = register_complaint(office, received=base + dt.timedelta(days=3),
                                  subject="Pertanyaan syarat izin apotek")
    services.complaint_answer(complaint_id=answered.pk, actor=officer,
                              answer="Syaratnya ada di laman kami.")
    for case in (apotek, secret):
        services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=Checklist())
        services.complaint_dispose(complaint_id=case.pk, actor=lead,
                                   unit=office.units.get(code="perizinan-a"))
    return {"apotek": apotek, "oss": oss, "secret": secret, "answered": answered}


@pytest.mark.parametrize("q", ["apotek", "apot", "perizinan berusaha", "hidayat", "lestari",
                               "OSS", "berkas maret", "zzzz", "izin loket"])
def test_api_search_gives_the_desks_rows(client_for, cases, officer, q):
    """The API's `q` is the desk's full-text search (text and, for the team, the reporter's
    name), not a scan of the subject: the same ids in the same order."""
    desk = _desk_ids(client_for("petugas"), q=q, state="all")
    assert _api_ids(officer, q=q) == desk
    if q == "perizinan berusaha":  # words of the description, not of the subject
        assert desk == [cases["oss"].pk]
    if q == "hidayat":
        assert desk == [cases["oss"].pk]


def test_api_search_by_register_number(client_for, cases, officer):
    number = cases["oss"].register_number
    assert _api_ids(officer, q=number) == [cases["oss"].pk]
    assert _desk_ids(client_for("petugas"), q=number) == [cases["oss"].pk]


def test_api_search_stays_in_the_units_scope(client_for, cases, users):
    """Unit staff search only their unit's cases, never by reporter name, and a word search
    never returns a confidential reporter's case (it would confirm who filed it)."""
    staff = users["perizinan_a"]
    assert _api_ids(staff) == [cases["secret"].pk, cases["apotek"].pk]
    assert _api_ids(staff, q="apotek") == [cases["apotek"].pk]
    assert _api_ids(staff, q="hidayat") == []
    assert _api_ids(staff, q="lestari") == []
    assert _api_ids(staff, q="loket") == []
    assert _api_ids(users["perizinan_b"], q="apotek") == []
    for q in ("apotek", "loket", "hidayat"):
        assert _api_ids(staff, q=q) == _desk_ids(client_for("perizinan_a"), q=q)


def test_api_filters_match_the_desks(client_for, cases, officer, office):
    client = client_for("petugas")
    unit_a = office.units.get(code="perizinan-a")
    website = office.channels.get(code="website")
    assert _api_ids(officer, unit="perizinan-a") == _desk_ids(
        client, unit=unit_a.pk, state="all") == [cases["secret"].pk, cases["apotek"].pk]
    assert _api_ids(officer, channel="website") == _desk_ids(client, channel=website.pk)
    assert _api_ids(officer, state="settled") == _desk_ids(client, state="settled") == [
        cases["answered"].pk]
    assert _api_ids(officer, state="open") == _desk_ids(client)
    assert _api_ids(officer, unit="no-such-unit") == []


def test_inbox_opens_on_open_work_with_settled_one_click_away(client_for, cases):
    client = client_for("petugas")
    response = client.get(INBOX)
    opened = [cases["secret"].pk, cases["oss"].pk, cases["apotek"].pk]
    assert [c.pk for c in response.context["page"].rows] == opened
    assert 'href="?state=settled"' in response.text
    assert 'aria-current="page">Dalam proses</a>' in response.text
    assert _desk_ids(client, state="settled") == [cases["answered"].pk]
    assert _desk_ids(client, state="all")[0] == cases["answered"].pk
    # A chosen status or a search looks at every state.
    assert _desk_ids(client, status="answered") == [cases["answered"].pk]
    assert cases["answered"].pk in _desk_ids(client, q="apotek")
    # The state survives the filter form and the pages.
    assert 'name="state" value="settled"' in client.get(INBOX, {"state": "settled"}).text


def test_counts_per_state_and_status(client_for, cases):
    text = client_for("petugas").get(reverse("desk:inbox-counts")).text
    assert "Dalam proses <strong>3</strong>" in text
    assert "Selesai <strong>1</strong>" in text
    assert "Didisposisikan <strong>2</strong>" in text
    assert "Diterima <strong>1</strong>" in text
    text = client_for("perizinan_a").get(reverse("desk:inbox-counts")).text
    assert "Dalam proses <strong>2</strong>" in text
    assert "Selesai <strong>0</strong>" in text


def test_every_filter_combination_matches_a_plain_reading(office, officer, lead, users):
    """Each combination of the inbox filters returns exactly the cases a plain Python reading
    of the rows selects (on SQLite and PostgreSQL alike)."""
    today = timezone.localdate()
    now = timezone.now()
    units = list(office.units.filter(is_complaint_team=False)[:2])
    channels = ["sms_wa", "website", "meja_pengaduan"]
    made = []
    for i in range(12):
        received = now - dt.timedelta(days=[1, 3, 20, 40, 60, 90][i % 6], hours=i)
        case = register_complaint(office, received=received, channel_code=channels[i % 3],
                                  subject=f"Kasus {i}")
        if i % 4 == 1:
            services.complaint_answer(complaint_id=case.pk, actor=officer, answer="Jawaban.")
        elif i % 4 in (2, 3):
            services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=Checklist())
            services.complaint_dispose(complaint_id=case.pk, actor=lead, unit=units[i % 2])
        made.append(case.pk)
    rows = list(Complaint.objects.filter(pk__in=made))
    from aduan.offices.calendar import calendar_for_office

    soon = calendar_for_office(office.pk).add_working_days(today, 3)

    def plain(c, f: CaseQuery) -> bool:
        is_open = c.status not in SETTLED_STATUSES
        checks = [
            f.state != State.OPEN or is_open, f.state != State.SETTLED or not is_open,
            not f.status or c.status == f.status, not f.unit or c.unit_id == f.unit,
            not f.channel or c.channel_id == f.channel,
            not f.received_from or c.received_on >= f.received_from,
            f.deadline != Deadline.OVERDUE or (is_open and c.due_on < today),
            f.deadline != Deadline.DUE_SOON or (is_open and today <= c.due_on <= soon),
            f.deadline != Deadline.NOT_OVERDUE or not (is_open and c.due_on < today),
        ]
        return all(checks)

    channel_ids = [None, office.channels.get(code="website").pk]
    combos = itertools.product(
        [State.ALL, State.OPEN, State.SETTLED], ["", "dispositioned", "answered"],
        [None, units[0].pk], channel_ids,
        ["", Deadline.OVERDUE, Deadline.DUE_SOON, Deadline.NOT_OVERDUE],
        [None, today - dt.timedelta(days=30)])
    qs = complaint_list_for_user(officer)
    checked = 0
    for state, status, unit, channel, deadline, start in combos:
        f = CaseQuery(state=state, status=status, unit=unit, channel=channel,
                      deadline=deadline, received_from=start)
        got = set(case_filter(qs, f, office_id=office.pk).values_list("pk", flat=True))
        assert got == {c.pk for c in rows if plain(c, f)}, f
        checked += bool(got)
    assert checked > 50  # most combinations select something: the test can fail


@pytest.mark.django_db
def test_date_range_keeps_exact_local_days_at_midnight(office):
    """The days are read as a range of received_at (for the index) and stay the local days
    of receipt: a case at 00:10 on the first day and 23:50 on the last is in, a minute outside
    either end is out, and each one's received_on agrees."""
    jakarta = ZoneInfo("Asia/Jakarta")
    at = {name: register_complaint(office, received=dt.datetime(*moment, tzinfo=jakarta)).pk
          for name, moment in {"before": (2025, 2, 28, 23, 59), "first": (2025, 3, 1, 0, 10),
                               "last": (2025, 3, 7, 23, 50), "after": (2025, 3, 8, 0, 1)}
          .items()}
    f = CaseQuery(state=State.ALL, received_from=dt.date(2025, 3, 1),
                  received_to=dt.date(2025, 3, 7))
    got = set(case_filter(Complaint.objects.all(), f).values_list("pk", flat=True))
    assert got == {at["first"], at["last"]}
    only_from = CaseQuery(state=State.ALL, received_from=dt.date(2025, 3, 8))
    assert set(case_filter(Complaint.objects.all(), only_from).values_list("pk", flat=True)) \
        == {at["after"]}
    only_to = CaseQuery(state=State.ALL, received_to=dt.date(2025, 2, 28))
    assert set(case_filter(Complaint.objects.all(), only_to).values_list("pk", flat=True)) \
        == {at["before"]}
    extreme = CaseQuery(state=State.ALL, received_from=dt.date.min, received_to=dt.date.max)
    assert case_filter(Complaint.objects.all(), extreme).count() == 4
    for pk in got:
        day = Complaint.objects.get(pk=pk).received_on
        assert dt.date(2025, 3, 1) <= day <= dt.date(2025, 3, 7)

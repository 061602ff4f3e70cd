"""The central intake's routing desk over HTTP (desk/views/routing.py): who sees it (the
central complaint team; everyone else gets 404), the queue oldest first with the routing
limit, the offices ranked by the real triage engine's authority suggestion (and in name order,
without scores, when there is none), and the counts on the inbox."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from aduan.accounts.models import Role
from aduan.accounts.testing import login_verified
from aduan.assist.compute import assist_case
from aduan.assist.models import Suggestion
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.tests.regency import central_intake, regency_offices, staff
from aduan.desk.routing import rank_offices, row_choices

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = dt.datetime(2025, 5, 6, 10, tzinfo=JAKARTA)  # a Tuesday
KTP = ("KTP-el saya belum jadi", "Sudah 3 bulan rekam KTP-el di kecamatan tetapi KTP belum "
       "dicetak, NIK juga tidak aktif waktu urus BPJS. Mohon dibantu Disdukcapil.")


@pytest.fixture
def regency(office):
    central = central_intake()
    others = regency_offices()
    office.authority = "dpmptsp"
    office.save()
    return central, others


@pytest.fixture
def central_client(regency):
    central, _ = regency
    client = Client()
    login_verified(client, staff(central, "petugas_pusat", Role.OFFICER))
    return client


def _received(office, day, **kwargs):
    return register_complaint(office, received=dt.datetime.combine(
        day, dt.time(9), tzinfo=JAKARTA), **kwargs)


def _card(html: str, pk: int) -> str:
    """The case's card on the routing desk, from its opening tag to its end."""
    start = html.rindex("<li", 0, html.index(f'id="rute-{pk}"'))
    return html[start:html.index("</li>", start)]


def _client(user) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_routing_desk_lists_cases_oldest_first_with_their_limit(
        regency, central_client, time_machine):
    time_machine.move_to(TODAY)
    central, _ = regency
    newer = _received(central, dt.date(2025, 5, 5), subject="Lampu jalan mati")
    older = _received(central, dt.date(2025, 4, 28), subject="Jalan berlubang")
    response = central_client.get(reverse("desk:routing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'id="rute-{older.pk}"') < html.index(f'id="rute-{newer.pk}"')
    late = _card(html, older.pk)
    assert "is-overdue" in late and "terlambat 2 hari kerja" in late
    assert "Batas rute" in late and 'datetime="2025-05-02"' in late
    fresh = _card(html, newer.pk)
    assert "is-overdue" not in fresh and "is-due-soon" not in fresh
    assert "2 hari kerja lagi" in fresh
    assert "Terlambat dirutekan <strong>1</strong>" in html
    assert 'aria-current="page">Rute</a>' in html


def test_without_a_suggestion_offices_are_in_name_order_without_scores(
        regency, central_client, office, time_machine):
    time_machine.move_to(TODAY)
    central, _ = regency
    case = _received(central, dt.date(2025, 5, 5))
    html = central_client.get(reverse("desk:routing")).content.decode()
    card = _card(html, case.pk)
    assert "Saran belum tersedia" in card
    assert "%" not in card
    names = re.findall(r'<option value="\d+">([^<]+)</option>', card)
    assert names == sorted(names) and len(names) == 4  # the demo office and three more
    assert central.name not in names


def test_triage_authority_ranks_the_offices(regency, central_client, time_machine):
    """The real engine (trained for the central intake on first use) reads a KTP complaint as
    Disdukcapil's: its office comes first, with the confidence shown."""
    time_machine.move_to(TODAY)
    central, others = regency
    case = _received(central, dt.date(2025, 5, 5), subject=KTP[0], description=KTP[1])
    assist_case(case.pk)
    suggestion = Suggestion.objects.get(complaint=case)
    assert suggestion.data["authority"][0]["code"] == "disdukcapil"
    html = central_client.get(reverse("desk:routing")).content.decode()
    card = _card(html, case.pk)
    assert "Instansi yang disarankan" in card
    first = re.search(r'name="ke" value="(\d+)">\s*<button[^>]*>([^<]+)<span class="confidence">'
                      r'(\d+)%', card)
    assert first and int(first.group(1)) == others["disdukcapil"].pk
    assert int(first.group(3)) == round(suggestion.data["authority"][0]["confidence"] * 100)


def test_rank_offices_maps_authorities_and_ignores_junk(regency, office):
    _central, others = regency
    offices = [office, others["disdukcapil"], others["dlh"], others["pupr"]]
    offices.sort(key=lambda o: o.name)
    ranked = rank_offices(offices, [
        {"code": "pupr", "confidence": 0.6, "reason": "kata: jalan"},
        {"code": "dlh", "confidence": "not a number"},
        {"code": "dpmptsp", "confidence": 0.3},
        {"code": "nowhere", "confidence": 0.1}])
    assert [c.office.code for c in ranked[:2]] == ["pupr", office.code]
    assert [c.percent for c in ranked] == [60, 30, None, None]
    assert [c.is_suggested for c in ranked] == [True, True, False, False]
    weak = rank_offices(offices, [{"code": "dlh", "confidence": 0.004}])
    assert weak[0].office.code == "dlh" and weak[0].percent == 0 and not weak[0].is_suggested
    assert [c.office.code for c in ranked[2:]] == [
        o.code for o in offices if o.code in {"disdukcapil", "dlh"}]
    plain = rank_offices(offices, [])
    assert [c.office for c in plain] == offices and all(c.confidence is None for c in plain)


def test_row_choices_share_the_plain_list_and_rank_each_suggestion(regency, office):
    _central, others = regency
    offices = sorted([office, others["disdukcapil"], others["dlh"], others["pupr"]],
                     key=lambda o: o.name)
    rows = row_choices(offices, {2: [{"code": "pupr", "confidence": 0.6}],
                                 3: [{"code": "dlh", "confidence": 0.01}], 4: []}, [1, 2, 3, 4])
    names = [o.name for o in offices]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', rows[1].options) == names
    assert rows[1].suggested == [] and not rows[1].has_suggestion
    assert rows[4].options == rows[1].options and rows[4].has_suggestion
    pupr = others["pupr"]
    assert rows[2].options.startswith(f'<option value="{pupr.pk}">{pupr.name} (60%)</option>')
    assert [c.office for c in rows[2].suggested] == [pupr] and rows[2].has_suggestion
    assert rows[3].suggested == [] and "(1%)" in rows[3].options


def test_other_offices_and_other_roles_get_404(regency, users, office, time_machine):
    time_machine.move_to(TODAY)
    central, _ = regency
    case = _received(central, dt.date(2025, 5, 5))
    urls = [reverse("desk:routing"), reverse("desk:routing-counts"),
            reverse("desk:route-case", args=[case.pk]) + f"?ke={office.pk}"]
    outsiders = [users["petugas"], users["ketua"], users["kadis"],
                 staff(central, "kepala_pusat", Role.HEAD),
                 staff(central, "admin_pusat", Role.ADMINISTRATOR)]
    for user in outsiders:
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(reverse("desk:route-case", args=[case.pk]),
                           {"ke": office.pk}).status_code == 404
        inbox = client.get(reverse("desk:inbox")).content.decode()
        assert reverse("desk:routing") not in inbox
    anonymous = Client().get(reverse("desk:routing"))
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]


def test_confirm_asks_before_routing(regency, central_client, office, time_machine):
    time_machine.move_to(TODAY)
    central, others = regency
    case = _received(central, dt.date(2025, 5, 5))
    url = reverse("desk:route-case", args=[case.pk])
    page = central_client.get(url, {"ke": others["dlh"].pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rutekan pengaduan" in html and others["dlh"].name in html
    assert 'method="post"' in html and "Ya, rutekan" in html
    fragment = central_client.get(url, {"ke": others["dlh"].pk}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert 'hx-post="' in fragment.content.decode()
    # Not a routing target: the central office itself, an unknown id, junk.
    for bad in (central.pk, 999_999, "x", ""):
        assert central_client.get(url, {"ke": bad}).status_code == 404


def test_inbox_counts_show_routing_at_the_central_intake_only(
        regency, central_client, users, time_machine):
    time_machine.move_to(TODAY)
    central, _ = regency
    _received(central, dt.date(2025, 4, 28))
    _received(central, dt.date(2025, 5, 5))
    html = central_client.get(reverse("desk:inbox-counts")).content.decode()
    assert "Menunggu rute <strong>2</strong>" in html
    assert "Terlambat dirutekan <strong>1</strong>" in html
    other = _client(users["petugas"]).get(reverse("desk:inbox-counts")).content.decode()
    assert "rute" not in other.lower()
    counts = central_client.get(reverse("desk:routing-counts")).content.decode()
    assert "Batas rute hari ini atau besok <strong>0</strong>" in counts


def test_routing_desk_queries_do_not_grow_with_the_cases(
        regency, central_client, time_machine, django_assert_max_num_queries):
    time_machine.move_to(TODAY)
    central, _ = regency
    _received(central, dt.date(2025, 5, 5))
    central_client.get(reverse("desk:routing"))  # warm the per-process memos
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        central_client.get(reverse("desk:routing"))
    for day in range(1, 21):
        _received(central, dt.date(2025, 4, day))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = central_client.get(reverse("desk:routing"))
    assert response.content.decode().count('class="card route-case') == 21


# -- routing ---------------------------------------------------------------------------------

@pytest.fixture
def pupr_officer(regency):
    _, others = regency
    return staff(others["pupr"], "petugas_pupr", Role.OFFICER)


def test_route_moves_the_case_to_the_office_whose_officer_then_sees_it(
        regency, central_client, pupr_officer, time_machine, django_capture_on_commit_callbacks):
    from aduan.complaints.models import CaseTransfer
    from aduan.notifications.models import OutboxMessage

    time_machine.move_to(TODAY)
    central, others = regency
    case = _received(central, dt.date(2025, 5, 5), subject="Jalan berlubang di Jalan Pramuka")
    code, first_number = case.tracking_code, case.register_number
    with django_capture_on_commit_callbacks(execute=True):
        response = central_client.post(reverse("desk:route-case", args=[case.pk]),
                                       {"ke": others["pupr"].pk, "catatan": "Jalan kabupaten."})
    assert response.status_code == 302 and response["Location"] == reverse("desk:routing")
    hop = CaseTransfer.objects.get(complaint=case)
    assert (hop.kind, hop.from_office_id, hop.to_office_id) == ("route", central.pk,
                                                                 others["pupr"].pk)
    assert hop.reason == "Jalan kabupaten." and hop.from_register_number == first_number
    case.refresh_from_db()
    assert case.office_id == others["pupr"].pk and case.tracking_code == code
    assert case.register_number == hop.to_register_number != first_number
    # The reporter is told who handles it now, on their channel (the service's outbox row).
    told = OutboxMessage.objects.filter(complaint=case, case_event__kind="routed")
    assert told.filter(channel="whatsapp", recipient="+6281234567890").exists()
    page = central_client.get(reverse("desk:routing")).content.decode()
    assert "dirutekan ke Dinas Pekerjaan Umum dan Penataan Ruang" in page
    assert f'id="rute-{case.pk}"' not in page
    detail = reverse("desk:complaint-detail", args=[case.pk])
    assert central_client.get(detail).status_code == 404
    assert _client(pupr_officer).get(detail).status_code == 200


def test_route_without_a_note_gives_the_standard_reason(regency, central_client,
                                                       time_machine):
    from aduan.complaints.models import CaseTransfer

    time_machine.move_to(TODAY)
    central, others = regency
    case = _received(central, dt.date(2025, 5, 5))
    central_client.post(reverse("desk:route-case", args=[case.pk]), {"ke": others["dlh"].pk})
    assert CaseTransfer.objects.get(complaint=case).reason == (
        "Dirutekan oleh layanan pengaduan terpadu kepada Dinas Lingkungan Hidup sebagai "
        "instansi yang berwenang.")


def test_a_double_click_routes_once(regency, central_client, time_machine):
    from aduan.complaints.models import CaseTransfer

    time_machine.move_to(TODAY)
    central, others = regency
    case = _received(central, dt.date(2025, 5, 5))
    url = reverse("desk:route-case", args=[case.pk])
    first = central_client.post(url, {"ke": others["pupr"].pk}, headers={"HX-Request": "true"})
    assert first.status_code == 200 and first["HX-Trigger"] == "routing-changed"
    assert "dirutekan ke" in first.content.decode()
    again = central_client.post(url, {"ke": others["pupr"].pk}, headers={"HX-Request": "true"})
    assert again.status_code == 200 and "sudah tidak menunggu rute" in again.content.decode()
    other = central_client.post(url, {"ke": others["dlh"].pk})
    assert other.status_code == 302
    assert CaseTransfer.objects.filter(complaint=case).count() == 1
    case.refresh_from_db()
    assert case.office_id == others["pupr"].pk


def test_a_case_handled_by_the_central_office_is_not_routed(
        regency, central_client, time_machine):
    from aduan.complaints import services
    from aduan.complaints.models import CaseTransfer
    from aduan.complaints.services import Checklist

    time_machine.move_to(TODAY)
    central, others = regency
    officer = staff(central, "petugas_pusat_2", Role.OFFICER)
    case = _received(central, dt.date(2025, 5, 5))
    services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=Checklist())
    response = central_client.post(reverse("desk:route-case", args=[case.pk]),
                                   {"ke": others["pupr"].pk}, follow=True)
    assert "sudah tidak menunggu rute" in response.content.decode()
    assert not CaseTransfer.objects.exists()


def test_a_refused_route_comes_back_to_the_queue(regency, central_client, pupr_officer,
                                                  time_machine):
    from aduan.complaints.models import CaseTransfer
    from aduan.complaints.transfers import case_forward_refuse

    time_machine.move_to(TODAY)
    central, others = regency
    case = _received(central, dt.date(2025, 5, 5))
    central_client.post(reverse("desk:route-case", args=[case.pk]), {"ke": others["pupr"].pk})
    case_forward_refuse(CaseTransfer.objects.get(complaint=case), by=pupr_officer,
                        reason="Jalan provinsi, bukan kewenangan kabupaten.")
    page = central_client.get(reverse("desk:routing")).content.decode()
    assert f'id="rute-{case.pk}"' in page


def test_the_central_offices_dashboard_counts_routing(regency, users, time_machine):
    time_machine.move_to(TODAY)
    central, _ = regency
    _received(central, dt.date(2025, 4, 28))
    _received(central, dt.date(2025, 5, 2))
    head = _client(staff(central, "kepala_pusat", Role.HEAD))
    html = head.get(reverse("reports:dashboard")).content.decode()
    assert 'id="routing-waiting">2<' in html and 'id="routing-overdue">1<' in html
    assert 'id="routing-soon">1<' in html
    other = _client(users["kadis"]).get(reverse("reports:dashboard")).content.decode()
    assert 'id="routing"' not in other


def test_a_routing_decision_teaches_the_central_intakes_triage(regency, central_client,
                                                             time_machine):
    """Where the officer routed the case is the authority the central intake's model should
    have ranked first: it is recorded for the central office's training, not the receiver's."""
    from aduan.assist.models import FeedbackField, SuggestionFeedback
    from aduan.triage.services import feedback_examples, mapping_for

    time_machine.move_to(TODAY)
    central, others = regency
    case = _received(central, dt.date(2025, 5, 5), subject="Sampah menumpuk di pasar")
    Suggestion.objects.create(complaint=case, model_version="v1", data={"authority": [
        {"code": "pupr", "label": "Dinas PUPR", "confidence": 0.6, "reason": ""},
        {"code": "dlh", "label": "DLH", "confidence": 0.3, "reason": ""}]})
    central_client.post(reverse("desk:route-case", args=[case.pk]), {"ke": others["dlh"].pk})
    row = SuggestionFeedback.objects.get(complaint=case, field=FeedbackField.AUTHORITY)
    assert (row.office_id, row.suggested, row.chosen, row.accepted) == (
        central.pk, "pupr", "dlh", False)
    examples = feedback_examples(central, mapping_for(central))
    assert [e.labels for e in examples] == [{"authority": "dlh"}]
    assert not feedback_examples(others["dlh"], mapping_for(others["dlh"]))

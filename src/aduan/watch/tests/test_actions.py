"""Actions on a late application, each logged with date, person and result; the letter,
the report to the head and the applicant's message go through the outbox."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.notifications.models import OutboxChannel, OutboxMessage
from aduan.offices.models import Channel, ChannelKind, ReferralAgency
from aduan.watch.models import ActionKind, PermitApplication, WatchAction, WatchSettings
from aduan.watch.tests.conftest import app_row, working_days_ago


@pytest.fixture
def late_app(office, make_apps):
    ReferralAgency.objects.create(office=office, code="dinkes",
                                  name="Dinas Kesehatan Kabupaten Bengkalis",
                                  topics="Apotek", contact="Jl. Pertanian · dinkes@contoh.go.id")
    make_apps(app_row("503/APT/2025/0001", complete_on=working_days_ago(office, 20),
                      holder="Dinas Kesehatan Kabupaten Bengkalis"))
    app = PermitApplication.objects.get()
    assert app.state == "late" and app.holder_agency.code == "dinkes"
    return app


@pytest.fixture
def team(client, officer):
    return login_verified(client, officer)


def act(client, app, kind, data=None):
    return client.post(reverse("watch:action", kwargs={"app_id": app.pk, "kind": kind}),
                       data or {})


@pytest.mark.django_db
def test_phone_call_and_visit_are_logged_with_date_person_and_result(team, officer, late_app):
    response = act(team, late_app, "phone", {"result": "Kadis sedang dinas luar; dijanjikan "
                                                       "selesai Jumat.", "contact": "Sekretaris"})
    assert response.status_code == 302
    act(team, late_app, "visit", {"result": "Berkas ditemukan di meja Kabid."})
    logged = list(WatchAction.objects.filter(kind__in=[ActionKind.PHONE, ActionKind.VISIT])
                  .order_by("pk"))
    assert [(a.kind, a.actor, a.contact) for a in logged] == [
        ("phone", officer, "Sekretaris"), ("visit", officer, "")]
    assert logged[0].done_on and "Jumat" in logged[0].result
    page = team.get(reverse("watch:detail", kwargs={"app_id": late_app.pk}))
    assert "Berkas ditemukan di meja Kabid." in page.content.decode()
    # An empty result is refused and nothing is written.
    response = act(team, late_app, "phone", {"result": "  "})
    assert response.status_code == 400
    assert WatchAction.objects.filter(kind=ActionKind.PHONE).count() == 1


@pytest.mark.django_db
def test_letter_is_numbered_sent_to_the_agency_and_printable(team, office, late_app):
    WatchSettings.objects.update_or_create(office=office, defaults={
        "agency_letter_template": "Permohonan {{ number }} di {{ holder_name }} sudah "
                                  "{{ used_days }} dari {{ sop_days }} hari kerja."})
    assert act(team, late_app, "letter").status_code == 302
    assert act(team, late_app, "letter").status_code == 302
    letters = list(WatchAction.objects.filter(kind=ActionKind.LETTER).order_by("pk"))
    year = letters[0].done_on.year
    assert [a.letter_number for a in letters] == [
        f"500.16.7.2/1/PWS-DPMPTSP/{year}", f"500.16.7.2/2/PWS-DPMPTSP/{year}"]
    assert "Permohonan 503/APT/2025/0001 di Dinas Kesehatan" in letters[0].body
    mail = OutboxMessage.objects.get(dedupe_key=f"watch-action-{letters[0].pk}-email-0")
    assert (mail.channel, mail.recipient) == (OutboxChannel.EMAIL, "dinkes@contoh.go.id")
    assert letters[0].letter_number in mail.subject and letters[0].body in mail.body
    pdf = team.get(reverse("watch:letter", kwargs={"action_id": letters[0].pk, "fmt": "pdf"}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = team.get(reverse("watch:letter", kwargs={"action_id": letters[0].pk, "fmt": "docx"}))
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert letters[0].letter_number in text and "PEMERINTAH KABUPATEN BENGKALIS" in text
    assert "Permohonan 503/APT/2025/0001" in text


@pytest.mark.django_db
def test_report_to_the_head_goes_to_the_heads_mailbox(team, head, late_app):
    act(team, late_app, "phone", {"result": "Belum ada jawaban."})
    assert act(team, late_app, "head_report", {"note": "Mohon dibahas di rapat."}).status_code \
        == 302
    report = WatchAction.objects.get(kind=ActionKind.HEAD_REPORT)
    assert "Belum ada jawaban." in report.body and "Mohon dibahas di rapat." in report.body
    mail = OutboxMessage.objects.get(dedupe_key__startswith=f"watch-action-{report.pk}-")
    assert mail.recipient == head.email and mail.channel == OutboxChannel.EMAIL


@pytest.mark.django_db
def test_applicant_message_uses_the_template_and_their_channel(team, office, late_app,
                                                               settings):
    page = team.get(reverse("watch:detail", kwargs={"app_id": late_app.pk}))
    preview = page.context["message_form"]["text"].value()
    assert "503/APT/2025/0001" in preview and "Dinas Kesehatan" in preview
    # WhatsApp off: e-mail.
    assert act(team, late_app, "applicant_message", {"text": preview}).status_code == 302
    mail = OutboxMessage.objects.get(dedupe_key__startswith="watch-action-")
    assert (mail.channel, mail.recipient, mail.body) == (OutboxChannel.EMAIL,
                                                         "apotek.sehat@contoh.id", preview)
    # WhatsApp on and the office has the channel: WhatsApp on the applicant's number.
    settings.ADUAN_WHATSAPP_ENABLED = True
    assert Channel.objects.filter(office=office, kind=ChannelKind.WHATSAPP).exists()
    act(team, late_app, "applicant_message", {"text": "Permohonan Anda sedang diproses."})
    wa = OutboxMessage.objects.filter(channel=OutboxChannel.WHATSAPP).get()
    assert wa.recipient == "+6281268610077" and wa.data["register_number"] == late_app.number
    assert WatchAction.objects.filter(kind=ActionKind.APPLICANT_MESSAGE).count() == 2


@pytest.mark.django_db
def test_whatsapp_payload_of_a_notice_without_a_case_uses_the_template(team, office,
                                                                        late_app, settings):
    from aduan.notifications.senders.whatsapp import build_payload

    settings.ADUAN_WHATSAPP_ENABLED = True
    act(team, late_app, "applicant_message", {"text": "Kabar permohonan."})
    message = OutboxMessage.objects.get(channel=OutboxChannel.WHATSAPP)
    payload = build_payload(message)
    assert payload["type"] == "template"  # no 24-hour window without a message from them
    params = payload["template"]["components"][0]["parameters"]
    assert params[0]["text"] == late_app.number


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["perizinan_a", "kadis"])
def test_only_the_complaint_team_acts_and_sees_contacts(client, users, late_app, who):
    login_verified(client, users[who])
    response = act(client, late_app, "phone", {"result": "x"})
    assert response.status_code == 403
    assert not WatchAction.objects.filter(kind=ActionKind.PHONE).exists()
    page = client.get(reverse("watch:detail", kwargs={"app_id": late_app.pk}))
    if who == "kadis":
        assert page.status_code == 200
        assert "0812-6861-0077" not in page.content.decode()
        assert "+6281268610077" not in page.content.decode()
    else:
        assert page.status_code == 403


@pytest.mark.django_db
def test_another_offices_application_is_not_found(team, office, late_app):
    from aduan.offices.models import Office

    other = Office.objects.create(code="lain", name="Kantor Lain", short_name="Lain",
                                  government_name="X", city="Y")
    PermitApplication.objects.filter(pk=late_app.pk).update(office=other)
    assert team.get(reverse("watch:detail", kwargs={"app_id": late_app.pk})).status_code == 404
    assert act(team, late_app, "phone", {"result": "x"}).status_code == 404

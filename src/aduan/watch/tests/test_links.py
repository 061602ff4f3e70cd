"""A new complaint that names an application (number, NIB) or comes from the applicant's
phone is linked to it automatically, shown on both sides, and counted in the figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.intake.tests.conftest import APP_SECRET, fixture_bytes
from aduan.intake.tests.test_whatsapp import SIGNATURES, post, text_payload
from aduan.watch.models import ActionKind, ComplaintLink, MatchKind, WatchAction
from aduan.watch.selectors import dashboard_figures
from aduan.watch.tests.conftest import app_row, working_days_ago


@pytest.fixture
def channel_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_ACCESS_TOKEN = "test-access-token"
    settings.WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v21.0"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings


@pytest.fixture
def apps(office, make_apps):
    make_apps(
        app_row("503/APT/2025/0042", complete_on=working_days_ago(office, 20),
                phone="0811-7688-0001", nib="9120301112233"),
        app_row("503/PBG/2025/0007", complete_on=working_days_ago(office, 5),
                permit_type="PBG", phone="+972987654321"),
        app_row("503/SIP/2025/0100", complete_on=working_days_ago(office, 2),
                permit_type="SIP Bidan", phone=""),
    )


@pytest.mark.django_db
def test_the_real_whatsapp_sample_is_linked_by_the_applicants_phone(client, office,
                                                                    channel_settings, apps):
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    assert post(client, body, SIGNATURES["01_inbound_text.json"]).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reporter.phone == "+972987654321"
    link = ComplaintLink.objects.get()
    assert (link.complaint, link.application.number, link.matched_on) == (
        complaint, "503/PBG/2025/0007", MatchKind.PHONE)


@pytest.mark.django_db
def test_a_whatsapp_complaint_naming_the_application_number_is_linked(client, office,
                                                                      channel_settings, apps,
                                                                      officer):
    text = ("Saya ingin bertanya mengenai proses surat izin apotek nomor 503/apt/2025/0042. "
            "Sudah lewat dari 14 hari kerja semenjak persyaratan dinyatakan lengkap dan benar.")
    assert post(client, text_payload(text, "wamid.apt42", sender="6285278190000")
                ).status_code == 200
    complaint = Complaint.objects.get()
    link = ComplaintLink.objects.get()
    assert (link.application.number, link.matched_on) == ("503/APT/2025/0042", MatchKind.NUMBER)
    logged = WatchAction.objects.get(kind=ActionKind.COMPLAINT_LINKED)
    assert complaint.register_number in logged.result
    # Shown on both: the application's page and the complaint's.
    login_verified(client, officer)
    page = client.get(reverse("watch:detail", kwargs={"app_id": link.application_id}))
    assert complaint.register_number in page.content.decode()
    case = client.get(reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk}))
    assert "503/APT/2025/0042" in case.content.decode()
    figures = dashboard_figures(office)
    assert (figures.late_with_complaint, figures.complaints_about_late) == (1, 1)


@pytest.mark.django_db
def test_a_later_message_naming_the_nib_links_the_open_case(client, office, channel_settings,
                                                            apps):
    assert post(client, text_payload("Izin saya belum keluar", "wamid.n1",
                                     sender="6285278190001")).status_code == 200
    assert not ComplaintLink.objects.exists()
    assert post(client, text_payload("NIB saya 9120301112233", "wamid.n2",
                                     sender="6285278190001")).status_code == 200
    link = ComplaintLink.objects.get()
    assert (link.application.number, link.matched_on) == ("503/APT/2025/0042", MatchKind.NIB)


@pytest.mark.django_db
def test_desk_complaints_link_and_unrelated_numbers_do_not(office, apps):
    register_complaint(office, description="Pengaduan tentang 503/SIP/2025/0100, mohon dicek.",
                       reporter=ReporterInput(name="Rina", consent=True))
    register_complaint(office, description="Nomor 503/XYZ/2025/9999 dan 1234567890123 tidak ada.",
                       reporter=ReporterInput(name="Budi", consent=True))
    assert list(ComplaintLink.objects.values_list("application__number", flat=True)) == [
        "503/SIP/2025/0100"]


@pytest.mark.django_db
def test_a_failure_of_the_link_never_loses_the_complaint(office, apps, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("aduan.watch.links.link_complaint", broken)
    complaint = register_complaint(office, description="Nomor 503/APT/2025/0042")
    assert Complaint.objects.filter(pk=complaint.pk).exists()
    assert not ComplaintLink.objects.exists()


@pytest.mark.django_db
def test_with_the_database_queue_the_link_is_a_job_written_with_the_case(office, apps,
                                                                         settings):
    """Issue 17: the submission does not wait for the search; the job's row commits with the
    case (nothing lost while no worker runs), and the worker's run links it."""
    from django_tasks_db.models import DBTaskResult

    from aduan.watch.links import LINK_JOB
    from aduan.watch.tasks import link_new_complaint

    settings.TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    complaint = register_complaint(office, description="Izin 503/APT/2025/0042 belum terbit.")
    assert not ComplaintLink.objects.exists()  # not searched before the answer
    # One of the case's follow-ups, in the one task row they share (complaints/notify.py).
    rows = [r for r in DBTaskResult.objects.all() if r.task_path.endswith("run_follow_ups")]
    assert len(rows) == 1
    complaint_id, names = rows[0].args_kwargs["args"]
    assert complaint_id == complaint.pk and LINK_JOB in names
    assert link_new_complaint.func(complaint.pk) == 1  # what the worker runs
    assert list(ComplaintLink.objects.values_list("application__number", flat=True)) == [
        "503/APT/2025/0042"]
    assert link_new_complaint.func(complaint.pk) == 0  # a second run links nothing twice

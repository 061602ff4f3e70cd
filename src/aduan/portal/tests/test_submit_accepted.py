"""A web submission without attachments accepted as ONE durable row and registered by the
worker (docs/decisions/0015-web-submission-accepted-then-registered.md): one row and no case
at once, registered exactly once, dated at receipt, replays answered with the first receipt,
pending codes answered by the lookup, lost tasks queued again, failures kept and visible, the
reporter's data never in clear in the row, the backlog on the health page."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints.deadlines import limits_for
from aduan.complaints.models import Complaint, SubmissionKey
from aduan.complaints.services import ReporterInput
from aduan.complaints.submissions import (
    Once,
    SubmissionNotRegistered,
    submission_backlog,
    submission_register,
    submissions_sweep,
)
from aduan.complaints.tasks import register_submission
from aduan.notifications.models import OutboxMessage
from aduan.offices.calendar import calendar_for_office
from aduan.ops.health import OK, WARN, check_submissions
from aduan.portal import throttle
from aduan.portal.services import Submission, portal_submission_accept

URL = reverse("portal:submit")
REGISTER = "aduan.complaints.tasks.register_submission"
DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                        "QUEUES": ["default"]}}


@pytest.fixture
def db_tasks(settings):
    """The database task queue: the registration waits in its task row for a worker."""
    settings.TASKS = DB_TASKS
    return settings


def receipt_of(response) -> object:
    """What a receipt address names (its signature carries the second it was made)."""
    from urllib.parse import parse_qs, urlsplit

    from django.core import signing

    token = parse_qs(urlsplit(response["Location"]).query)["r"][0]
    return signing.loads(token, salt="aduan.portal.receipt")


def run_queued() -> list[object]:
    """What a db_worker does with the queued registrations, in this process."""
    results = []
    for row in DBTaskResult.objects.filter(task_path=REGISTER, status="READY").order_by("pk"):
        row.delete()
        try:
            results.append(register_submission.call(*row.args_kwargs["args"]))
        except Exception as exc:  # the worker records the failure and goes on
            results.append(exc)
    return results


def accept(office, token: str = "", **reporter: str):
    return portal_submission_accept(
        office=office, submission=Submission(subject="SIP belum terbit",
                                              description="Sudah dua minggu menunggu."),
        reporter=ReporterInput(**({"name": "Rahmi Ayunda", "phone": "+6285156791234",
                                   "email": "ayunda@example.org", "consent": True}
                                  | reporter)),
        once=Once("web", token or throttle.form_token_nonce(throttle.form_token())))


@pytest.mark.django_db
def test_accept_writes_one_row_and_its_task_row_and_no_case(client, portal_office, form_data,
                                                           db_tasks):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, form_data())
    assert response.status_code == 302
    assert Complaint.objects.count() == 0
    row = SubmissionKey.objects.get()
    assert row.complaint_id is None and row.scope == "web" and row.office_id == portal_office.pk
    assert row.tracking_code and row.received_at is not None and row.language == "id"
    [task] = DBTaskResult.objects.filter(task_path=REGISTER)
    assert task.args_kwargs["args"] == [row.pk]
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 2, writes  # the row and its task row; nothing else
    # The reporter sees the tracking code at once and that the number follows.
    receipt = client.get(response["Location"]).content.decode()
    assert row.tracking_code in receipt
    assert "Nomor register sedang dicatat" in receipt and 'id="receipt-reload"' in receipt
    # The worker registers it: the same code, the number on the reloaded receipt.
    [case_id] = run_queued()
    complaint = Complaint.objects.get(pk=case_id)
    assert complaint.tracking_code == row.tracking_code
    receipt = client.get(response["Location"]).content.decode()
    assert f'id="register-number">{complaint.register_number}<' in receipt
    # The receipt went to the outbox with the number, as for any new case.
    assert OutboxMessage.objects.filter(complaint=complaint).exists()
    assert complaint.register_number in OutboxMessage.objects.filter(
        complaint=complaint).first().body


@pytest.mark.django_db
def test_the_worker_registers_a_row_exactly_once(portal_office, db_tasks):
    accepted = accept(portal_office)
    first = register_submission.call(accepted.key.pk)
    again = register_submission.call(accepted.key.pk)  # a duplicate delivery
    assert first is not None and again is None
    assert Complaint.objects.count() == 1
    row = SubmissionKey.objects.get()
    assert row.complaint_id == first
    assert row.payload == "" and row.error == ""  # the case holds the data now
    complaint = Complaint.objects.get()
    assert complaint.reporter.name == "Rahmi Ayunda"
    assert complaint.reporter.phone == "+6285156791234"
    assert complaint.reporter.consent_at == row.received_at


@pytest.mark.django_db
def test_dates_count_from_receipt_even_when_the_worker_runs_days_later(portal_office,
                                                                       db_tasks):
    accepted = accept(portal_office)
    # Received on a Friday evening long ago; the worker only runs now.
    received = timezone.make_aware(dt.datetime(2026, 1, 2, 19, 30))
    SubmissionKey.objects.filter(pk=accepted.key.pk).update(received_at=received)
    complaint = Complaint.objects.get(pk=register_submission.call(accepted.key.pk))
    assert complaint.received_at == received
    assert complaint.received_on == dt.date(2026, 1, 2)
    assert complaint.register_year == 2026 and complaint.issued_on == dt.date(2026, 1, 2)
    settle = limits_for(portal_office, complaint.classification).settle_days
    assert complaint.due_on == calendar_for_office(portal_office.pk).add_working_days(
        dt.date(2026, 1, 2), settle)


@pytest.mark.django_db
def test_a_web_node_clock_ahead_of_the_worker_does_not_make_the_row_unregistrable(
        portal_office, db_tasks):
    accepted = accept(portal_office)
    ahead = timezone.now() + dt.timedelta(minutes=20)
    SubmissionKey.objects.filter(pk=accepted.key.pk).update(received_at=ahead)
    complaint = Complaint.objects.get(pk=register_submission.call(accepted.key.pk))
    assert complaint.received_at <= timezone.now()
    assert SubmissionKey.objects.get(pk=accepted.key.pk).complaint_id == complaint.pk


@pytest.mark.django_db
def test_a_replay_of_a_pending_submission_answers_its_first_receipt(client, portal_office,
                                                                    form_data, db_tasks):
    data = form_data()
    first = client.post(URL, data)
    again = client.post(URL, {**data, "description": "Isi lain dengan token yang sama."})
    assert first.status_code == again.status_code == 302
    assert receipt_of(first) == receipt_of(again)
    assert SubmissionKey.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=REGISTER).count() == 1
    run_queued()
    assert Complaint.objects.count() == 1
    assert "Isi lain" not in Complaint.objects.get().description
    # Registered now: a third replay lands on the same receipt, with the number.
    third = client.post(URL, data)
    assert receipt_of(third) == receipt_of(first)
    assert Complaint.objects.get().register_number in client.get(
        third["Location"]).content.decode()


@pytest.mark.django_db
def test_a_replay_with_files_of_a_pending_token_answers_the_first_receipt(
        client, portal_office, form_data, db_tasks):
    from aduan.portal.tests.conftest import PDF, upload

    data = form_data()
    first = client.post(URL, data)
    again = client.post(URL, {**data, "attachments": [upload("surat.pdf", PDF)]})
    assert again.status_code == 302 and receipt_of(again) == receipt_of(first)
    assert Complaint.objects.count() == 0 and SubmissionKey.objects.count() == 1


@pytest.mark.django_db
def test_the_lookup_answers_a_pending_code(client, portal_office, db_tasks):
    accepted = accept(portal_office)
    code = accepted.key.tracking_code
    page = client.post(reverse("portal:track"), {"code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    assert "Diterima, sedang dicatat" in page.content.decode()
    # Whoever holds the code may have sent it without a contact (anonymous): no promise.
    assert "kontak" not in page.content.decode().split('id="track-pending"')[1].split(
        "</section>")[0]
    run_queued()
    page = client.post(reverse("portal:track"), {"code": code})
    assert page.status_code == 200
    assert Complaint.objects.get().register_number in page.content.decode()
    # An unknown code is still not found.
    assert client.post(reverse("portal:track"),
                       {"code": "K7QM-3XPD-9RTA-2F6B"}).status_code == 404


@pytest.mark.django_db
def test_the_api_answers_a_pending_code_202_then_its_status(client, portal_office, db_tasks):
    accepted = accept(portal_office)
    code = accepted.key.tracking_code
    url = f"/api/v1/complaints/{code.lower().replace('-', '')}"
    pending = client.get(url)
    assert pending.status_code == 202
    body = pending.json()
    assert body["state"] == "accepted" and body["tracking_code"] == code
    assert "sedang dicatat" in body["message"]
    assert "Rahmi" not in pending.content.decode() and "6285156791234" not in (
        pending.content.decode())
    run_queued()
    registered = client.get(url)
    assert registered.status_code == 200
    assert registered.json()["register_number"] == Complaint.objects.get().register_number
    # An unknown code is still the same 404.
    assert client.get("/api/v1/complaints/K7QM3XPD9RTA2F6B").status_code == 404


@pytest.mark.django_db
def test_the_sweep_queues_again_a_row_whose_task_was_lost(portal_office, db_tasks, settings):
    accepted = accept(portal_office)
    DBTaskResult.objects.all().delete()  # the task lost (a crash, Redis down)
    assert submissions_sweep() == {"waiting": 0, "queued": 0}  # too young to sweep
    two_minutes_ago = timezone.now() - dt.timedelta(minutes=2)
    SubmissionKey.objects.update(received_at=two_minutes_ago, updated_at=two_minutes_ago)
    assert submissions_sweep() == {"waiting": 1, "queued": 1}
    assert submissions_sweep() == {"waiting": 0, "queued": 0}  # queued a moment ago
    [case_id] = run_queued()
    assert SubmissionKey.objects.get(pk=accepted.key.pk).complaint_id == case_id
    assert submissions_sweep() == {"waiting": 0, "queued": 0}


@pytest.mark.django_db
def test_a_failing_row_keeps_its_error_stays_visible_and_is_retried_until_its_limit(
        portal_office, db_tasks, settings):
    settings.ADUAN_SUBMISSION_MAX_ATTEMPTS = 2
    accepted = accept(portal_office)
    SubmissionKey.objects.filter(pk=accepted.key.pk).update(
        payload="not-a-token", received_at=timezone.now() - dt.timedelta(minutes=20))
    DBTaskResult.objects.all().delete()
    with pytest.raises(SubmissionNotRegistered, match=r"ValueError: .*payload"):
        submission_register(accepted.key.pk)
    row = SubmissionKey.objects.get()
    assert row.attempts == 1 and "payload" in row.error and row.complaint_id is None
    # Queued again by the sweep, the task run by the worker fails the same way.
    SubmissionKey.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=2))
    assert submissions_sweep() == {"waiting": 1, "queued": 1}
    [failure] = run_queued()
    assert isinstance(failure, SubmissionNotRegistered) and "ValueError" in str(failure)
    assert SubmissionKey.objects.get().attempts == 2
    SubmissionKey.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=2))
    assert submissions_sweep() == {"waiting": 0, "queued": 0}  # past its last attempt
    backlog = submission_backlog()
    assert backlog.pending == 1 and backlog.failed == 1
    check = check_submissions()
    assert check.status == WARN and check.detail["failed"] == 1
    assert Complaint.objects.count() == 0
    # Never dropped: it is there for staff, with its error; once the cause is fixed the
    # operator queues it again.
    assert SubmissionKey.objects.filter(complaint__isnull=True).exists()
    from django.core.management import call_command

    SubmissionKey.objects.filter(pk=accepted.key.pk).update(payload=accepted.key.payload)
    call_command("retry_submissions", stdout=io.StringIO())
    assert SubmissionKey.objects.get().attempts == 0
    [case_id] = run_queued()
    assert SubmissionKey.objects.get().complaint_id == case_id


@pytest.mark.django_db
def test_the_payload_is_not_readable_in_clear_in_the_database(portal_office, db_tasks):
    accept(portal_office, name="Zubaidah Qoriatul", phone="+6281298765432",
           email="zubaidah.q@example.org", address="Jl. Kenanga Raya 17", nik="1403021104907328")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM complaints_submissionkey")
        raw = repr(cursor.fetchall())
    for secret in ("Zubaidah", "6281298765432", "1298765432", "zubaidah.q", "Kenanga",
                   "1403021104907328", "Sudah dua minggu"):
        assert secret not in raw


@pytest.mark.django_db
def test_health_and_metrics_show_the_backlog(portal_office, db_tasks, settings):
    settings.ADUAN_SUBMISSION_STUCK_SECONDS = 600
    assert check_submissions().status == OK
    accept(portal_office)
    check = check_submissions()
    assert check.status == OK and check.detail["pending"] == 1
    SubmissionKey.objects.update(received_at=timezone.now() - dt.timedelta(minutes=11))
    check = check_submissions()
    assert check.status == WARN and check.detail["oldest_pending_seconds"] >= 660
    from aduan.ops import metrics

    text = metrics.render().decode()
    assert "aduan_submissions_pending 1.0" in text
    assert "aduan_submissions_oldest_pending_age_seconds" in text
    run_queued()
    assert check_submissions().status == OK


@pytest.mark.django_db
def test_the_receipt_goes_out_in_the_language_of_the_request(portal_office, form_data,
                                                             db_tasks):
    from aduan.notifications.tests.test_receipt_rendering import _receipt_today

    db_tasks.ADUAN_PUBLIC_URL = "http://testserver"
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.post(URL, form_data()).status_code == 302
    assert SubmissionKey.objects.get().language == "en"
    run_queued()  # in this process's language (Indonesian): the row's language wins
    complaint = Complaint.objects.select_related("office", "reporter").get()
    messages = OutboxMessage.objects.filter(complaint=complaint)
    assert messages.exists()
    with translation.override("en"):
        for message in messages:
            assert (message.subject, message.body) == _receipt_today(
                complaint, message.channel, "")


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_register_one_case(portal_office, db_tasks):
    # PostgreSQL: the second waits on the row's lock, then finds it linked; SQLite: the
    # second's IMMEDIATE transaction waits for the first's commit.
    accepted = accept(portal_office)
    results: list[object] = []

    def work() -> None:
        try:
            results.append(submission_register(accepted.key.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Complaint.objects.count() == 1
    assert sorted(results, key=lambda r: r is None) == [Complaint.objects.get(), None]


@pytest.mark.django_db(transaction=True)
def test_a_double_click_accepts_one_row(portal_office, form_data, db_tasks):
    data = form_data()
    answers = []

    def post() -> None:
        try:
            answers.append(Client().post(URL, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [302, 302]
    assert receipt_of(answers[0]) == receipt_of(answers[1])
    assert SubmissionKey.objects.count() == 1
    run_queued()
    assert Complaint.objects.count() == 1


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=printable, description=printable, subject=printable, company=printable,
       replays=st.integers(min_value=1, max_value=3))
def test_a_hostile_form_never_makes_two_cases_nor_loses_one(
        client, portal_office, form_data, db_tasks, name, description, subject, company,
        replays):
    cache.clear()  # the per-address submission limit counts across examples
    keys, cases = SubmissionKey.objects.count(), Complaint.objects.count()
    data = form_data(name=name, description=description, subject=subject,
                     company_name=company)
    answers = [client.post(URL, data) for _ in range(replays)]
    accepted = [a for a in answers if a.status_code == 302]
    assert len({receipt_of(a) for a in accepted}) <= 1
    run_queued()
    if accepted:
        # A 302 is a durable row, and the row becomes exactly one case.
        assert SubmissionKey.objects.count() == keys + 1
        row = SubmissionKey.objects.latest("pk")
        assert row.complaint_id is not None, row.error
        assert Complaint.objects.count() == cases + 1
    else:
        assert (SubmissionKey.objects.count(), Complaint.objects.count()) == (keys, cases)


@pytest.mark.django_db
def test_staff_see_a_failed_row_and_its_error_in_the_admin_never_its_payload(
        portal_office, db_tasks, users):
    from aduan.accounts.testing import login_verified

    accepted = accept(portal_office, name="Zubaidah Qoriatul")
    SubmissionKey.objects.filter(pk=accepted.key.pk).update(
        attempts=5, error="ValueError: bad data")
    admin = login_verified(Client(), users["admin"])
    page = admin.get(reverse("admin:complaints_submissionkey_changelist")
                     + "?complaint__isempty=1").content.decode()
    assert "ValueError: bad data" in page
    detail = admin.get(reverse("admin:complaints_submissionkey_change",
                               args=[accepted.key.pk])).content.decode()
    assert "ValueError: bad data" in detail
    assert accepted.key.payload[:40] not in detail and "Zubaidah" not in detail


@pytest.mark.django_db
@pytest.mark.parametrize("description", ["\u202e\u2066\x07", "\x85\x1b\u200f"])
def test_what_the_registration_would_refuse_is_refused_at_once(client, portal_office,
                                                              form_data, db_tasks,
                                                              description):
    # Found by the Hypothesis test below: a text the form takes but the registration's
    # cleaning empties would have been accepted, then failed in the worker.
    response = client.post(URL, form_data(description=description))
    assert response.status_code == 422
    assert "Isi pengaduan wajib diisi" in response.content.decode()
    assert not SubmissionKey.objects.exists()


@pytest.mark.django_db
def test_a_named_reporters_bad_nik_is_refused_at_once_whatever_the_anonymous_box_says(
        client, portal_office, form_data, db_tasks):
    # The form reads the raw box ("false" is text, so it skips its NIK check) while the
    # registration reads the cleaned one (False: a named reporter, NIK checked): the request's
    # `reporter_check` refuses what the worker's `reporter_build` would (issue 17 kept it
    # when the request stopped building the Reporter).
    response = client.post(URL, form_data(nik="1234", is_anonymous="false"))
    assert response.status_code == 422
    assert "16 digit" in response.content.decode()
    assert not SubmissionKey.objects.exists()


def test_the_accept_checks_the_reporter_without_building_one(monkeypatch):
    from aduan.complaints import services
    from aduan.complaints.models import Reporter

    built = []
    monkeypatch.setattr(Reporter, "__init__", lambda self, *a, **k: built.append(k))
    assert services.reporter_check(ReporterInput(phone="0851-5679-1234",
                                                 nik="1403021104907328")) == (
        "+6285156791234", "1403021104907328")
    assert built == []
    with pytest.raises(services.ValidationFailed) as refused:
        services.reporter_check(ReporterInput(phone="12", nik="1234"))
    assert set(refused.value.extra["errors"]) == {"phone", "nik"}


@pytest.mark.django_db
def test_an_accepted_post_checks_its_form_token_once_and_resolves_no_url(
        client, portal_office, form_data, db_tasks, monkeypatch):
    """The form token's signature is checked once per POST (its age and its nonce), and the
    receipt's address is the memoised path (issue 17: both were repeated per submission)."""
    from django.core import signing

    from aduan.portal import views

    client.post(URL, form_data())  # the receipt path memoised
    real_loads, real_reverse, unsigned, reversed_ = signing.loads, views.reverse, [], []
    monkeypatch.setattr(signing, "loads", lambda *a, **k: unsigned.append(k.get("salt"))
                        or real_loads(*a, **k))
    monkeypatch.setattr(views, "reverse", lambda *a, **k: reversed_.append(a) or
                        real_reverse(*a, **k))
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:submitted") + "?r=")
    assert unsigned.count("aduan.portal.form-age") == 1
    assert reversed_ == []
    assert SubmissionKey.objects.count() == 2

"""The job registry (core/jobs.py): services queue jobs by name, tasks modules provide them."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from aduan.core import jobs
from aduan.notifications import tasks as notification_tasks
from aduan.notifications.services import DELIVER_JOB
from aduan.reports import tasks as report_tasks
from aduan.reports.services import GENERATE_JOB


@task()
def first_echo(value: int) -> int:
    return value


@task()
def second_echo(value: int) -> int:
    return value


@pytest.fixture
def clean_name():
    name = "tests.echo"
    yield name
    jobs._tasks.pop(name, None)


def test_the_apps_provide_the_jobs_their_services_queue():
    # Provided when the apps were loaded (AppConfig.ready imports the tasks modules).
    assert jobs.job(DELIVER_JOB) is notification_tasks.deliver_outbox_message
    assert jobs.job(GENERATE_JOB) is report_tasks.generate_report


def test_an_unknown_job_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match=r"no task provides the job 'nobody\.knows'"):
        jobs.job("nobody.knows")


def test_a_provided_task_is_returned_unchanged_and_runs(clean_name):
    assert jobs.provides(clean_name)(first_echo) is first_echo
    assert jobs.job(clean_name).call(7) == 7
    result = jobs.job(clean_name).enqueue(8)  # the test settings' immediate backend
    assert result.return_value == 8


def test_two_tasks_cannot_provide_one_job(clean_name):
    jobs.provides(clean_name)(first_echo)
    jobs.provides(clean_name)(first_echo)  # the same task again (a reload) is fine
    with pytest.raises(ImproperlyConfigured, match="provided twice"):
        jobs.provides(clean_name)(second_echo)
    assert jobs.job(clean_name) is first_echo


@pytest.mark.parametrize(("backend", "in_database"), [
    ("django_tasks.backends.immediate.ImmediateBackend", False),
    ("django_tasks.backends.dummy.DummyBackend", False),
    ("django_tasks_db.DatabaseBackend", True),
    ("aduan.core.taskbackend.DatabaseBackend", True),
])
def test_a_job_queues_in_the_callers_transaction_only_with_a_database_backend(
        settings, backend, in_database):
    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default"]}}
    task, found, queues_here = jobs.job_backend(DELIVER_JOB)
    assert task is notification_tasks.deliver_outbox_message
    assert found is task.get_backend()
    assert queues_here is in_database
    assert jobs.queues_in_transaction(DELIVER_JOB) is in_database

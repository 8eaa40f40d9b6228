"""``pressclub worker`` queues the periodic jobs when it starts (and then every tick) and runs them."""

import logging

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from pressclub.core.management.commands import worker
from pressclub.schedule.models import ScheduledRun
from pressclub.testing.database import keep_test_connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings, monkeypatch):
    keep_test_connection(monkeypatch)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.PRESSCLUB_SCHEDULE_TICK_SECONDS = 3600  # only the run at start, in this test


def test_worker_queues_and_runs_the_schedule(database_tasks):
    call_command("worker", max_tasks=4, interval=0.05, verbosity=0)

    assert sorted(ScheduledRun.objects.values_list("job", flat=True)) == [
        "daily-digests", "prune", "publish-scheduled", "weekly-digests"
    ]
    results = {r.args_kwargs["args"][0]: (r.status, r.return_value)
               for r in DBTaskResult.objects.filter(task_path="pressclub.schedule.tasks.run_scheduled_job")}
    assert results["publish-scheduled"] == ("SUCCESSFUL", "")
    assert results["daily-digests"][0] == "SUCCESSFUL"
    assert results["daily-digests"][1].endswith(": 0 sent, 0 with nothing new, 0 sent already.\n")
    assert results["prune"][0] == "SUCCESSFUL"
    assert "Sent e-mail older than 30 days: 0 deleted." in results["prune"][1]
    assert len(results) == 4


def test_batch_worker_leaves_the_schedule_alone(database_tasks):
    call_command("worker", batch=True, verbosity=0)
    assert ScheduledRun.objects.count() == 0


def test_a_failing_schedule_is_logged_not_raised(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr("pressclub.schedule.services.schedule_queue_due", broken)
    with caplog.at_level(logging.ERROR):
        worker.schedule_run()
    assert [r.getMessage() for r in caplog.records] == ["Queueing the periodic jobs failed"]

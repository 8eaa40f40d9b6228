"""The schedule of periodic jobs: due slots, one run per (job, slot) whatever the workers, the system check."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from pressclub.schedule.checks import check_schedule
from pressclub.schedule.models import ScheduledRun
from pressclub.schedule.services import schedule_queue_due, slot_due

UTC = dt.UTC
KATHMANDU = ZoneInfo("Asia/Kathmandu")


def test_slot_due_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Kathmandu"
    now = dt.datetime(2026, 12, 6, 3, 30, tzinfo=UTC)  # 09:15 in Kathmandu (UTC+05:45)
    assert slot_due("0 7 * * *", now=now) == dt.datetime(2026, 12, 6, 7, 0, tzinfo=KATHMANDU)
    assert slot_due("0 7 * * 1", now=now) == dt.datetime(2026, 11, 30, 7, 0, tzinfo=KATHMANDU)
    assert slot_due("* * * * *", now=now) == dt.datetime(2026, 12, 6, 9, 15, tzinfo=KATHMANDU)
    # Exactly at the slot, the slot itself is due.
    assert slot_due("0 7 * * *", now=dt.datetime(2026, 12, 6, 1, 15, tzinfo=UTC)) == dt.datetime(
        2026, 12, 6, 7, 0, tzinfo=KATHMANDU
    )


@pytest.fixture
def ran(settings, monkeypatch):
    """Record the commands the schedule runs instead of running them; schedule two jobs."""
    settings.PRESSCLUB_SCHEDULE = {
        "every-minute": {"cron": "* * * * *", "command": ["publish_scheduled"]},
        "daily": {"cron": "0 7 * * *", "command": ["send_digests", "--frequency", "daily"]},
    }
    calls = []
    monkeypatch.setattr("pressclub.schedule.tasks.call_command", lambda *args, **kw: calls.append(args))
    return calls


def test_each_slot_runs_once_whatever_the_workers(db, ran):
    now = dt.datetime(2026, 12, 6, 7, 0, 20, tzinfo=UTC)
    made = schedule_queue_due(now=now)
    # Another worker, and the same worker's next tick, look at the same slots: nothing more.
    assert schedule_queue_due(now=now + dt.timedelta(seconds=10)) == []
    assert schedule_queue_due(now=now + dt.timedelta(seconds=39)) == []
    assert [(run.job, run.slot) for run in made] == [
        ("every-minute", dt.datetime(2026, 12, 6, 7, 0, tzinfo=UTC)),
        ("daily", dt.datetime(2026, 12, 6, 7, 0, tzinfo=UTC)),
    ]
    assert ran == [("publish_scheduled",), ("send_digests", "--frequency", "daily")]
    # The next minute: only the every-minute job.
    later = schedule_queue_due(now=now + dt.timedelta(seconds=45))
    assert [(run.job, run.slot.minute) for run in later] == [("every-minute", 1)]
    assert ScheduledRun.objects.count() == 3
    assert all(run.task_id for run in ScheduledRun.objects.all())


def test_a_worker_back_after_missed_slots_runs_the_latest_once(db, ran):
    ScheduledRun.objects.create(job="every-minute", slot=dt.datetime(2026, 12, 6, 6, 0, tzinfo=UTC))
    ScheduledRun.objects.create(job="daily", slot=dt.datetime(2026, 12, 6, 7, 0, tzinfo=UTC))
    made = schedule_queue_due(now=dt.datetime(2026, 12, 6, 8, 30, 5, tzinfo=UTC))
    assert [(run.job, run.slot.hour, run.slot.minute) for run in made] == [("every-minute", 8, 30)]
    assert ran == [("publish_scheduled",)]


def test_old_runs_are_deleted(db, ran, settings):
    ScheduledRun.objects.create(job="daily", slot=dt.datetime(2026, 11, 20, 7, 0, tzinfo=UTC))
    schedule_queue_due(now=dt.datetime(2026, 12, 6, 7, 0, tzinfo=UTC))
    assert sorted(ScheduledRun.objects.values_list("job", flat=True)) == ["daily", "every-minute"]
    assert not ScheduledRun.objects.filter(slot__lt=dt.datetime(2026, 12, 1, tzinfo=UTC)).exists()


def test_the_default_schedule_passes_its_check():
    assert check_schedule() == []


def test_check_names_a_bad_cron_and_a_missing_command(settings):
    settings.PRESSCLUB_SCHEDULE = {"typo": {"cron": "61 * * * *", "command": ["publish_schedule"]}}
    assert [(e.id, e.msg) for e in check_schedule()] == [
        ("schedule.E001", "The periodic job 'typo' has no valid cron expression: '61 * * * *'."),
        ("schedule.E002", "The periodic job 'typo' runs 'publish_schedule', which is not a management command."),
    ]


def test_the_task_runs_the_command_and_returns_its_output(db, monkeypatch, caplog):
    from pressclub.schedule import tasks

    called = []

    def command(*args, stdout, stderr):
        called.append(args)
        stdout.write("Published 1 page.\n")

    monkeypatch.setattr(tasks, "call_command", command)
    result = tasks.run_scheduled_job.enqueue("publish-scheduled", "2026-12-06T07:00:00+00:00")
    assert (called, result.return_value) == ([("publish_scheduled",)], "Published 1 page.\n")
    # A job no longer in the schedule runs nothing and says so.
    assert tasks.run_scheduled_job.enqueue("gone", "2026-12-06T07:00:00+00:00").return_value == ""
    assert called == [("publish_scheduled",)]
    assert "The periodic job gone (slot 2026-12-06T07:00:00+00:00) is no longer in PRESSCLUB_SCHEDULE." in caplog.text


def test_send_digests_runs_from_the_schedule(db, home_page):
    from pressclub.schedule.tasks import run_scheduled_job

    result = run_scheduled_job.enqueue("weekly-digests", "2026-12-07T07:00:00+05:45")
    assert result.return_value.endswith(": 0 sent, 0 with nothing new, 0 sent already.\n")
    call_command("check")

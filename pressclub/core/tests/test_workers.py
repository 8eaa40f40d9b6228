"""Tasks lost with their worker (``core.workers``): run again when safe, failed otherwise, never touched
while their worker lives."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from pressclub.core import workers
from pressclub.core.workers import LostTask, tasks_recover_lost, worker_gone, worker_id
from pressclub.mail.tasks import send_outgoing_mail
from pressclub.news.tasks import make_article_renditions
from pressclub.testing.database import keep_test_connection

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(scope="module")
def dead_pid():
    """The pid of a process of this machine that has exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def database_tasks(db, settings, monkeypatch):
    keep_test_connection(monkeypatch)
    settings.TASKS = DATABASE_TASKS


def _running(task, *args, worker_ids, started_hours_ago=0.0):
    """Queue ``task`` on the database backend and mark it claimed by ``worker_ids``; return its row."""
    result = task.enqueue(*args)
    started = timezone.now() - timedelta(hours=started_hours_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=worker_ids, started_at=started)
    return DBTaskResult.objects.get(pk=result.id)


def test_worker_id_names_this_host_and_process():
    host, pid, token = worker_id().split(":")
    assert (pid, len(token), len(worker_id()) <= 64) == (str(os.getpid()), 12, True)
    hostname, digest = host.split("~")
    assert (hostname, len(digest)) == (socket.gethostname()[:30], 8)
    assert worker_id() == worker_id()  # fixed for the life of the process


def test_worker_gone_by_pid_on_this_host_and_unknown_elsewhere(dead_pid):
    own = worker_id()
    host, pid, _ = own.split(":")
    assert worker_gone(own) is False
    assert worker_gone(f"{host}:{pid}:anothertoken") is True  # an earlier process with this pid
    assert worker_gone(f"{host}:{dead_pid}:abcdefabcdef") is True
    assert worker_gone(f"{host}:1:abcdefabcdef") is False  # init runs
    assert worker_gone(f"other-host:{dead_pid}:abcdefabcdef") is None
    # Same host name, but another boot or another container's pids: not ours to check.
    hostname = host.split("~")[0]
    assert worker_gone(f"{hostname}~00000000:{dead_pid}:abcdefabcdef") is None
    assert worker_gone("Xk3f9s0dLq2mV8nB7cZ1aQ4wE6rT5yU0") is None  # db_worker's own random id


def test_lost_tasks_are_run_again_or_failed_and_live_ones_are_left(database_tasks, settings, dead_pid):
    settings.PRESSCLUB_TASKS_RERUN_WHEN_LOST = ["pressclub.mail.tasks.send_outgoing_mail"]
    host = workers._host()
    dead = f"{host}:{dead_pid}:abcdefabcdef"
    mail = _running(send_outgoing_mail, 1, worker_ids=[dead])
    mail_third_time = _running(send_outgoing_mail, 4, worker_ids=[dead, dead, dead])
    renditions = _running(make_article_renditions, 7, worker_ids=[dead])
    live = _running(send_outgoing_mail, 2, worker_ids=[worker_id()], started_hours_ago=30)
    elsewhere_recent = _running(send_outgoing_mail, 3, worker_ids=["web-2:4242:abcdefabcdef"], started_hours_ago=5)
    elsewhere_old = _running(make_article_renditions, 8, worker_ids=["web-2:4242:abcdefabcdef"],
                             started_hours_ago=7)  # fmt: skip
    finished = []
    task_finished.connect(lambda sender, task_result, **kw: finished.append(str(task_result.id)), weak=False,
                          dispatch_uid="test_workers_finished")  # fmt: skip
    try:
        handled = tasks_recover_lost()
    finally:
        task_finished.disconnect(dispatch_uid="test_workers_finished")

    assert sorted(handled, key=lambda lost: lost.id) == sorted([
        LostTask(str(mail.pk), "pressclub.mail.tasks.send_outgoing_mail", dead, "requeued"),
        LostTask(str(mail_third_time.pk), "pressclub.mail.tasks.send_outgoing_mail", dead, "failed"),
        LostTask(str(renditions.pk), "pressclub.news.tasks.make_article_renditions", dead, "failed"),
        LostTask(str(elsewhere_old.pk), "pressclub.news.tasks.make_article_renditions", "web-2:4242:abcdefabcdef",
                 "failed"),
    ], key=lambda lost: lost.id)  # fmt: skip
    rows = {row.pk: row for row in DBTaskResult.objects.all()}
    assert rows[mail.pk].status == "READY"
    assert rows[mail.pk].worker_ids == [dead]  # the history stays: it counts the attempts
    for row in (rows[live.pk], rows[elsewhere_recent.pk]):
        assert (row.status, row.finished_at) == ("RUNNING", None)
    assert rows[mail_third_time.pk].status == "FAILED"  # taken three times: it stops
    failed = rows[renditions.pk]
    assert (failed.status, failed.exception_class_path) == ("FAILED", "pressclub.core.workers.WorkerLost")
    assert failed.traceback == (
        f"pressclub.core.workers.WorkerLost: The task was lost: the worker {dead} stopped before it finished.\n"
    )
    assert rows[elsewhere_old.pk].traceback == (
        "pressclub.core.workers.WorkerLost: The task was lost: it has been running on web-2:4242:abcdefabcdef "
        "for more than 6:00:00.\n"
    )
    # Those marked failed are announced as the library announces a task that raised.
    assert sorted(finished) == sorted([str(mail_third_time.pk), str(renditions.pk), str(elsewhere_old.pk)])
    assert tasks_recover_lost() == []  # nothing twice


def test_worker_start_runs_a_lost_task_again(database_tasks, dead_pid):
    lost = _running(send_outgoing_mail, 12345, worker_ids=[f"{workers._host()}:{dead_pid}:abcdefabcdef"])

    call_command("worker", batch=True, verbosity=0)

    lost.refresh_from_db()
    assert (lost.status, lost.return_value) == ("SUCCESSFUL", "skipped")  # no such message: nothing to send
    assert lost.worker_ids == [f"{workers._host()}:{dead_pid}:abcdefabcdef", worker_id()]


def test_recovery_does_nothing_when_tasks_run_immediately(db, dead_pid):
    assert tasks_recover_lost() == []

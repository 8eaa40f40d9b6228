"""``pressclub worker`` over django-tasks-db's database backend: tasks queued in the database run there."""

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from pressclub.mail.models import MailStatus, OutgoingMail
from pressclub.mail.tasks import send_outgoing_mail
from pressclub.testing.database import keep_test_connection

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings, monkeypatch):
    keep_test_connection(monkeypatch)
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = "pressclub.mail.backends.OutboxBackend"


def test_mail_waits_in_the_database_until_the_worker_sends_it(database_tasks, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.core.mail import send_mail

    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Your sign-in code", "123456", "desk@example.org", ["reader@example.org"])

    row = OutgoingMail.objects.get()
    task = DBTaskResult.objects.get()
    assert (row.status, task.status, task.task_path, task.args_kwargs) == (
        MailStatus.QUEUED, "READY", "pressclub.mail.tasks.send_outgoing_mail", {"args": [row.pk], "kwargs": {}},
    )
    assert mail.outbox == []  # nothing was sent in the request

    call_command("worker", batch=True, verbosity=0)

    task.refresh_from_db()
    row.refresh_from_db()
    assert (task.status, task.return_value, row.status) == ("SUCCESSFUL", "sent", MailStatus.SENT)
    assert [m.subject for m in mail.outbox] == ["Your sign-in code"]


def test_worker_runs_the_periodic_jobs_first(database_tasks, settings):
    from django.utils import timezone

    row = OutgoingMail.objects.create(
        key="k", from_email="desk@example.org", to=["reader@example.org"], subject="Retry me",
        status=MailStatus.RETRYING, next_attempt_at=timezone.now(),
    )  # fmt: skip

    call_command("worker", batch=True, verbosity=0)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.SENT, 1)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_worker_refuses_a_backend_without_a_queue():
    # The test settings run tasks immediately (ImmediateBackend).
    with pytest.raises(CommandError, match="ImmediateBackend has no worker: its tasks run where they are queued"):
        call_command("worker", batch=True)


def test_enqueue_on_the_database_backend_returns_a_stored_result(database_tasks):
    result = send_outgoing_mail.enqueue(12345)
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    call_command("worker", batch=True, verbosity=0)
    assert send_outgoing_mail.get_result(result.id).return_value == "skipped"  # no such message

"""``pressclub prune``: old sent and failed e-mail and old finished task results go; nothing in use does."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressclub.core.workers import task_results_prune
from pressclub.mail.delivery import mail_prune
from pressclub.mail.models import MailStatus, OutgoingMail
from pressclub.mail.tasks import send_outgoing_mail

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _mail(key, status, *, days_ago, sent_days_ago=None):
    now = timezone.now()
    return OutgoingMail.objects.create(
        key=key, from_email="desk@example.org", to=["reader@example.org"], subject=key, status=status,
        created_at=now - timedelta(days=days_ago),
        sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago),
    )  # fmt: skip


@pytest.fixture
def outbox():
    """Ten messages, of which three are old enough to go (sent-old-1, sent-old-2, failed-old)."""
    _mail("sent-old-1", MailStatus.SENT, days_ago=45, sent_days_ago=31)
    _mail("sent-old-2", MailStatus.SENT, days_ago=200, sent_days_ago=200)
    _mail("sent-recent", MailStatus.SENT, days_ago=40, sent_days_ago=29)  # retried for days, sent lately
    _mail("sent-today", MailStatus.SENT, days_ago=0, sent_days_ago=0)
    _mail("failed-old", MailStatus.FAILED, days_ago=91)
    _mail("failed-recent", MailStatus.FAILED, days_ago=89)
    _mail("queued-old", MailStatus.QUEUED, days_ago=365)
    _mail("retrying-old", MailStatus.RETRYING, days_ago=365)
    _mail("sending-old", MailStatus.SENDING, days_ago=365)
    _mail("queued", MailStatus.QUEUED, days_ago=0)


@pytest.fixture
def task_results(settings):
    """Seven task results, of which three finished more than 14 days ago."""
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    rows = []
    for status, finished_days_ago in [
        ("SUCCESSFUL", 15), ("FAILED", 30), ("SUCCESSFUL", 400),  # old enough
        ("SUCCESSFUL", 13), ("FAILED", 1),  # kept
        ("READY", None), ("RUNNING", None),  # never
    ]:  # fmt: skip
        result = send_outgoing_mail.enqueue(1)
        finished = None if finished_days_ago is None else now - timedelta(days=finished_days_ago)
        DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
        rows.append(result.id)
    return rows


def test_mail_prune_deletes_old_sent_and_failed_mail_only(outbox):
    assert mail_prune(dry_run=True) == {"sent e-mail older than 30 days": 2, "failed e-mail older than 90 days": 1}
    assert OutgoingMail.objects.count() == 10

    assert mail_prune() == {"sent e-mail older than 30 days": 2, "failed e-mail older than 90 days": 1}

    assert sorted(OutgoingMail.objects.values_list("key", flat=True)) == [
        "failed-recent", "queued", "queued-old", "retrying-old", "sending-old", "sent-recent", "sent-today",
    ]  # fmt: skip
    assert mail_prune() == {"sent e-mail older than 30 days": 0, "failed e-mail older than 90 days": 0}


def test_mail_prune_follows_the_settings(outbox, settings):
    settings.PRESSCLUB_MAIL_KEEP_SENT_DAYS = 0
    settings.PRESSCLUB_MAIL_KEEP_FAILED_DAYS = 1000

    assert mail_prune() == {"sent e-mail older than 0 days": 4, "failed e-mail older than 1000 days": 0}


def test_task_results_prune_deletes_results_finished_long_ago(task_results):
    assert task_results_prune(dry_run=True) == {"finished task results older than 14 days": 3}
    assert DBTaskResult.objects.count() == 7

    assert task_results_prune() == {"finished task results older than 14 days": 3}

    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "READY", "RUNNING", "SUCCESSFUL"]
    assert sorted(str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)) == sorted(
        str(pk) for pk in task_results[3:]
    )


def test_task_results_prune_is_a_no_op_when_tasks_run_immediately():
    assert task_results_prune() == {}


def test_prune_command_reports_each_kind(outbox, task_results):
    out = StringIO()
    call_command("prune", "--dry-run", stdout=out)
    assert out.getvalue() == (
        "Sent e-mail older than 30 days: 2 to delete.\n"
        "Failed e-mail older than 90 days: 1 to delete.\n"
        "Finished task results older than 14 days: 3 to delete.\n"
    )
    assert (OutgoingMail.objects.count(), DBTaskResult.objects.count()) == (10, 7)

    out = StringIO()
    call_command("prune", stdout=out)
    assert out.getvalue() == (
        "Sent e-mail older than 30 days: 2 deleted.\n"
        "Failed e-mail older than 90 days: 1 deleted.\n"
        "Finished task results older than 14 days: 3 deleted.\n"
    )
    assert (OutgoingMail.objects.count(), DBTaskResult.objects.count()) == (7, 4)

"""What a reader sees while the SMTP server is slow or down: the normal success page, at once; the
e-mail leaves later from the worker (tasks in the database, as in production)."""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pressclub.mail.models import MailStatus, OutgoingMail
from pressclub.testing.database import keep_test_connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings, monkeypatch):
    keep_test_connection(monkeypatch)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _signup(client, capture):
    with capture(execute=True):
        started = time.monotonic()
        response = client.post(
            reverse("account_signup"),
            {"email": "ana.ruiz@example.org", "display_name": "Ana Ruiz", "password1": "correct horse 42", "password2": "correct horse 42"},
        )
        return response, time.monotonic() - started


@pytest.mark.slow
def test_sign_up_with_a_3_second_smtp_server_answers_at_once(
    client, home_page, database_tasks, outbox_to_smtp, django_capture_on_commit_callbacks
):
    server = outbox_to_smtp(delay=3)

    response, elapsed = _signup(client, django_capture_on_commit_callbacks)

    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    assert elapsed < 1.5
    assert OutgoingMail.objects.get().status == MailStatus.QUEUED
    started = time.monotonic()
    call_command("worker", batch=True, verbosity=0)
    assert time.monotonic() - started >= 3
    assert [m["Subject"] for m in server.messages] == ["Confirm your e-mail address for Valley Press Club News"]


def test_sign_up_while_smtp_is_down_keeps_the_mail_until_it_is_back(
    client, home_page, database_tasks, outbox_to_smtp, django_capture_on_commit_callbacks
):
    response, _ = _signup(client, django_capture_on_commit_callbacks)
    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))

    call_command("worker", batch=True, verbosity=0)  # SMTP down: kept for later
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts, row.to) == (MailStatus.RETRYING, 1, ["ana.ruiz@example.org"])

    server = outbox_to_smtp()  # SMTP is back; the retry's time comes
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    call_command("worker", batch=True, verbosity=0)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.SENT, 2)
    assert [m["To"] for m in server.messages] == ["ana.ruiz@example.org"]
    assert "/accounts/confirm-email/" in server.messages[0].get_payload()



def test_a_single_message_is_queued_before_other_work_and_a_batch_is_not(
    database_tasks, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage
    from django_tasks_db.models import DBTaskResult

    from pressclub.mail.delivery import mail_enqueue, mail_enqueue_many

    def message(to):
        return EmailMessage(subject="Hello", body="Text.", from_email="desk@example.org", to=[to])

    with django_capture_on_commit_callbacks(execute=True):
        mail_enqueue_many(messages=[message("two@example.org"), message("three@example.org")])
        mail_enqueue(message=message("one@example.org"))
    queued = sorted(DBTaskResult.objects.values_list("task_path", "priority"))
    assert queued == [
        ("pressclub.mail.tasks.send_outgoing_mail", 10),
        ("pressclub.mail.tasks.send_outgoing_mail_batch", 0),
    ]
    # The worker takes the single message first, though it was queued last.
    assert DBTaskResult.objects.ready().first().task_path == "pressclub.mail.tasks.send_outgoing_mail"

"""The outbox against a real SMTP server (aiosmtpd): accepted, refused, temporarily refused and down."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.utils import timezone

from pressclub.mail.delivery import (
    IDEMPOTENCY_HEADER,
    is_permanent,
    mail_deliver,
    mail_requeue_due,
    retry_delay,
)
from pressclub.mail.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


def _send(capture, *, key: str = "", to: str = "reader@example.org") -> int:
    headers = {IDEMPOTENCY_HEADER: key} if key else {}
    with capture(execute=True):
        return EmailMessage("Confirm your address", "Open the link.", "desk@example.org", [to], headers=headers).send()


def test_accepted_message_is_sent_once_and_recorded(outbox_to_smtp, django_capture_on_commit_callbacks):
    server = outbox_to_smtp()

    assert _send(django_capture_on_commit_callbacks) == 1

    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts, row.last_error, row.to) == (MailStatus.SENT, 1, "", ["reader@example.org"])
    assert row.sent_at is not None and row.lease_until is None
    assert len(server.messages) == 1
    received = server.messages[0]
    assert (received["Subject"], received["To"], received["Message-ID"]) == (
        "Confirm your address", "reader@example.org", row.headers["Message-ID"],
    )
    assert received[IDEMPOTENCY_HEADER] is None  # the key stays in the outbox
    assert mail_deliver(mail_id=row.pk) == "skipped"  # the task run again sends nothing
    assert len(server.messages) == 1


def test_same_idempotency_key_is_stored_and_sent_once(outbox_to_smtp, django_capture_on_commit_callbacks):
    server = outbox_to_smtp()

    _send(django_capture_on_commit_callbacks, key="comments:reply:7:reader@example.org")
    _send(django_capture_on_commit_callbacks, key="comments:reply:7:reader@example.org")

    assert OutgoingMail.objects.count() == 1
    assert len(server.messages) == 1


def test_refused_recipient_fails_for_good_and_shows_in_the_admin(
    outbox_to_smtp, django_capture_on_commit_callbacks, admin_client
):
    outbox_to_smtp(rcpt_reply="550 5.1.1 No such user here")

    _send(django_capture_on_commit_callbacks, to="nobody@example.org")

    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.FAILED, 1)
    assert row.last_error == (
        "SMTPRecipientsRefused: {'nobody@example.org': (550, b'5.1.1 No such user here')}"
    )
    assert mail_requeue_due() == 0  # never tried again
    response = admin_client.get("/admin/outgoing_mail/?status=failed")
    assert response.status_code == 200
    page = response.content.decode()
    assert "nobody@example.org" in page and "Failed" in page and "5.1.1 No such user here" in page
    assert admin_client.get(f"/admin/outgoing_mail/edit/{row.pk}/").status_code == 302  # nobody edits one
    assert admin_client.get(f"/admin/outgoing_mail/inspect/{row.pk}/").status_code == 200


def test_temporary_refusal_is_retried_after_the_back_off(outbox_to_smtp, django_capture_on_commit_callbacks):
    server = outbox_to_smtp(rcpt_reply="451 4.3.0 Mailbox busy, try later")

    before = timezone.now()
    _send(django_capture_on_commit_callbacks)

    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.RETRYING, 1)
    assert row.last_error.startswith("SMTPRecipientsRefused: {'reader@example.org': (451,")
    assert before + timedelta(seconds=60) <= row.next_attempt_at <= timezone.now() + timedelta(seconds=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_requeue_due() == 0  # not yet

    server.rcpt_reply = ""
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_requeue_due() == 1

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailStatus.SENT, 2, "")
    assert len(server.messages) == 1


def test_smtp_down_keeps_the_message_for_later(outbox_to_smtp, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)

    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.RETRYING, 1)
    assert row.last_error.startswith("ConnectionRefusedError: ")

    server = outbox_to_smtp()  # SMTP is back
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    mail_requeue_due()
    row.refresh_from_db()
    assert (row.status, row.attempts, len(server.messages)) == (MailStatus.SENT, 2, 1)


def test_temporary_failures_are_given_up_after_two_days(outbox_to_smtp, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)
    OutgoingMail.objects.update(
        created_at=timezone.now() - timedelta(hours=48, minutes=1), next_attempt_at=timezone.now()
    )

    assert mail_deliver(mail_id=OutgoingMail.objects.get().pk) == "failed"

    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.FAILED, 2)
    assert row.last_error.startswith("Gave up after 2 attempts. ConnectionRefusedError: ")


def test_message_of_a_worker_that_died_mid_send_is_sent_again_once(outbox_to_smtp):
    server = outbox_to_smtp()
    # As a worker leaves it when killed after taking the message, before the server accepted it.
    row = OutgoingMail.objects.create(
        key="k1", from_email="desk@example.org", to=["reader@example.org"], subject="Code", body="123456",
        status=MailStatus.SENDING, attempts=1, lease_until=timezone.now() + timedelta(seconds=60),
    )  # fmt: skip
    assert mail_deliver(mail_id=row.pk) == "skipped"  # its lease still runs: another worker holds it
    assert mail_requeue_due() == 0

    OutgoingMail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert mail_requeue_due() == 1  # ImmediateBackend: delivered right here

    row.refresh_from_db()
    assert (row.status, row.attempts, len(server.messages)) == (MailStatus.SENT, 2, 1)
    assert mail_deliver(mail_id=row.pk) == "skipped"
    assert len(server.messages) == 1


def test_retry_delays_double_up_to_an_hour_and_cover_more_than_a_day():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 6, 7, 30)] == [60, 120, 240, 1920, 3600, 3600]
    waited, attempts = timedelta(0), 0
    while waited < timedelta(hours=48):
        attempts += 1
        waited += retry_delay(attempts)
    assert attempts == 53  # about fifty tries before a message is given up


@pytest.mark.parametrize(
    ("exc", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"mailbox full")}), False),
        (smtplib.SMTPSenderRefused(553, b"sender not allowed", "desk@example.org"), True),
        (smtplib.SMTPDataError(554, b"spam"), True),
        (smtplib.SMTPDataError(421, b"closing"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad password"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
        (ValueError("Invalid address"), True),
    ],
)
def test_permanent_failures_are_5xx_replies_and_unusable_messages(exc, permanent):
    assert is_permanent(exc) is permanent


def test_test_settings_send_straight_to_locmem():
    """The rest of the suite reads django.core.mail.outbox: Django's test runner uses locmem."""
    send_mail("Hello", "Text", "desk@example.org", ["reader@example.org"])
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.count() == 0

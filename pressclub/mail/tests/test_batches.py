"""Messages stored together leave in batches, over one connection each, and never twice."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from pressclub.mail.delivery import (
    IDEMPOTENCY_HEADER,
    mail_deliver_batch,
    mail_enqueue_many,
    mail_requeue_due,
)
from pressclub.mail.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


class FailingTransport(EmailBackend):
    """Django's locmem backend that counts the connections opened, loses the connection when it has
    taken ``lose_after`` messages (once), and refuses the recipients listed in ``refused``."""

    opened = 0
    taken = 0
    lose_after: int | None = None
    refused: set[str] = set()
    on_send = None  # called with each message before it is taken

    def open(self):
        type(self).opened += 1
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            if self.on_send is not None:
                self.on_send(message)
            if message.to[0] in self.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such user here")})
            if self.lose_after is not None and type(self).taken == self.lose_after:
                type(self).lose_after = None
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            type(self).taken += 1
        return super().send_messages(messages)


@pytest.fixture
def transport(settings):
    """Store e-mail in the outbox and deliver it through ``FailingTransport``, 10 messages to a batch."""
    settings.EMAIL_BACKEND = "pressclub.mail.backends.OutboxBackend"
    settings.PRESSCLUB_MAIL_TRANSPORT = f"{__name__}.FailingTransport"
    settings.PRESSCLUB_MAIL_BATCH = 10
    FailingTransport.opened, FailingTransport.taken, FailingTransport.lose_after = 0, 0, None
    FailingTransport.refused, FailingTransport.on_send = set(), None
    return FailingTransport


def _digests(count: int, *, start: int = 0) -> list[EmailMessage]:
    return [
        EmailMessage("Your digest", f"Digest number {i}.", "desk@example.org", [f"reader{i}@example.org"],
                     headers={IDEMPOTENCY_HEADER: f"follows:digest:{i}:2026-12-06"})
        for i in range(start, start + count)
    ]  # fmt: skip


def _received() -> list[str]:
    return [message.to[0] for message in mail.outbox]


def test_a_batch_goes_over_one_connection(transport, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert get_connection().send_messages(_digests(25)) == 25

    assert _received() == [f"reader{i}@example.org" for i in range(25)]
    assert transport.opened == 3  # batches of 10, 10 and 5
    assert list(OutgoingMail.objects.order_by().values_list("status", "attempts").distinct()) == [(MailStatus.SENT, 1)]


def test_connection_lost_mid_batch_resumes_without_a_second_copy(transport, django_capture_on_commit_callbacks):
    transport.lose_after = 4  # the fifth message of the batch loses the connection
    with django_capture_on_commit_callbacks(execute=True):
        get_connection().send_messages(_digests(10))

    assert _received() == [f"reader{i}@example.org" for i in range(4)]
    rows = list(OutgoingMail.objects.order_by("pk"))
    assert [(row.status, row.attempts) for row in rows] == (
        [(MailStatus.SENT, 1)] * 4 + [(MailStatus.RETRYING, 1)] + [(MailStatus.RETRYING, 0)] * 5
    )
    assert rows[4].last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert rows[5].last_error == (
        "Not tried: the connection failed on an earlier message. SMTPServerDisconnected: Connection unexpectedly closed"
    )
    assert transport.opened == 1
    ids = [row.pk for row in rows]
    assert mail_deliver_batch(mail_ids=ids) == {"skipped": 10}  # the task run again: the rest are not due yet

    # Their retry time comes: the six go in one batch, the four sent are not sent again.
    OutgoingMail.objects.filter(status=MailStatus.RETRYING).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_requeue_due() == 6
    assert _received() == [f"reader{i}@example.org" for i in range(10)]
    assert [(row.status, row.attempts, row.last_error) for row in OutgoingMail.objects.order_by("pk")] == (
        [(MailStatus.SENT, 1, "")] * 4 + [(MailStatus.SENT, 2, "")] + [(MailStatus.SENT, 1, "")] * 5
    )
    assert transport.opened == 2
    assert mail_deliver_batch(mail_ids=ids) == {"skipped": 10}

    # The same digests written again (a digest run repeated) add nothing to the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        assert get_connection().send_messages(_digests(10)) == 10
    assert OutgoingMail.objects.count() == 10
    assert len(mail.outbox) == 10


def test_refused_recipient_fails_alone_and_the_batch_goes_on(transport, django_capture_on_commit_callbacks):
    transport.refused = {"reader2@example.org"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        get_connection().send_messages(_digests(5))
    ids = list(OutgoingMail.objects.order_by("pk").values_list("pk", flat=True))

    assert mail_deliver_batch(mail_ids=ids) == {"sent": 4, "failed": 1}

    assert len(callbacks) == 1  # one task for the five
    assert _received() == ["reader0@example.org", "reader1@example.org", "reader3@example.org", "reader4@example.org"]
    failed = OutgoingMail.objects.get(status=MailStatus.FAILED)
    assert (failed.to, failed.attempts) == (["reader2@example.org"], 1)
    assert failed.last_error == "SMTPRecipientsRefused: {'reader2@example.org': (550, b'5.1.1 No such user here')}"
    assert transport.opened == 1


def test_enqueue_many_stores_each_key_once(transport, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = mail_enqueue_many(messages=_digests(2))
        again = mail_enqueue_many(messages=_digests(3) + _digests(1, start=2))

    assert len(first) == 2
    assert again == [OutgoingMail.objects.get(to=["reader2@example.org"]).pk]
    assert OutgoingMail.objects.count() == 3
    row = OutgoingMail.objects.get(pk=first[0])
    assert (row.key, row.subject, row.body, row.status) == (
        "follows:digest:0:2026-12-06", "Your digest", "Digest number 0.", MailStatus.QUEUED,
    )
    assert row.headers["Message-ID"].endswith("@example.org>")
    assert IDEMPOTENCY_HEADER not in row.headers


def test_a_batch_is_one_smtp_conversation(outbox_to_smtp, django_capture_on_commit_callbacks, settings):
    server = outbox_to_smtp()
    settings.PRESSCLUB_MAIL_BATCH = 100
    with django_capture_on_commit_callbacks(execute=True):
        get_connection().send_messages(_digests(5))

    assert [m["To"] for m in server.messages] == [f"reader{i}@example.org" for i in range(5)]
    assert len(set(server.peers)) == 1
    assert list(OutgoingMail.objects.order_by().values_list("status", flat=True).distinct()) == [MailStatus.SENT]


def test_a_batch_outlasting_its_lease_keeps_its_messages(transport, settings, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    settings.PRESSCLUB_MAIL_LEASE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=False):
        ids = mail_enqueue_many(messages=_digests(4))
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    requeued = []

    def slow(message):  # each message takes 40 s, and the worker's periodic job runs meanwhile
        clock[0] += timedelta(seconds=40)
        requeued.append(mail_requeue_due())

    transport.on_send = staticmethod(slow)

    assert mail_deliver_batch(mail_ids=ids) == {"sent": 4}

    assert requeued == [0, 0, 0, 0]  # the lease was extended before it ran out: nobody else took one
    assert _received() == [f"reader{i}@example.org" for i in range(4)]
    assert list(OutgoingMail.objects.order_by().values_list("status", "attempts").distinct()) == [(MailStatus.SENT, 1)]


def test_a_batch_is_taken_in_one_statement(transport, django_capture_on_commit_callbacks, django_assert_num_queries):
    with django_capture_on_commit_callbacks(execute=False):
        ids = mail_enqueue_many(messages=_digests(10))

    # The due rows read and leased (two queries, in a transaction), then one "sent" per message.
    with django_assert_num_queries(2 + 2 + 10):
        assert mail_deliver_batch(mail_ids=ids) == {"sent": 10}

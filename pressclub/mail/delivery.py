"""Put e-mail into the outbox and deliver it from the worker, at least once and (nearly) only once.

- ``mail_enqueue`` stores a message (in the caller's transaction) and queues its delivery task once
  that transaction commits. The request that sent it never waits for the SMTP server.
- ``mail_deliver`` (the task ``tasks.send_outgoing_mail``) takes the message with a lease, hands it to
  ``PRESSCLUB_MAIL_TRANSPORT`` and records "sent" the moment the server accepted it. A temporary
  failure (4xx reply, connection refused or reset, timeout, wrong SMTP password) is retried with
  back-off for ``PRESSCLUB_MAIL_GIVE_UP_HOURS``; a permanent one (5xx reply, such as a refused
  recipient) is recorded as failed at once.
- ``mail_requeue_due`` (run by ``pressclub worker`` every ``PRESSCLUB_WORKER_PERIODIC_SECONDS``) queues
  the messages whose retry time has come and those whose worker died holding them.
- ``mail_prune`` (``pressclub prune``) deletes sent and failed messages once they are old.

A task run twice finds the message sent, or held by a live lease, and does nothing: only a worker
killed between the server's "250 OK" and the next database write can send a message twice.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# A message that carries this header is stored under its value as the idempotency key (the header
# itself is not sent). Without it every message gets a key of its own.
IDEMPOTENCY_HEADER = "X-Pressclub-Idempotency-Key"


def mail_enqueue(*, message: EmailMessage) -> OutgoingMail:
    """Store ``message`` in the outbox and queue its delivery after the current transaction commits.

    Return the stored row; when a row with the message's idempotency key exists already, return that
    one and queue nothing. The message gets its Message-ID now, so a retry repeats it. Raise
    ValueError for a message with attachments (nothing in pressclub sends one).
    """
    if message.attachments:
        raise ValueError("The outbox does not store attachments.")
    headers = {name: str(value) for name, value in message.extra_headers.items()}
    key = headers.pop(IDEMPOTENCY_HEADER, "") or f"uuid:{uuid.uuid4()}"
    from_email = message.from_email or settings.DEFAULT_FROM_EMAIL
    if not any(name.lower() == "message-id" for name in headers):
        domain = parseaddr(from_email)[1].rpartition("@")[2] or "localhost"
        headers["Message-ID"] = make_msgid(domain=domain)
    alternatives = [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])]
    if message.content_subtype == "html" and not alternatives:
        alternatives = [[message.body, "text/html"]]
    mail, created = OutgoingMail.objects.get_or_create(
        key=key[:255],
        defaults={
            "from_email": from_email, "to": list(message.to), "cc": list(message.cc),
            "bcc": list(message.bcc), "reply_to": list(message.reply_to), "subject": str(message.subject),
            "body": str(message.body), "alternatives": alternatives, "headers": headers,
        },
    )  # fmt: skip
    if created:
        transaction.on_commit(lambda: _queue(mail.pk), robust=True)
    return mail


def _queue(mail_id: int) -> None:
    from .tasks import send_outgoing_mail

    send_outgoing_mail.enqueue(mail_id)


def mail_deliver(*, mail_id: int) -> str:
    """Hand the outbox message ``mail_id`` to the mail transport; return what happened.

    Return ``"sent"``, ``"retrying"`` (a temporary failure; tried again later), ``"failed"`` (a
    permanent failure, or temporary ones for longer than ``PRESSCLUB_MAIL_GIVE_UP_HOURS``) or
    ``"skipped"`` (sent already, held by another worker, not due yet, or gone). Never raises for an
    SMTP failure: it is recorded on the row instead.
    """
    now = timezone.now()
    takeable = Q(status__in=[MailStatus.QUEUED, MailStatus.RETRYING], next_attempt_at__lte=now) | Q(
        status=MailStatus.SENDING, lease_until__lt=now
    )
    lease = now + timedelta(seconds=settings.PRESSCLUB_MAIL_LEASE_SECONDS)
    taken = OutgoingMail.objects.filter(takeable, pk=mail_id).update(
        status=MailStatus.SENDING, lease_until=lease, attempts=F("attempts") + 1
    )
    if not taken:
        return "skipped"
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        get_connection(settings.PRESSCLUB_MAIL_TRANSPORT, fail_silently=False).send_messages([mail.message()])
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row and decided on
        return _failed(mail, exc)
    # Recorded the moment the server took it: a re-run of this task must not send it again.
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=MailStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return "sent"


def is_permanent(exc: BaseException) -> bool:
    """Return True when ``exc`` means the message will never go out as it is (RFC 5321 reply classes).

    5xx replies are permanent: the recipient refused (``SMTPRecipientsRefused``, when every
    recipient got a 5xx), the sender refused, the data refused. 4xx replies, lost connections and
    timeouts are temporary, and so is a refused SMTP login (the site's own setting, which the
    operator fixes; the mail should then still go).
    """
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return isinstance(exc, (ValueError, UnicodeError))  # an address or header that cannot be encoded


def retry_delay(attempts: int) -> timedelta:
    """Return the wait after the ``attempts``-th failed attempt: PRESSCLUB_MAIL_RETRY_SECONDS's first
    value, doubled per attempt, at most its second (60 s, 2 min, 4 min, … 1 h by default)."""
    first, most = settings.PRESSCLUB_MAIL_RETRY_SECONDS
    return timedelta(seconds=min(most, first * 2 ** max(0, min(attempts - 1, 30))))


def _failed(mail: OutgoingMail, exc: BaseException) -> str:
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    gave_up = now - mail.created_at >= timedelta(hours=settings.PRESSCLUB_MAIL_GIVE_UP_HOURS)
    if is_permanent(exc) or gave_up:
        if gave_up and not is_permanent(exc):
            error = f"Gave up after {mail.attempts} attempts. {error}"
        OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED, lease_until=None, last_error=error)
        logger.warning("E-mail %s to %s failed for good: %s", mail.pk, mail.recipients, error)
        return "failed"
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.RETRYING, lease_until=None, last_error=error, next_attempt_at=now + retry_delay(mail.attempts)
    )
    logger.info("E-mail %s to %s will be tried again: %s", mail.pk, mail.recipients, error)
    return "retrying"


def mail_requeue_due() -> int:
    """Queue a delivery task for each message whose turn has come; return how many were queued.

    Those are: messages waiting to retry whose time has come, messages whose worker's lease ran out
    (it died mid-send), and queued messages no worker took within a lease (their task was lost, e.g.
    with Redis restarted). Each goes back to "queued" with the time of this call.
    """
    now = timezone.now()
    lease = timedelta(seconds=settings.PRESSCLUB_MAIL_LEASE_SECONDS)
    due = OutgoingMail.objects.filter(
        Q(status=MailStatus.RETRYING, next_attempt_at__lte=now)
        | Q(status=MailStatus.SENDING, lease_until__lt=now)
        | Q(status=MailStatus.QUEUED, next_attempt_at__lte=now - lease)
    )
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:1000])
    for mail_id in ids:
        # Only a row still in the state it was found in: a worker may have taken it meanwhile.
        if due.filter(pk=mail_id).update(status=MailStatus.QUEUED, next_attempt_at=now, lease_until=None):
            _queue(mail_id)
    return len(ids)


def mail_prune(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete messages sent more than ``PRESSCLUB_MAIL_KEEP_SENT_DAYS`` days ago and failed ones queued
    more than ``PRESSCLUB_MAIL_KEEP_FAILED_DAYS`` days ago; return {what: how many} (the two counts).

    Messages still on their way (queued, sending, waiting to retry) are never deleted. With
    ``dry_run`` count and delete nothing. A deleted message's idempotency key goes with it: a task
    re-run after that long would send it again, which no task waits for.
    """
    now = now or timezone.now()
    sent_days, failed_days = settings.PRESSCLUB_MAIL_KEEP_SENT_DAYS, settings.PRESSCLUB_MAIL_KEEP_FAILED_DAYS
    batches = {
        f"sent e-mail older than {sent_days} days": OutgoingMail.objects.filter(
            status=MailStatus.SENT, sent_at__lt=now - timedelta(days=sent_days)
        ),
        f"failed e-mail older than {failed_days} days": OutgoingMail.objects.filter(
            status=MailStatus.FAILED, created_at__lt=now - timedelta(days=failed_days)
        ),
    }
    if dry_run:
        return {what: rows.count() for what, rows in batches.items()}
    return {what: rows.delete()[0] for what, rows in batches.items()}

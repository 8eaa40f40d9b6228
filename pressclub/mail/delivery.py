"""Put e-mail into the outbox and deliver it from the worker, at least once and (nearly) only once.

- ``mail_enqueue`` stores a message (in the caller's transaction) and queues its delivery task once
  that transaction commits. The request that sent it never waits for the SMTP server.
- ``mail_enqueue_many`` stores many (a digest run's batch, through ``OutboxBackend.send_messages``)
  in one transaction and queues one task per ``PRESSCLUB_MAIL_BATCH`` of them.
- ``mail_deliver`` (the task ``tasks.send_outgoing_mail``) and ``mail_deliver_batch``
  (``tasks.send_outgoing_mail_batch``: one SMTP connection for the batch) lease the batch's due
  messages in one transaction, hand them one by one to ``PRESSCLUB_MAIL_TRANSPORT`` and record each
  "sent" the moment the server accepted it. A temporary failure (4xx reply, connection refused or reset, timeout, wrong
  SMTP password) is retried with back-off for ``PRESSCLUB_MAIL_GIVE_UP_HOURS``; a permanent one (5xx
  reply, such as a refused recipient) is recorded as failed at once. A batch whose connection fails
  puts its untried messages back to wait for the next attempt.
- ``mail_requeue_due`` (run by ``pressclub worker`` every ``PRESSCLUB_WORKER_PERIODIC_SECONDS``) queues
  (in batches) the messages whose retry time has come and those whose worker died holding them.
- ``mail_prune`` (``pressclub prune``) deletes sent and failed messages once they are old.

A task run twice finds the message sent, or held by a live lease, and does nothing: only a worker
killed between the server's "250 OK" and the next database write can send a message twice. The
rest of a killed worker's batch waits for its lease to run out (``PRESSCLUB_MAIL_LEASE_SECONDS``),
then goes with an attempt counted that it never had.
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
    key, fields = _stored(message)
    mail, created = OutgoingMail.objects.get_or_create(key=key, defaults=fields)
    if created:
        transaction.on_commit(lambda: _queue([mail.pk]), robust=True)
    return mail


def mail_enqueue_many(*, messages: list[EmailMessage]) -> list[int]:
    """Store ``messages`` in the outbox in one transaction and queue their delivery once it commits,
    ``PRESSCLUB_MAIL_BATCH`` messages to a task (each task hands its batch over one SMTP connection).

    Return the ids of the rows stored now, in the order of ``messages``; a message whose idempotency
    key is in the outbox already (or twice in ``messages``) is stored and queued once. A read, the
    inserts and a read, whatever the number of messages. Raise ValueError for a message with attachments.
    """
    rows: dict[str, dict] = {}
    for message in messages:
        key, fields = _stored(message)
        rows.setdefault(key, fields)
    if not rows:
        return []
    with transaction.atomic():
        existing = set(OutgoingMail.objects.filter(key__in=list(rows)).values_list("key", flat=True))
        new = [OutgoingMail(key=key, **fields) for key, fields in rows.items() if key not in existing]
        # Another process may store one of these keys meanwhile: its row is kept, and whichever
        # task takes the message first sends it (the lease in ``_take`` keeps it to one).
        OutgoingMail.objects.bulk_create(new, ignore_conflicts=True)
        ids = list(
            OutgoingMail.objects.filter(key__in=[mail.key for mail in new]).order_by("pk").values_list("pk", flat=True)
        )
        if ids:
            transaction.on_commit(lambda: _queue(ids), robust=True)
    return ids


def _stored(message: EmailMessage) -> tuple[str, dict]:
    """Return (idempotency key, the other OutgoingMail fields) of ``message``."""
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
    return key[:255], {
        "from_email": from_email, "to": list(message.to), "cc": list(message.cc),
        "bcc": list(message.bcc), "reply_to": list(message.reply_to), "subject": str(message.subject),
        "body": str(message.body), "alternatives": alternatives, "headers": headers,
    }  # fmt: skip


#: Priority of a single message's delivery task (django-tasks: -100 to 100, default 0), on backends
#: that order by priority (the database queue; RQ keeps its own order): a sign-up confirmation or a
#: password reset, which someone is waiting for, goes before queued renditions and index updates.
SINGLE_MAIL_PRIORITY = 10


def _queue(mail_ids: list[int]) -> None:
    """Queue delivery tasks for ``mail_ids``: one message alone (before other queued work, see
    :data:`SINGLE_MAIL_PRIORITY`), more in batches of PRESSCLUB_MAIL_BATCH."""
    from .tasks import send_outgoing_mail, send_outgoing_mail_batch

    single = send_outgoing_mail
    if single.get_backend().supports_priority:
        single = single.using(priority=SINGLE_MAIL_PRIORITY)
    size = max(1, settings.PRESSCLUB_MAIL_BATCH)
    for start in range(0, len(mail_ids), size):
        batch = mail_ids[start : start + size]
        if len(batch) == 1:
            single.enqueue(batch[0])
        else:
            send_outgoing_mail_batch.enqueue(batch)


def mail_deliver(*, mail_id: int) -> str:
    """Hand the outbox message ``mail_id`` to the mail transport; return what happened.

    Return ``"sent"``, ``"retrying"`` (a temporary failure; tried again later), ``"failed"`` (a
    permanent failure, or temporary ones for longer than ``PRESSCLUB_MAIL_GIVE_UP_HOURS``) or
    ``"skipped"`` (sent already, held by another worker, not due yet, or gone). Never raises for an
    SMTP failure: it is recorded on the row instead.
    """
    return _deliver([mail_id])[mail_id]


def mail_deliver_batch(*, mail_ids: list[int]) -> dict[str, int]:
    """Hand the outbox messages ``mail_ids`` to the mail transport in order, over one connection
    (one SMTP conversation); return how many ended each way, e.g. ``{"sent": 99, "failed": 1}``.

    The due messages are taken (leased) together, in one transaction, and each is recorded "sent" the
    moment the server accepted it, so a batch cut short (the worker killed, the connection lost) and
    run again sends nobody a second copy; a batch that outlasts half its lease extends it. The
    outcomes are those of ``mail_deliver``, plus ``"postponed"``: the connection failed on an earlier
    message (refused, lost, timed out), so this one was not tried and waits to be tried with it
    (status "retrying", its attempts unchanged). A refused recipient,
    sender or message fails that message alone and the batch goes on. Never raises for an SMTP failure.
    """
    outcomes: dict[str, int] = {}
    for outcome in _deliver(mail_ids).values():
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _deliver(mail_ids: list[int]) -> dict[int, str]:
    mail_ids = list(dict.fromkeys(mail_ids))
    outcomes = {mail_id: "skipped" for mail_id in mail_ids}
    mails, lease = _take(mail_ids)
    held = [mail_id for mail_id in mail_ids if mail_id in mails]
    if not held:
        return outcomes
    renew_at = timezone.now() + timedelta(seconds=settings.PRESSCLUB_MAIL_LEASE_SECONDS / 2)
    connection = get_connection(settings.PRESSCLUB_MAIL_TRANSPORT, fail_silently=False)
    opened = False
    try:
        for position, mail_id in enumerate(held):
            if timezone.now() >= renew_at:  # a long batch: hold the rest for another lease
                lease = _renew(held[position:], lease)
                if lease is None:
                    break
                renew_at = timezone.now() + timedelta(seconds=settings.PRESSCLUB_MAIL_LEASE_SECONDS / 2)
            mail = mails[mail_id]
            try:
                if not opened:
                    connection.open()  # one connection for the whole batch
                    opened = True
                connection.send_messages([mail.message()])
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row and decided on
                outcomes[mail_id] = _failed(mail, exc)
                if not _connection_usable(exc):
                    outcomes.update(dict.fromkeys(_postpone(held[position + 1 :], lease, exc), "postponed"))
                    break
                continue
            # Recorded the moment the server took it: a re-run of this task must not send it again.
            OutgoingMail.objects.filter(pk=mail_id).update(
                status=MailStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
            )
            outcomes[mail_id] = "sent"
    finally:
        if opened:
            _close(connection)
    return outcomes


def _take(mail_ids: list[int]) -> tuple[dict[int, OutgoingMail], datetime]:
    """Lease to this worker, in one transaction, those of ``mail_ids`` that are due and that nobody
    holds; return them ({id: row as now stored}) and the lease's end.

    Due: queued or waiting to retry with their time come, or held by a worker whose lease ran out
    (it died). Each taken row counts an attempt. Rows another worker is taking meanwhile are
    skipped (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite lets one writer in at a time).
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.PRESSCLUB_MAIL_LEASE_SECONDS)
    due = Q(status__in=[MailStatus.QUEUED, MailStatus.RETRYING], next_attempt_at__lte=now) | Q(
        status=MailStatus.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        mails = OutgoingMail.objects.select_for_update(skip_locked=True).filter(due, pk__in=mail_ids).in_bulk()
        if mails:
            OutgoingMail.objects.filter(pk__in=list(mails)).update(
                status=MailStatus.SENDING, lease_until=lease, attempts=F("attempts") + 1
            )
    for mail in mails.values():
        mail.status, mail.lease_until, mail.attempts = MailStatus.SENDING, lease, mail.attempts + 1
    return mails, lease


def _renew(mail_ids: list[int], lease: datetime) -> datetime | None:
    """Extend this worker's lease ``lease`` on the messages ``mail_ids`` it holds; return the new end,
    or None when one of them is held no longer (the batch then stops; nothing is sent twice)."""
    renewed = timezone.now() + timedelta(seconds=settings.PRESSCLUB_MAIL_LEASE_SECONDS)
    count = OutgoingMail.objects.filter(pk__in=mail_ids, status=MailStatus.SENDING, lease_until=lease).update(
        lease_until=renewed
    )
    if count != len(mail_ids):
        logger.warning("A batch of e-mail lost its lease; %s messages are left to a later task.", len(mail_ids))
        return None
    return renewed


def _connection_usable(exc: BaseException) -> bool:
    """Return True when the connection that raised ``exc`` can still carry the next message.

    A refused recipient, sender or message text (any reply but 421, "closing the connection") leaves
    the SMTP conversation open (smtplib resets it); so does a message that cannot be encoded, which
    never reached the server. Anything else (refused or lost connection, timeout, 421, failed login)
    ends it.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code != 421 for code, _ in exc.recipients.values())
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return exc.smtp_code != 421
    return isinstance(exc, (ValueError, UnicodeError))


def _postpone(mail_ids: list[int], lease: datetime, exc: BaseException) -> list[int]:
    """Give back the untried messages ``mail_ids`` of a batch whose connection failed (held under
    ``lease``): "retrying", due with the next attempt after a first failure, their attempt not
    counted; return those given back."""
    if not mail_ids:
        return []
    held = OutgoingMail.objects.filter(pk__in=mail_ids, status=MailStatus.SENDING, lease_until=lease)
    postponed = list(held.values_list("pk", flat=True))
    error = f"Not tried: the connection failed on an earlier message. {type(exc).__name__}: {exc}"[:2000]
    held.filter(pk__in=postponed).update(
        status=MailStatus.RETRYING, lease_until=None, attempts=F("attempts") - 1, last_error=error,
        next_attempt_at=timezone.now() + retry_delay(1),
    )  # fmt: skip
    logger.info("%s e-mails postponed: the connection failed: %s", len(postponed), exc)
    return postponed


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a connection already broken cannot be closed politely
        logger.debug("Closing the mail connection failed.", exc_info=True)


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
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:1000])
    # Only rows still in the state they were found in: a worker may have taken one meanwhile (its
    # task, queued all the same, then finds it held or sent and skips it).
    due.filter(pk__in=ids).update(status=MailStatus.QUEUED, next_attempt_at=now, lease_until=None)
    _queue(ids)
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

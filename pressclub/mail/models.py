"""The outbox: one row per e-mail, from the moment a request or a task sends it until the worker is done.

A row is the message itself (addresses, subject, text, alternatives, headers) plus its delivery state,
so nothing is lost while the SMTP server is down, slow or refusing, and staff see every failure in
the admin (``viewsets.py``).
"""

from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone

# A message may list under this header (space-separated) the strings of its text that are its
# recipient's own, such as their unsubscribe link: the header is kept with the message, never sent,
# and the SMTP transport encodes the text around them once for every recipient (``transport.py``).
PERSONAL_HEADER = "X-Pressclub-Personal"


class MailStatus(models.TextChoices):
    """Where a message is on its way out."""

    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Waiting to retry"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutgoingMail(models.Model):
    """One e-mail in the outbox.

    ``key`` is the idempotency key: sending a second message with the same key adds nothing, so a task
    run twice mails once. ``attempts`` counts the hand-overs to the SMTP server; ``last_error`` is the
    last one's failure ("SMTPRecipientsRefused: 550 …"). ``lease_until`` is when a worker that took
    the message and died stops holding it.
    """

    key = models.CharField(max_length=255, unique=True)
    from_email = models.TextField()
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # [[content, mimetype], …], e.g. [["<p>…</p>", "text/html"]].
    alternatives = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_status_next_idx")]
        verbose_name = "outgoing mail"
        verbose_name_plural = "outgoing mail"

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def recipients(self) -> str:
        """Return the To addresses as one line: "a@example.org, b@example.org"."""
        return ", ".join(self.to)

    def message(self) -> EmailMultiAlternatives:
        """Return the stored message as Django's EmailMultiAlternatives, ready for any mail backend;
        the strings its ``PERSONAL_HEADER`` listed are its attribute ``personal`` (a list)."""
        headers = dict(self.headers)
        personal = headers.pop(PERSONAL_HEADER, "").split()
        message = EmailMultiAlternatives(
            subject=self.subject, body=self.body, from_email=self.from_email, to=self.to, cc=self.cc,
            bcc=self.bcc, reply_to=self.reply_to, headers=headers,
        )  # fmt: skip
        message.personal = personal
        for content, mimetype in self.alternatives:
            message.attach_alternative(content, mimetype)
        return message

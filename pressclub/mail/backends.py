"""The site's EMAIL_BACKEND: it stores messages in the outbox instead of sending them.

``send_mail``, allauth, Wagtail's notifications and pressclub's own e-mail all go through Django's
mail API, so all of it ends up in ``OutgoingMail`` and leaves from the worker
(``delivery.mail_deliver``, ``delivery.mail_deliver_batch``) through ``PRESSCLUB_MAIL_TRANSPORT``.
"""

from django.core.mail.backends.base import BaseEmailBackend

from .delivery import mail_enqueue, mail_enqueue_many


class OutboxBackend(BaseEmailBackend):
    """Put each message into the outbox; delivery tasks are queued once the transaction commits.

    A message may carry the header ``X-Pressclub-Idempotency-Key`` (``delivery.IDEMPOTENCY_HEADER``):
    a second message with the same key is not stored again. Several messages given at once (a batch
    of digests) are stored together and delivered in batches over one SMTP connection. Return how
    many messages were taken (those with a recipient).
    """

    def send_messages(self, email_messages) -> int:
        messages = [message for message in email_messages if message.recipients()]
        if len(messages) == 1:
            mail_enqueue(message=messages[0])
        elif messages:
            mail_enqueue_many(messages=messages)
        return len(messages)

"""The site's EMAIL_BACKEND: it stores messages in the outbox instead of sending them.

``send_mail``, allauth, Wagtail's notifications and pressclub's own e-mail all go through Django's
mail API, so all of it ends up in ``OutgoingMail`` and leaves from the worker
(``delivery.mail_deliver``) through ``PRESSCLUB_MAIL_TRANSPORT``.
"""

from django.core.mail.backends.base import BaseEmailBackend

from .delivery import mail_enqueue


class OutboxBackend(BaseEmailBackend):
    """Put each message into the outbox; its delivery task is queued once the transaction commits.

    A message may carry the header ``X-Pressclub-Idempotency-Key`` (``delivery.IDEMPOTENCY_HEADER``):
    a second message with the same key is not stored again. Return how many messages were taken.
    """

    def send_messages(self, email_messages) -> int:
        taken = 0
        for message in email_messages:
            if not message.recipients():
                continue
            mail_enqueue(message=message)
            taken += 1
        return taken

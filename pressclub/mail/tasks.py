"""Background work of the outbox: delivering one message (``delivery.mail_deliver``)."""

from django_tasks import task

from .delivery import mail_deliver


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Deliver the outbox message ``mail_id``; return "sent", "retrying", "failed" or "skipped"."""
    return mail_deliver(mail_id=mail_id)

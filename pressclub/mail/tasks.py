"""Background work of the outbox: delivering one message (``delivery.mail_deliver``) or a batch of
them over one connection (``delivery.mail_deliver_batch``)."""

from django_tasks import task

from .delivery import mail_deliver, mail_deliver_batch


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Deliver the outbox message ``mail_id``; return "sent", "retrying", "failed" or "skipped"."""
    return mail_deliver(mail_id=mail_id)


@task()
def send_outgoing_mail_batch(mail_ids: list[int]) -> dict[str, int]:
    """Deliver the outbox messages ``mail_ids`` over one connection; return how many ended each way,
    e.g. ``{"sent": 99, "retrying": 1}`` (see ``delivery.mail_deliver_batch``)."""
    return mail_deliver_batch(mail_ids=mail_ids)

"""Background work of the members app: sending e-mail outside the request."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def email_send(
    *, subject: str, body: str, to: list[str], from_email: str | None = None, html: str = "", headers=None
) -> int:
    """Send one e-mail (plain text, with an optional HTML alternative); return the number sent (0 or 1).

    Arguments are JSON-safe so any tasks backend can carry them; the message is rendered before
    it is queued (see ``members.emails``).
    """
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or None)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()

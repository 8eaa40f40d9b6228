"""Render the members app's e-mails now and send them in the background.

Templates come in threes under a prefix: ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and
optionally ``<prefix>_message.html``. Sending waits for the surrounding transaction to commit, so
a rolled-back decision never mails anyone.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import TemplateDoesNotExist, render_to_string

from pressclub.core.links import absolute_url

from .tasks import email_send


def site_name() -> str:
    """Return the site's name as e-mails show it."""
    return settings.PRESSCLUB_SITE_NAME


def message_queue(message: EmailMessage) -> None:
    """Queue an already rendered message for sending once the current transaction commits."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if message.content_subtype == "html" and not html:
        html = message.body
    kwargs = {
        "subject": message.subject,
        "body": message.body,
        "to": list(message.to),
        "from_email": message.from_email,
        "html": html,
        "headers": dict(message.extra_headers) or None,
    }
    transaction.on_commit(lambda: email_send.enqueue(**kwargs), robust=True)


def email_queue(*, template_prefix: str, to: str, context: dict) -> None:
    """Render the e-mail ``template_prefix`` for the address ``to`` and queue it.

    ``context`` gets ``site_name`` and ``site_url`` added. Raise TemplateDoesNotExist when the
    subject or text template is missing.
    """
    context = {"site_name": site_name(), "site_url": absolute_url("/"), "email": to, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).splitlines()).strip()
    body = render_to_string(f"{template_prefix}_message.txt", context).strip()
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    try:
        message.attach_alternative(render_to_string(f"{template_prefix}_message.html", context), "text/html")
    except TemplateDoesNotExist:
        pass
    message_queue(message)

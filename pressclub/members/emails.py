"""Render the members app's e-mails now; the worker sends them (through the outbox, ``pressclub.mail``).

Templates come in threes under a prefix: ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and
optionally ``<prefix>_message.html``. Sending waits for the surrounding transaction to commit, so
a rolled-back decision never mails anyone.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import TemplateDoesNotExist, render_to_string
from django.utils import translation

from pressclub.core.links import absolute_url


def site_name() -> str:
    """Return the site's name as e-mails show it."""
    return settings.PRESSCLUB_SITE_NAME


def message_queue(message: EmailMessage) -> None:
    """Put an already rendered message into the outbox once the current transaction commits.

    The site's EMAIL_BACKEND is the outbox (``pressclub.mail``): the message leaves from the worker,
    so the request never waits for the SMTP server, and a rolled-back decision mails no one.
    """
    transaction.on_commit(message.send, robust=True)


def email_queue(*, template_prefix: str, to: str, context: dict, language: str | None = None) -> None:
    """Render the e-mail ``template_prefix`` for the address ``to`` and queue it.

    ``context`` gets ``site_name`` and ``site_url`` added. ``language`` (a code of LANGUAGES; the
    recipient's, see ``core.language.recipient_language``) is the one it is written in; None: the
    active language (the request's). Raise TemplateDoesNotExist when the subject or text template is
    missing.
    """
    if language:
        with translation.override(language):
            return email_queue(template_prefix=template_prefix, to=to, context=context)
    context = {"site_name": site_name(), "site_url": absolute_url("/"), "email": to, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).splitlines()).strip()
    body = render_to_string(f"{template_prefix}_message.txt", context).strip()
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    try:
        message.attach_alternative(render_to_string(f"{template_prefix}_message.html", context), "text/html")
    except TemplateDoesNotExist:
        pass
    message_queue(message)

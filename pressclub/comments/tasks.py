"""Background work of the comments app (django-tasks): the e-mails. Each task takes a comment id.

Enqueued by ``signal_handlers.py`` once the transaction that changed the comment has committed.
"""

from django_tasks import task

from . import notifications


@task()
def send_reply_notification(comment_id: int) -> int:
    """E-mail the parent's author about the reply ``comment_id``; return the number of e-mails sent."""
    return notifications.reply_notification_send(comment_id)


@task()
def send_moderator_notification(comment_id: int) -> int:
    """E-mail the moderators about the held comment ``comment_id``; return the number of e-mails sent."""
    return notifications.moderator_notification_send(comment_id)


@task()
def send_comment_confirmation(comment_id: int, language: str = "") -> int:
    """E-mail an anonymous commenter their confirmation link, in ``language`` (a code of LANGUAGES; empty:
    the site's default); return the number of e-mails sent."""
    return notifications.confirmation_send(comment_id, language=language)

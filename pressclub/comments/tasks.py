"""Background work of the comments app (django-tasks): the e-mails, each task taking a comment id,
and the purges of the pages a renamed or deleted member's comments show on.

Enqueued by ``signal_handlers.py`` once the transaction that changed the comment (or the account)
has committed.
"""

from django_tasks import task

from pressclub.core.purge import cache_purge
from pressclub.core.purge_lists import purge_list

from . import notifications
from .purge_lists import member_comment_page_ids
from .thread import thread_forget


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


@task()
def purge_renamed_member_pages(user_id: int) -> int:
    """Show account ``user_id``'s new name on every page with their approved comments: forget each
    page's cached comment thread, then purge the pages' URLs (``member_renamed``: each page and its
    later thread pages, its comment feeds, the site's) from the page cache now and, queued, from the
    front-end caches (``core.purge.cache_purge``). Return the number of URLs purged (0 for an
    account without approved comments, or one deleted since).

    Queries: two for the pages' ids (here and in the purge list), one for their threads' pages, one
    for the pages plus one per page type; none per page.
    """
    return _renew_pages(member_comment_page_ids(user_id), purge_list("member_renamed", user_id=user_id))


@task()
def purge_left_member_pages(page_ids: list[int]) -> int:
    """Renew the pages ``page_ids`` where a deleted account had approved comments (now a former
    member's, or removed): forget each page's cached comment thread, then purge ``member_left``'s
    URLs (each page, its thread pages and comment feeds, the site's, where its comment count shows)
    from the page cache now and, queued, from the front-end caches. Return the number of URLs purged.
    """
    return _renew_pages(page_ids, purge_list("member_left", page_ids=page_ids))


def _renew_pages(page_ids, purged) -> int:
    """Forget the cached comment threads of ``page_ids``, purge ``purged`` (a PurgeList) from the page
    cache now and, queued, from the front-end caches; return the number of URLs purged."""
    for page_id in page_ids:
        thread_forget(page_id=page_id)
    cache_purge(purged)
    return len(purged.urls)

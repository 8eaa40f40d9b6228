"""Receivers of the comments app, connected in ``CommentsConfig.ready()``.

They turn the services' signals into background e-mail and cache purges once the transaction has
committed, deal with the comments of an account that is being deleted, and have the pages of a
renamed member's comments purged.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from pressclub.core.purge import cache_purge_on_commit
from pressclub.core.purge_lists import everything, purge_list
from pressclub.members.signals import member_leaving, member_renamed

from . import purge_lists, signals, tasks  # noqa: F401 - purge_lists registers its contributors
from .models import Comment, CommentPolicySettings, CommentStatus, HoldReason
from .services import comments_of_leaving_member
from .thread import pending_changed, thread_forget

logger = logging.getLogger(__name__)


def _later(task, comment_id: int, *args) -> None:
    # robust: a task queue that cannot be reached (Redis down with PRESSCLUB_TASK_BACKEND=rq) is logged
    # and loses this notice, never the comment that was just committed.
    transaction.on_commit(lambda: task.enqueue(comment_id, *args), robust=True)


def _purge(comment: Comment, event: str) -> None:
    """Forget the cached comment thread of the comment's page; once committed, the cached pages the
    comment shows on (``purge_lists``: its page and thread pages, its comment feeds, the site's, and
    the front page's "Most commented"), in the site's page cache and the front-end caches.

    The thread is forgotten both now (so this request and the tests see the change) and after the
    commit (so a reader who cached the old thread in between does not keep it). ``event`` is one
    of ``comment_approved``, ``comment_edited``, ``comment_removed``.
    """
    thread_forget(page_id=comment.page_id)
    comment_id = comment.pk

    def purge():
        from pressclub.core.purge import cache_purge

        # The purge needs the comment's page: the one it came with (a new comment), else read with
        # it (a row deleted for good still names its page). The thread's pages are read afresh.
        shown = comment if Comment.page.is_cached(comment) else (
            Comment.objects.select_related("page").filter(pk=comment_id).first() or comment
        )
        try:
            cache_purge(purge_list(event, comment=shown))
        except Exception:  # a cache or queue outage must never undo a comment
            logger.exception("Could not purge the pages of comment %s", comment_id)

    transaction.on_commit(purge)


def _reply_visible(comment: Comment) -> None:
    if comment.parent_id and comment.status == CommentStatus.APPROVED:
        _later(tasks.send_reply_notification, comment.pk)


def on_comment_posted(sender, *, comment, held, **kwargs):
    """A new comment: tell the parent's author of a shown reply; purge the page when it is shown."""
    if not held:
        _reply_visible(comment)
        _purge(comment, "comment_approved")


def on_comment_held(sender, *, comment, holds, **kwargs):
    """A held comment: ask an anonymous author to confirm their address, or tell the moderators."""
    reasons = {hold.reason for hold in holds}
    if HoldReason.EMAIL_UNCONFIRMED in reasons:
        # In the language the reader was reading in when they posted (they have no account to store it).
        _later(tasks.send_comment_confirmation, comment.pk, get_language() or "")
    else:
        _later(tasks.send_moderator_notification, comment.pk)
    if comment.status == CommentStatus.PENDING and HoldReason.FLAGGED in reasons:
        _purge(comment, "comment_removed")


def on_comment_shown(sender, *, comment, **kwargs):
    """An approved or confirmed comment: tell the parent's author of a reply; purge the page."""
    if comment.status == CommentStatus.APPROVED:
        _reply_visible(comment)
        _purge(comment, "comment_approved")


def on_comment_changed(sender, *, comment, signal=None, **kwargs):
    """An edited, deleted, rejected or spam comment: purge the pages it was shown on."""
    _purge(comment, "comment_edited" if signal is signals.comment_edited else "comment_removed")


def on_member_leaving(sender, *, user, remove_comments: bool = False, **kwargs):
    """An account is about to be deleted: remove its comments or keep them as "former member"; once
    committed, a task renews the pages that showed its approved comments
    (``tasks.purge_left_member_pages``)."""
    rows = set(Comment.objects.filter(user=user).values_list("page_id", "status").distinct())
    page_ids = {page_id for page_id, _status in rows}
    shown = sorted({page_id for page_id, status in rows if status == CommentStatus.APPROVED})
    comments_of_leaving_member(user=user, remove=remove_comments)
    for page_id in page_ids:
        thread_forget(page_id=page_id)
    if shown:
        # robust: a queue outage loses this purge (the pages expire with their cache), never the deletion.
        transaction.on_commit(lambda: tasks.purge_left_member_pages.enqueue(shown), robust=True)


def on_member_renamed(sender, *, user, **kwargs):
    """A member's public name changed: once committed, a task renews every page that shows it beside
    an approved comment (``tasks.purge_renamed_member_pages``). One query here, to enqueue nothing
    for an account without approved comments; a member may have them on hundreds of pages, so the
    pages are read and purged in the task."""
    user_id = user.pk
    if Comment.objects.approved().filter(user_id=user_id).exists():
        # robust: a queue outage loses this purge (the pages expire with their cache), never the rename.
        transaction.on_commit(lambda: tasks.purge_renamed_member_pages.enqueue(user_id), robust=True)


def on_policy_settings_saved(sender, *, instance, **kwargs):
    """The site's comment policy was saved or deleted: forget the copy the comment section keeps, and
    every cached page (each comment section says who may comment)."""
    from django.core.cache import cache

    from .policy import policy_settings_key

    key = policy_settings_key(instance.site_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    # Every page with a comment section says who may comment. A row created with the defaults
    # (Wagtail makes one the first time a page asks for it) changes nothing.
    if not kwargs.get("created"):
        cache_purge_on_commit(everything("site_settings_changed"))


def pending_of_author_changed(sender, *, instance, created=False, **kwargs):
    """A comment was saved or deleted: its author's pages with comments awaiting moderation may differ
    (not when the comment is new and shown at once: it awaits nothing)."""
    if created and instance.status != CommentStatus.PENDING:
        return
    pending_changed([instance.user_id])


def register() -> None:
    """Connect the receivers (called once from ``CommentsConfig.ready()``)."""
    uid = "pressclub.comments."
    post_save.connect(pending_of_author_changed, sender=Comment, dispatch_uid=uid + "pending_saved")
    post_delete.connect(pending_of_author_changed, sender=Comment, dispatch_uid=uid + "pending_deleted")
    post_save.connect(on_policy_settings_saved, sender=CommentPolicySettings, dispatch_uid=uid + "policy_saved")
    post_delete.connect(on_policy_settings_saved, sender=CommentPolicySettings, dispatch_uid=uid + "policy_deleted")
    signals.comment_posted.connect(on_comment_posted, sender=Comment, dispatch_uid=uid + "posted")
    signals.comment_held.connect(on_comment_held, sender=Comment, dispatch_uid=uid + "held")
    signals.comment_approved.connect(on_comment_shown, sender=Comment, dispatch_uid=uid + "approved")
    signals.comment_confirmed.connect(on_comment_shown, sender=Comment, dispatch_uid=uid + "confirmed")
    for name in ("comment_edited", "comment_deleted", "comment_rejected", "comment_marked_spam"):
        getattr(signals, name).connect(on_comment_changed, sender=Comment, dispatch_uid=uid + name)
    member_leaving.connect(on_member_leaving, dispatch_uid=uid + "member_leaving")
    member_renamed.connect(on_member_renamed, dispatch_uid=uid + "member_renamed")

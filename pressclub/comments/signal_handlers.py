"""Receivers of the comments app, connected in ``CommentsConfig.ready()``.

They turn the services' signals into background e-mail and cache purges once the transaction has
committed, and deal with the comments of an account that is being deleted.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from pressclub.core.cache import page_cache_purge
from pressclub.members.signals import member_leaving

from . import signals, tasks
from .models import Comment, CommentPolicySettings, CommentStatus, HoldReason
from .services import comments_of_leaving_member
from .thread import thread_forget

logger = logging.getLogger(__name__)


def _later(task, comment_id: int, *args) -> None:
    # robust: a task queue that cannot be reached (Redis down with PRESSCLUB_TASK_BACKEND=rq) is logged
    # and loses this notice, never the comment that was just committed.
    transaction.on_commit(lambda: task.enqueue(comment_id, *args), robust=True)


def _purge(comment: Comment) -> None:
    """Forget the cached comment thread of the comment's page; once committed, cached pages too.

    The thread is forgotten both now (so this request and the tests see the change) and after the
    commit (so a reader who cached the old thread in between does not keep it). The site's own
    anonymous page cache is emptied (a comment shows on its page, in the comment
    feeds and in "most commented" on the front page); a front-end cache (CDN, proxy) is told to
    drop the comment's page when one is configured.
    """
    thread_forget(page_id=comment.page_id)

    def purge():
        page_cache_purge()
        if not settings.WAGTAILFRONTENDCACHE:
            return
        from wagtail.contrib.frontend_cache.utils import purge_page_from_cache
        from wagtail.models import Page

        page = Page.objects.filter(pk=comment.page_id).first()
        if page is not None:
            try:
                purge_page_from_cache(page.specific)
            except Exception:  # a CDN outage must never undo a comment
                logger.exception("Could not purge page %s from the front-end cache", comment.page_id)

    transaction.on_commit(purge)


def _reply_visible(comment: Comment) -> None:
    if comment.parent_id and comment.status == CommentStatus.APPROVED:
        _later(tasks.send_reply_notification, comment.pk)


def on_comment_posted(sender, *, comment, held, **kwargs):
    """A new comment: tell the parent's author of a shown reply; purge the page when it is shown."""
    if not held:
        _reply_visible(comment)
        _purge(comment)


def on_comment_held(sender, *, comment, holds, **kwargs):
    """A held comment: ask an anonymous author to confirm their address, or tell the moderators."""
    reasons = {hold.reason for hold in holds}
    if HoldReason.EMAIL_UNCONFIRMED in reasons:
        # In the language the reader was reading in when they posted (they have no account to store it).
        _later(tasks.send_comment_confirmation, comment.pk, get_language() or "")
    else:
        _later(tasks.send_moderator_notification, comment.pk)
    if comment.status == CommentStatus.PENDING and HoldReason.FLAGGED in reasons:
        _purge(comment)


def on_comment_shown(sender, *, comment, **kwargs):
    """An approved or confirmed comment: tell the parent's author of a reply; purge the page."""
    if comment.status == CommentStatus.APPROVED:
        _reply_visible(comment)
        _purge(comment)


def on_comment_changed(sender, *, comment, **kwargs):
    """An edited, deleted, rejected or spam comment: purge the page it was shown on."""
    _purge(comment)


def on_member_leaving(sender, *, user, remove_comments: bool = False, **kwargs):
    """An account is about to be deleted: remove its comments or keep them as "former member"."""
    page_ids = set(Comment.objects.filter(user=user).values_list("page_id", flat=True).distinct())
    comments_of_leaving_member(user=user, remove=remove_comments)
    for page_id in page_ids:
        thread_forget(page_id=page_id)


def on_policy_settings_saved(sender, *, instance, **kwargs):
    """The site's comment policy was saved or deleted: forget the copy the comment section keeps."""
    from django.core.cache import cache

    from .policy import policy_settings_key

    key = policy_settings_key(instance.site_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def register() -> None:
    """Connect the receivers (called once from ``CommentsConfig.ready()``)."""
    uid = "pressclub.comments."
    post_save.connect(on_policy_settings_saved, sender=CommentPolicySettings, dispatch_uid=uid + "policy_saved")
    post_delete.connect(on_policy_settings_saved, sender=CommentPolicySettings, dispatch_uid=uid + "policy_deleted")
    signals.comment_posted.connect(on_comment_posted, sender=Comment, dispatch_uid=uid + "posted")
    signals.comment_held.connect(on_comment_held, sender=Comment, dispatch_uid=uid + "held")
    signals.comment_approved.connect(on_comment_shown, sender=Comment, dispatch_uid=uid + "approved")
    signals.comment_confirmed.connect(on_comment_shown, sender=Comment, dispatch_uid=uid + "confirmed")
    for name in ("comment_edited", "comment_deleted", "comment_rejected", "comment_marked_spam"):
        getattr(signals, name).connect(on_comment_changed, sender=Comment, dispatch_uid=uid + name)
    member_leaving.connect(on_member_leaving, dispatch_uid=uid + "member_leaving")

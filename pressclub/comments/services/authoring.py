"""What an author does to their own comment (edit, delete) and what members do to others' (flag)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from pressclub.members.permissions import is_member

from .. import signals
from ..models import Comment, CommentFlag, CommentStatus
from ..moderation import CommentPolicy
from ..text import normalize_body, render_body
from .submission import (
    EDIT_WINDOW,
    HOLD_SEPARATOR,
    CommentRejected,
    _authenticated,
    _check_body,
    _content_holds,
)


def _own(comment: Comment, user) -> None:
    if not _authenticated(user) or comment.user_id != user.pk:
        raise CommentRejected("Only the author of a comment can change it.", "not_author")


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str, now: dt.datetime | None = None) -> Comment:
    """Replace the text of ``user``'s own ``comment`` and return it, marked edited (``edited_at``).

    Allowed within 15 minutes of posting (``EDIT_WINDOW``) on a comment that is neither deleted,
    rejected nor spam. An edit that now hits the abuse words or the link limit sends the comment
    back to the moderation queue. Raise CommentRejected (``not_author``, ``edit_window``,
    ``empty``, ``too_long``).
    """
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
    _own(comment, user)
    if comment.is_deleted or comment.status in (CommentStatus.REJECTED, CommentStatus.SPAM, CommentStatus.REMOVED):
        raise CommentRejected("This comment can no longer be edited.", "edit_window")
    if now - comment.created_at > EDIT_WINDOW:
        raise CommentRejected("Comments can be edited for 15 minutes after posting; that time is over.",
                              "edit_window")
    body = _check_body(body)
    policy = CommentPolicy.for_page(comment.page)
    comment.body = body
    comment.body_html = render_body(body)
    comment.edited_at = now
    reasons = _content_holds(body, policy)
    held = False
    if reasons and comment.status == CommentStatus.APPROVED:
        comment.status = CommentStatus.PENDING
        comment.hold_reason = HOLD_SEPARATOR.join(reasons)[:255]
        held = True
    comment.save(update_fields=["body", "body_html", "edited_at", "status", "hold_reason"])
    signals.comment_edited.send(sender=Comment, comment=comment, held=held)
    if held:
        signals.comment_held.send(sender=Comment, comment=comment, reason=comment.hold_reason)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> bool:
    """Delete ``user``'s own ``comment``; return True when a placeholder stays, False when it is gone.

    A comment with replies stays as an emptied placeholder (``is_deleted``, no text, no website) so
    the thread keeps its shape; one without replies is removed. Raise CommentRejected
    (``not_author``).
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _own(comment, user)
    if comment.replies.exists():
        comment.is_deleted = True
        comment.body = ""
        comment.body_html = ""
        comment.author_url = ""
        comment.notify_on_reply = False
        comment.save(update_fields=["is_deleted", "body", "body_html", "author_url", "notify_on_reply"])
        signals.comment_deleted.send(sender=Comment, comment=comment, placeholder=True)
        return True
    comment.delete()
    signals.comment_deleted.send(sender=Comment, comment=comment, placeholder=False)
    return False


@transaction.atomic
def comment_flag(*, comment: Comment, user, reason: str) -> CommentFlag:
    """Record a member's flag on a shown comment and return it.

    When the comment's flags reach the policy's ``flag_threshold`` it is hidden (pending, hold
    reason "flagged by N members") until a moderator reviews it. ``reason`` is plain text (at most
    500 characters). Raise CommentRejected when the person is not a member (``not_member``), flags
    their own comment (``own_comment``), the comment is not shown (``not_visible``) or they
    flagged it before (``already_flagged``).
    """
    if not is_member(user):
        raise CommentRejected("Only members can flag comments.", "not_member")
    comment = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
    if comment.user_id == user.pk:
        raise CommentRejected("You cannot flag your own comment; edit or delete it instead.", "own_comment")
    if comment.status != CommentStatus.APPROVED or comment.is_deleted:
        raise CommentRejected("This comment is not shown any more.", "not_visible")
    reason = normalize_body(reason)[:500] or "No reason given"
    try:
        with transaction.atomic():
            flag = CommentFlag.objects.create(comment=comment, user=user, reason=reason)
    except IntegrityError:
        raise CommentRejected("You have already flagged this comment; a moderator will look at it.",
                              "already_flagged")
    Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
    comment.refresh_from_db(fields=["flag_count"])
    threshold = CommentPolicy.for_page(comment.page).flag_threshold
    held = comment.flag_count >= threshold
    if held:
        comment.status = CommentStatus.PENDING
        comment.hold_reason = f"flagged by {comment.flag_count} members"
        comment.save(update_fields=["status", "hold_reason"])
    signals.comment_flagged.send(sender=Comment, comment=comment, flag=flag, held=held)
    if held:
        signals.comment_held.send(sender=Comment, comment=comment, reason=comment.hold_reason)
    return flag

"""What an author does to their own comment (edit, delete) and what members do to others' (flag)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import signals
from ..models import Comment, CommentFlag, CommentStatus, Hold, HoldReason, holds_to_json
from ..policy import CommentDecision, CommentPolicy, delete_permission, edit_permission, flag_permission
from ..text import normalize_body, render_body
from .submission import CommentRejected, _check_body, _content_holds


def _enforce(decision: CommentDecision) -> None:
    # The policy decides; a refusal becomes the service's exception, its sentence and code kept.
    if not decision.allowed:
        raise CommentRejected(decision.reason, decision.reason_code)


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str, now: dt.datetime | None = None) -> Comment:
    """Replace the text of ``user``'s own ``comment`` and return it, marked edited (``edited_at``).

    Who may, and until when, is :func:`~pressclub.comments.policy.edit_permission`'s answer (the
    author, within 15 minutes of posting, on a comment still shown or pending). An edit that now hits the abuse words or the link limit sends the comment
    back to the moderation queue. Raise CommentRejected (``not_author``, ``edit_window``,
    ``empty``, ``too_long``).
    """
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
    _enforce(edit_permission(user=user, comment=comment, now=now))
    body = _check_body(body)
    policy = CommentPolicy.for_page(comment.page)
    comment.body = body
    comment.body_html = render_body(body)
    comment.edited_at = now
    reasons = _content_holds(body, policy)
    held = False
    if reasons and comment.status == CommentStatus.APPROVED:
        comment.status = CommentStatus.PENDING
        comment.holds = holds_to_json(reasons)
        held = True
    comment.save(update_fields=["body", "body_html", "edited_at", "status", "holds"])
    signals.comment_edited.send(sender=Comment, comment=comment, held=held)
    if held:
        signals.comment_held.send(sender=Comment, comment=comment, holds=comment.hold_reasons)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> bool:
    """Delete ``user``'s own ``comment``; return True when a placeholder stays, False when it is gone.

    A comment with replies stays as an emptied placeholder (``is_deleted``, no text, no website) so
    the thread keeps its shape; one without replies is removed. Raise CommentRejected
    (``not_author``).
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _enforce(delete_permission(user=user, comment=comment))
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

    When the comment's flags reach the policy's ``flag_threshold`` it is hidden (pending, held as
    ``HoldReason.FLAGGED`` with the number of flags) until a moderator reviews it. ``reason`` is
    plain text (at most 500 characters). Raise CommentRejected when
    :func:`~pressclub.comments.policy.flag_permission` refuses (``not_member``, ``own_comment``,
    ``not_visible``) or the person flagged it before (``already_flagged``).
    """
    _enforce(flag_permission(user=user))
    comment = Comment.objects.select_for_update().select_related("page").get(pk=comment.pk)
    _enforce(flag_permission(user=user, comment=comment))
    reason = normalize_body(reason)[:500] or "No reason given"
    try:
        with transaction.atomic():
            flag = CommentFlag.objects.create(comment=comment, user=user, reason=reason)
    except IntegrityError:
        raise CommentRejected(_("You have already flagged this comment; a moderator will look at it."),
                              "already_flagged")
    Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
    comment.refresh_from_db(fields=["flag_count"])
    threshold = CommentPolicy.for_page(comment.page).flag_threshold
    held = comment.flag_count >= threshold
    if held:
        comment.status = CommentStatus.PENDING
        comment.holds = holds_to_json([Hold(HoldReason.FLAGGED, str(comment.flag_count))])
        comment.save(update_fields=["status", "holds"])
    signals.comment_flagged.send(sender=Comment, comment=comment, flag=flag, held=held)
    if held:
        signals.comment_held.send(sender=Comment, comment=comment, holds=comment.hold_reasons)
    return flag

"""Moderators' decisions (approve, reject, spam) and the comments of an account being deleted."""

from __future__ import annotations

from django.db import transaction

from pressclub.members.signals import FORMER_MEMBER_NAME

from .. import signals
from ..models import Comment, CommentStatus


def _moderate(comment: Comment, *, moderator, status: str, signal, channel: str, note: str) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    from_status = comment.status
    if from_status == status:
        if status == CommentStatus.APPROVED and comment.flag_count:
            # Approving a shown comment that readers flagged means "keep it": its flags are dismissed.
            comment.flag_count = 0
            comment.save(update_fields=["flag_count"])
        return comment
    comment.status = status
    fields = ["status"]
    if status == CommentStatus.APPROVED:
        # A moderator has read the comment: what held it (and its flags) is dealt with.
        comment.hold_reason = ""
        comment.flag_count = 0
        fields += ["hold_reason", "flag_count"]
    comment.save(update_fields=fields)
    signal.send(sender=Comment, comment=comment, moderator=moderator, from_status=from_status,
                channel=channel, note=note)
    return comment


@transaction.atomic
def comment_approve(*, comment: Comment, moderator, channel: str = "queue", note: str = "") -> Comment:
    """Show ``comment`` (status approved), clear its hold reason and flag count, and return it.

    Approving a comment already shown dismisses its flags and nothing else. Sends
    ``comment_approved`` (which notifies the parent's author of a reply) only when the status
    changes, so approving twice notifies once. ``channel`` ("queue" or "email") and
    ``note`` are passed on to receivers such as the audit log.
    """
    return _moderate(comment, moderator=moderator, status=CommentStatus.APPROVED,
                     signal=signals.comment_approved, channel=channel, note=note)


@transaction.atomic
def comment_reject(*, comment: Comment, moderator, channel: str = "queue", note: str = "") -> Comment:
    """Hide ``comment`` for good (status rejected) and return it; sends ``comment_rejected`` on change."""
    return _moderate(comment, moderator=moderator, status=CommentStatus.REJECTED,
                     signal=signals.comment_rejected, channel=channel, note=note)


@transaction.atomic
def comment_mark_spam(*, comment: Comment, moderator, channel: str = "queue", note: str = "") -> Comment:
    """Hide ``comment`` as spam (status spam) and return it; sends ``comment_marked_spam`` on change."""
    return _moderate(comment, moderator=moderator, status=CommentStatus.SPAM,
                     signal=signals.comment_marked_spam, channel=channel, note=note)


@transaction.atomic
def comments_of_leaving_member(*, user, remove: bool) -> int:
    """Remove (``remove=True``) or anonymise the comments of an account about to be deleted.

    Anonymised comments keep their text, shown under "former member", with no link to the account,
    no e-mail, no website and no reply notifications. Removed comments with replies stay as empty
    placeholders. Return the number of comments changed.
    """
    comments = Comment.objects.filter(user=user)
    if not remove:
        return comments.update(user=None, author_name=FORMER_MEMBER_NAME, author_email="", author_url="",
                               notify_on_reply=False)
    with_replies = comments.filter(replies__isnull=False).distinct()
    ids = list(with_replies.values_list("pk", flat=True))
    kept = Comment.objects.filter(pk__in=ids).update(
        user=None, author_name=FORMER_MEMBER_NAME, author_email="", author_url="", body="", body_html="",
        is_deleted=True, notify_on_reply=False,
    )
    removed, _ = comments.exclude(pk__in=ids).delete()
    return kept + removed

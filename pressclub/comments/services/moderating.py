"""Moderators' decisions (approve, reject, spam, ban), logged in the audit trail, and the comments of
an account being deleted.

The moderation queue and the e-mail approve link both come through :func:`comments_moderate`, so
every decision lands in the audit log (:class:`~pressclub.comments.models_audit.ModerationAction`)
the same way; ``comment_approve`` and friends change one comment and send its signal.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from pressclub.members.signals import FORMER_MEMBER_NAME

from .. import signals
from ..models import Comment, CommentStatus
from ..models_audit import ModerationAction, ModerationChannel, ModerationVerb
from ..thread import pending_changed


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
        comment.holds = []
        comment.flag_count = 0
        fields += ["holds", "flag_count"]
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


class ModerationError(Exception):
    """A decision that cannot be applied, with a message for the moderator."""


def _ban_author(*, comment: Comment, moderator, note: str) -> None:
    from pressclub.members.services import MembershipError, membership_ban

    try:
        membership_ban(user=comment.user, by=moderator, reason=note)
    except MembershipError as error:
        raise ModerationError(f"Could not ban {comment.display_name}: {error}")


@transaction.atomic
def comments_moderate(
    *,
    comments: Iterable[Comment],
    verb: str,
    moderator,
    note: str = "",
    channel: str = ModerationChannel.QUEUE,
) -> list[ModerationAction]:
    """Apply ``verb`` (a :class:`ModerationVerb` value) to each comment and log one row per comment.

    approve / reject / spam call :func:`comment_approve` / :func:`comment_reject` /
    :func:`comment_mark_spam`. ban bans the author's account through
    ``members.services.membership_ban`` (once per author, ``note`` as the reason) and rejects the
    comment unless it is already rejected or spam. Approving a shown comment that readers flagged
    (``comment_approve`` dismisses the flags) is logged too. ``channel`` and ``note`` are passed on
    to the services (and their signals).
    Return the new ModerationAction rows, in the order of ``comments``; a comment already in the
    target state gets none.

    Raise ModerationError, and change nothing, when ``verb`` is unknown, when a ban comes without
    a note (the reason the author is sent), or when banning the author of a comment that has no
    account (imported or "anyone" comments).
    """
    if verb not in ModerationVerb.values:
        raise ModerationError(f"Unknown moderation action {verb!r}.")
    if verb == ModerationVerb.BAN and not (note or "").strip():
        raise ModerationError("Give a reason in the note to ban an author: they receive it by e-mail.")
    decide = {
        ModerationVerb.APPROVE: comment_approve,
        ModerationVerb.REJECT: comment_reject,
        ModerationVerb.SPAM: comment_mark_spam,
        ModerationVerb.BAN: comment_reject,
    }[verb]
    banned_user_ids: set[int] = set()
    actions = []
    for comment in comments:
        from_status, open_flags = comment.status, comment.flag_count
        if verb == ModerationVerb.BAN:
            if comment.user_id is None:
                raise ModerationError(
                    f"Comment {comment.pk} by {comment.display_name} has no account, so there is no one to ban. "
                    "Reject it or mark it as spam instead."
                )
            if comment.user_id not in banned_user_ids:
                _ban_author(comment=comment, moderator=moderator, note=note)
                banned_user_ids.add(comment.user_id)
        if verb != ModerationVerb.BAN or from_status not in (CommentStatus.REJECTED, CommentStatus.SPAM):
            comment = decide(comment=comment, moderator=moderator, channel=channel, note=note)
        kept_flagged = verb == ModerationVerb.APPROVE and from_status == CommentStatus.APPROVED and open_flags
        if comment.status == from_status and verb != ModerationVerb.BAN and not kept_flagged:
            continue  # already decided (a second click, or two moderators at once): nothing to log
        actions.append(
            ModerationAction(
                comment=comment,
                moderator=moderator,
                moderator_email=getattr(moderator, "email", "") or "",
                verb=verb,
                channel=channel,
                from_status=from_status,
                to_status=comment.status,
                comment_excerpt=(comment.body or "")[:200],
                note=(note or "")[:500],
            )
        )
    return ModerationAction.objects.bulk_create(actions)


@transaction.atomic
def comments_of_leaving_member(*, user, remove: bool) -> int:
    """Remove (``remove=True``) or anonymise the comments of an account about to be deleted.

    Anonymised comments keep their text, shown under "former member", with no link to the account,
    no e-mail, no website and no reply notifications. Removed comments with replies stay as empty
    placeholders. Return the number of comments changed.
    """
    comments = Comment.objects.filter(user=user)
    pending_changed([user.pk])  # the updates below send no signal
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

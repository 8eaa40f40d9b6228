"""Apply a moderator's decision to comments through the comment services and log it.

The moderation queue and the e-mail approve link both come through here, so every decision
lands in the audit log (:class:`~pressclub.comments.models_audit.ModerationAction`) the same way.
"""

from collections.abc import Iterable

from django.db import transaction

from .models import Comment, CommentStatus
from .models_audit import ModerationAction, ModerationChannel, ModerationVerb


class ModerationError(Exception):
    """A decision that cannot be applied, with a message for the moderator."""


def _services():
    # Imported late: the services module imports the notification machinery, which the admin
    # hooks must not pull in at start-up.
    from . import services

    return services


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

    approve / reject / spam call ``comment_approve`` / ``comment_reject`` / ``comment_mark_spam``
    from ``comments.services``. ban bans the author's account through
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
    services = _services()
    decide = {
        ModerationVerb.APPROVE: services.comment_approve,
        ModerationVerb.REJECT: services.comment_reject,
        ModerationVerb.SPAM: services.comment_mark_spam,
        ModerationVerb.BAN: services.comment_reject,
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

"""Everything that writes comments: submit, edit, delete, flag, confirm, approve, reject, spam.

Views, the moderation queue, e-mail links, importers and commands all go through these functions.
Each one sends a signal from :mod:`pressclub.comments.signals`; e-mail and cache purges happen in
``signal_handlers.py`` once the transaction commits. ``submission`` posts comments, ``authoring``
holds what authors and members do to comments, ``moderating`` what moderators do (and the audit
log of it). Who may do what is asked of :mod:`pressclub.comments.policy`, never re-checked here.
"""

from ..thread import thread_forget
from .authoring import comment_delete, comment_edit, comment_flag
from .moderating import (
    ModerationError,
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comments_moderate,
    comments_of_leaving_member,
)
from .submission import (
    CONFIRM_MESSAGE,
    DUPLICATE_WINDOW,
    MIN_SECONDS_TO_SUBMIT,
    POLICY_HOLDS,
    CommentRejected,
    SubmitResult,
    comment_confirm_email,
    comment_submit,
    ip_hash,
)

__all__ = [
    "CONFIRM_MESSAGE",
    "DUPLICATE_WINDOW",
    "MIN_SECONDS_TO_SUBMIT",
    "POLICY_HOLDS",
    "CommentRejected",
    "ModerationError",
    "SubmitResult",
    "comment_approve",
    "comment_confirm_email",
    "comment_delete",
    "comment_edit",
    "comment_flag",
    "comment_mark_spam",
    "comment_reject",
    "comment_submit",
    "comments_moderate",
    "comments_of_leaving_member",
    "ip_hash",
    "thread_forget",
]

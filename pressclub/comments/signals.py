"""Signals sent by the comment services (``comments/services/``), all with ``sender=Comment``.

Each is sent inside the service's transaction, after the rows are written; receivers that send
e-mail or purge caches should defer their work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

# A new comment was saved by comment_submit (not sent again for a re-sent form).
# Arguments: comment, held (bool: it waits for a moderator or an e-mail confirmation).
comment_posted = Signal()

# A comment was put in the moderation queue: on submission, when flags passed the threshold, or
# when its edit hit the filters. Arguments: comment, holds (tuple of models.Hold: why).
comment_held = Signal()

# An anonymous ("anyone") commenter confirmed their e-mail address. Arguments: comment.
comment_confirmed = Signal()

# A moderator approved a comment (it is now shown). Arguments: comment, moderator, from_status.
comment_approved = Signal()

# A moderator rejected a comment. Arguments: comment, moderator, from_status.
comment_rejected = Signal()

# A moderator marked a comment as spam. Arguments: comment, moderator, from_status.
comment_marked_spam = Signal()

# Its author edited a comment. Arguments: comment, held (bool).
comment_edited = Signal()

# Its author deleted a comment. Arguments: comment (unsaved copy when the row was removed),
# placeholder (bool: the row stays, emptied, because it has replies).
comment_deleted = Signal()

# A member flagged a comment. Arguments: comment, flag (CommentFlag), held (bool: the flag count
# reached the threshold and the comment was hidden for review).
comment_flagged = Signal()

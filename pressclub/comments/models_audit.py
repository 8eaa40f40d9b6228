"""The moderation audit log: one row per decision a moderator takes on a comment.

Imported at the bottom of ``comments.models`` so Django registers the model with the comments app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ModerationVerb(models.TextChoices):
    """What a moderator did to a comment."""

    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    SPAM = "spam", "Marked as spam"
    BAN = "ban", "Banned the author"


class ModerationChannel(models.TextChoices):
    """Where the decision was taken."""

    QUEUE = "queue", "Moderation queue"
    EMAIL = "email", "Link in the moderation e-mail"


class ModerationActionQuerySet(models.QuerySet):
    """Queries over the audit log."""

    def recent(self):
        """Return the log newest first, with comment, page and moderator loaded."""
        return self.select_related("comment__page", "moderator").order_by("-created_at", "-pk")


class ModerationAction(models.Model):
    """A moderator's decision on one comment: who, when, what, through which channel, and why.

    ``from_status`` and ``to_status`` are :class:`~pressclub.comments.models.CommentStatus` values
    taken before and after the decision. The row outlives the comment and the moderator's account
    (both links become empty), so ``comment_excerpt`` and ``moderator_email`` keep what is needed
    to read the log later.
    """

    comment = models.ForeignKey(
        "comments.Comment", null=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    moderator_email = models.EmailField(blank=True)
    verb = models.CharField(max_length=16, choices=ModerationVerb.choices)
    channel = models.CharField(max_length=16, choices=ModerationChannel.choices, default=ModerationChannel.QUEUE)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    comment_excerpt = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationActionQuerySet.as_manager()
    wagtail_reference_index_ignore = True  # a log line, not content (see Comment)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "moderation action"
        permissions = [("moderate_comments", "Can moderate readers' comments")]

    def __str__(self):
        return f"{self.get_verb_display()} comment {self.comment_id} by {self.moderator_email or 'unknown'}"

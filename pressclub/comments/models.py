"""Comments on pages (articles and standard pages), their flags and the moderation audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CommentStatus(models.TextChoices):
    """Where a comment stands. Only APPROVED comments are ever counted, listed, fed or indexed."""

    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed (content removed at the source)"


class CommentQuerySet(models.QuerySet):
    """Queries over comments."""

    def approved(self):
        """Return comments readers may see."""
        return self.filter(status=CommentStatus.APPROVED)

    def awaiting_moderation(self):
        """Return comments held for a moderator, oldest first."""
        return self.filter(status=CommentStatus.PENDING).order_by("created_at", "pk")

    def flagged(self):
        """Return comments with at least one open flag."""
        return self.filter(flag_count__gt=0)

    def for_page(self, page):
        """Return the comments on ``page`` (a wagtail Page or its id)."""
        return self.filter(page_id=getattr(page, "pk", page))


class Comment(models.Model):
    """A reader's comment on a page, possibly a reply to another comment (``parent``).

    ``body`` is what the author typed (plain text with a small Markdown subset); the HTML shown is
    rendered from it and sanitised. ``user`` is empty for imported comments, for "anyone" comments
    and for comments kept after their author deleted the account; ``author_name`` is then the name
    shown. ``ip_hash`` is a keyed hash of the sender's address; the raw address is never stored.
    ``source_id`` is the id in an imported system (e.g. a Blogger comment id) and makes imports
    idempotent.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="reader_comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author_name = models.CharField(max_length=80, blank=True)
    author_email = models.EmailField(blank=True)
    author_url = models.URLField(max_length=500, blank=True)
    body = models.TextField(max_length=5000)
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    hold_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False, help_text="Deleted by its author; a placeholder stays for replies.")
    flag_count = models.PositiveIntegerField(default=0)
    ip_hash = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True, db_index=True)
    notify_on_reply = models.BooleanField(default=False)
    source_id = models.CharField(max_length=255, blank=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"], condition=~models.Q(source_id=""), name="unique_comment_source_id"
            )
        ]

    def __str__(self):
        return f"Comment {self.pk} by {self.display_name} on page {self.page_id}"

    @property
    def display_name(self) -> str:
        """Return the name shown with the comment ("Anonymous" when none is known)."""
        if self.user_id and self.user is not None:
            return self.user.public_name
        return self.author_name or "Anonymous"

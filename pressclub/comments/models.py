"""Comments on pages (articles and standard pages), their flags, the site-wide comment policy,
e-mail opt-outs and the moderation audit log."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from pressclub.core.models import CommentAccess, CommentModeration, CommentState
from pressclub.members.names import display_name_clean
from pressclub.members.signals import FORMER_MEMBER_NAME

from .text import hide_email_addresses

ABUSE_WORDS_DIR = Path(__file__).resolve().parent / "abuse_words"


class CommentStatus(models.TextChoices):
    """Where a comment stands. Only APPROVED comments are ever counted, listed, fed or indexed."""

    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed (content removed at the source)"


class HoldReason(models.TextChoices):
    """Why a comment waits for a moderator (or for its author's e-mail confirmation).

    A comment may be held for several reasons at once; each is stored as its value (with an
    optional detail: the abuse word, the link count, the number of flags) in ``Comment.holds``.
    """

    EMAIL_UNCONFIRMED = "email_unconfirmed", "e-mail address not confirmed"
    EVERY_COMMENT = "every_comment", "every comment is moderated"
    FIRST_COMMENT = "first_comment", "first comment"
    OLD_STORY = "old_story", "story older than the moderation limit"
    ABUSE_WORD = "abuse_word", "abuse word"
    TOO_MANY_LINKS = "too_many_links", "too many links"
    FLAGGED = "flagged", "flagged by members"
    IMPORTED = "imported", "hidden at the source"
    OTHER = "other", "other reason"


@dataclass(frozen=True)
class Hold:
    """One reason a comment is held: a :class:`HoldReason` and its detail ("" when it has none).

    ``detail`` is plain text for the moderator: the abuse word found, "3 (the limit is 2)" for
    links, the number of flags, what the imported system said.
    """

    reason: HoldReason
    detail: str = ""

    @property
    def text(self) -> str:
        """Return the reason as a moderator reads it: "abuse word: moron", "flagged by 3 members"."""
        label = HoldReason(self.reason).label
        if not self.detail:
            return label
        if self.reason == HoldReason.FLAGGED:
            return f"flagged by {self.detail} members"
        return f"{label}: {self.detail}"

    def as_json(self) -> dict:
        """Return the reason as stored in ``Comment.holds``: ``{"reason": value, "detail": text}``."""
        return {"reason": str(self.reason), "detail": self.detail} if self.detail else {"reason": str(self.reason)}


def holds_from_json(value) -> tuple[Hold, ...]:
    """Return the :class:`Hold` tuple stored in a ``Comment.holds`` value (a list of dicts).

    An entry naming no known reason (written by hand, or by a newer version) is read as
    ``HoldReason.OTHER`` with the unknown value as its detail, so nothing is dropped.
    """
    out = []
    for item in value or ():
        reason, detail = (item.get("reason", ""), item.get("detail", "")) if isinstance(item, dict) else (item, "")
        if reason in HoldReason.values:
            out.append(Hold(HoldReason(reason), str(detail or "")))
        else:
            out.append(Hold(HoldReason.OTHER, str(detail or reason)))
    return tuple(out)


def holds_to_json(holds) -> list[dict]:
    """Return ``holds`` (Hold objects) as stored in ``Comment.holds``."""
    return [hold.as_json() for hold in holds]


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
    idempotent; ``source_fingerprint`` is a hash of what the import read for it (HTML, name,
    address, time), so importing it again skips cleaning it when nothing changed.
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
    holds = models.JSONField(
        default=list, blank=True,
        help_text='Why the comment is held: a list of {"reason": <HoldReason value>, "detail": text}.',
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False, help_text="Deleted by its author; a placeholder stays for replies.")
    flag_count = models.PositiveIntegerField(default=0)
    ip_hash = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True, db_index=True)
    notify_on_reply = models.BooleanField(default=False)
    source_id = models.CharField(max_length=255, blank=True, db_index=True)
    source_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()
    # Wagtail's reference index records what content uses a page, image or document; a comment is
    # not content, and indexing it cost each comment five queries (a queued task in production)
    # and listed every comment under its page's and author's "Usage".
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["page", "status", "created_at"]),
            # The site's comment feed: the newest shown comments (status and is_deleted equal),
            # read backwards from this index instead of sorting every approved comment. Not a
            # partial index: SQLite's planner cannot match one against bound parameters.
            models.Index(fields=["status", "is_deleted", "created_at", "id"], name="comment_shown_newest"),
            # The flood limits count a person's and an address's comments of the last hour.
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["ip_hash", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"], condition=~models.Q(source_id=""), name="unique_comment_source_id"
            ),
            # A double click or a re-sent form must not create a second comment, even when both
            # requests race past the lookup in comment_submit.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_comment_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} by {self.display_name} on page {self.page_id}"

    @property
    def display_name(self) -> str:
        """Return the name shown with the comment ("Anonymous", translated, when none is known).

        A guest's or an imported commenter's name never went through the sign-up form's checks, so
        it is cleaned here as a member's is (``members.names.display_name_clean``): no bidirectional
        overrides or other invisible characters reach a page, a feed or an e-mail.
        """
        if self.user_id and self.user is not None:
            name = self.user.public_name
        else:
            name = display_name_clean(self.author_name)
            if name == FORMER_MEMBER_NAME:  # kept in English; shown in the reader's language
                name = gettext(FORMER_MEMBER_NAME)
        return name or gettext("Anonymous")

    display_name.fget.short_description = "author"  # the moderation queue's column heading

    @property
    def public_html(self) -> str:
        """Return ``body_html`` as readers see it: e-mail addresses masked (see
        :func:`~pressclub.comments.text.hide_email_addresses`). Editors see ``body_html``."""
        return hide_email_addresses(self.body_html)

    @property
    def public_text(self) -> str:
        """Return ``body`` (plain text) with e-mail addresses masked, for e-mails to other readers."""
        return hide_email_addresses(self.body)

    @property
    def hold_reasons(self) -> tuple[Hold, ...]:
        """Return why the comment is held, as :class:`Hold` objects (empty when it is not)."""
        return holds_from_json(self.holds)

    @property
    def hold_text(self) -> str:
        """Return the hold reasons as moderators read them, joined by "; " (for display only)."""
        return "; ".join(hold.text for hold in self.hold_reasons)

    def is_held_for(self, reason: HoldReason) -> bool:
        """Return True if ``reason`` is among the comment's hold reasons."""
        return any(hold.reason == reason for hold in self.hold_reasons)

    def get_absolute_url(self) -> str:
        """Return the comment's permalink: its page's URL with the fragment ``#comment-<id>``, and
        ``?comments=<n>`` when the thread is split and the comment shows on page n > 1 (one query;
        see :func:`pressclub.comments.thread.comment_link`)."""
        from .thread import comment_link

        return comment_link(self.page.url, self)


class CommentFlag(models.Model):
    """A member's report that a comment breaks the rules; one per member and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_flags")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    wagtail_reference_index_ignore = True  # a record of a reader's report, not content (see Comment)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="unique_comment_flag_per_user")]

    def __str__(self):
        return f"Flag on comment {self.comment_id} by user {self.user_id}"


class NotificationKind(models.TextChoices):
    """The kinds of comment e-mail a person can stop."""

    REPLIES = "replies", "Replies to my comments"
    MODERATION = "moderation", "Comments waiting for moderation"
    ALL = "all", "Every e-mail about comments"


class NotificationOptOut(models.Model):
    """An address that asked, through an unsubscribe link, to stop one kind of comment e-mail.

    Reply notifications also honour the account's own ``notify_replies`` preference; this row
    records one-click unsubscribes, which work without logging in.
    """

    email = models.EmailField()
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="unique_notification_opt_out")]

    def __str__(self):
        return f"{self.email} stops {self.kind}"


def starter_abuse_words() -> str:
    """Return the starter abuse-word lists (English, Nepali, Hindi, Bengali) as one text, a term a line.

    Read from ``abuse_words/<lang>.txt`` beside this module; lines starting with "#" are left out.
    """
    lines = []
    for lang in ("en", "ne", "hi", "bn"):
        path = ABUSE_WORDS_DIR / f"{lang}.txt"
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    lines.append(line.strip())
    return "\n".join(lines)


@register_setting(icon="comment")
class CommentPolicySettings(BaseSiteSetting):
    """The site-wide comment policy (DESIGN.md, "The comment policy"), editable in the admin.

    Articles and standard pages may override ``access``, ``moderation`` and ``state`` with their
    own ``comment_*`` fields; :func:`pressclub.comments.policy.comment_permission` combines both.
    """

    access = models.CharField(
        "who may comment", max_length=16, choices=CommentAccess.choices, default=CommentAccess.MEMBERS
    )
    moderation = models.CharField(
        "hold comments for moderation",
        max_length=16,
        choices=CommentModeration.choices,
        default=CommentModeration.NEVER,
    )
    moderation_days = models.PositiveIntegerField(
        "N days (moderation)",
        default=14,
        help_text="With \"On stories older than N days\": comments on stories published longer ago are held.",
    )
    state = models.CharField("comments", max_length=16, choices=CommentState.choices, default=CommentState.OPEN)
    auto_close_days = models.PositiveIntegerField(
        "close comments after N days",
        default=0,
        help_text="Close comments this many days after a story is first published (0: never).",
    )
    flag_threshold = models.PositiveIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="A comment flagged by this many members is hidden until a moderator reviews it.",
    )
    max_links = models.PositiveIntegerField(
        default=2, help_text="A comment with more links than this is held for moderation."
    )
    rate_per_minute = models.PositiveIntegerField(
        "comments per minute",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Per account, over a sliding window. One network address may post 50 times as many.",
    )
    rate_per_hour = models.PositiveIntegerField(
        "comments per hour",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text="Per account, over a sliding window. One network address may post 50 times as many.",
    )
    abuse_words = models.TextField(
        "abuse word list",
        blank=True,
        default=starter_abuse_words,
        help_text=(
            "One word or phrase a line, any script; case is ignored. End a line with * to match words "
            "starting with it. A comment containing one is held for moderation, not dropped."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("access"), FieldPanel("state"), FieldPanel("auto_close_days")], heading="Who and when"
        ),
        MultiFieldPanel([FieldPanel("moderation"), FieldPanel("moderation_days")], heading="Moderation"),
        MultiFieldPanel(
            [
                FieldPanel("flag_threshold"),
                FieldPanel("max_links"),
                FieldPanel("rate_per_minute"),
                FieldPanel("rate_per_hour"),
                FieldPanel("abuse_words"),
            ],
            heading="Anti-abuse",
        ),
    ]

    class Meta:
        verbose_name = "comment policy"


from .models_audit import ModerationAction, ModerationChannel, ModerationVerb  # noqa: E402,F401  (the audit log)

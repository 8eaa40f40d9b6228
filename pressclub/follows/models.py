"""Followers (one per e-mail address) and what each follows: the whole site, a section, a label or an author."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How often a follower gets a digest."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class FollowKind(models.TextChoices):
    """What a follow is of."""

    SITE = "site", _("Everything")
    SECTION = "section", _("Section")
    LABEL = "label", _("Label")
    AUTHOR = "author", _("Author")


class FollowerQuerySet(models.QuerySet):
    """Queries over followers."""

    def active(self):
        """Return followers who confirmed at least one follow and did not unsubscribe since."""
        return self.filter(unsubscribed_at=None, follows__confirmed_at__isnull=False).distinct()

    def with_digest(self, frequency: str):
        """Return the active followers with at least one confirmed follow of ``frequency`` ("daily",
        "weekly")."""
        return self.filter(
            unsubscribed_at=None, follows__confirmed_at__isnull=False, follows__frequency=frequency
        ).distinct()


class Follower(models.Model):
    """An e-mail address that follows something on the site (a member's or anyone's).

    ``email`` is normalised (``members.addresses.email_normalise``). ``language`` is the interface
    language its mails and its confirm, manage and unsubscribe pages are written in (the reader's
    language when they first asked, changed only by confirming a follow asked with a language chosen
    explicitly: the account's or the language buttons'). How often each topic comes is the follow's own
    (``Follow.frequency``). ``unsubscribed_at`` is set by the one-click unsubscribe, which also
    removes every follow. ``breaking``: the follower also gets a story the moment an editor marks it
    breaking news.
    """

    email = models.EmailField(max_length=254, unique=True)
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    breaking = models.BooleanField(default=False, help_text=_("Also mail breaking news at once."))
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self) -> str:
        return self.email


class Follow(models.Model):
    """One thing a follower follows; counted only once ``confirmed_at`` is set (double opt-in).

    ``frequency``: the digest (daily or weekly) its stories go into; an address gets one mail per
    digest run with the stories of all its follows of that frequency. Stories first published after
    ``digest_since`` go into the next digest; ``last_period`` is the period ("2026-12-06" daily,
    "2026-W49" weekly) of the last digest that carried this follow, so a period is never sent twice.
    ``request_id``: the pending request to follow (or to change the frequency), a hex UUID its
    confirmation link carries; "" when none is pending, so a link confirms once.
    ``confirmed_request_id``: the request confirmed last ("" before any, or for a follow confirmed
    before requests were kept), so an older link can tell it was replaced, not used.
    """

    follower = models.ForeignKey(Follower, related_name="follows", on_delete=models.CASCADE)
    kind = models.CharField(max_length=8, choices=FollowKind.choices)
    section = models.ForeignKey("news.SectionPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey("news.Label", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("people.Author", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.DAILY)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    digest_since = models.DateTimeField(null=True, blank=True)
    last_period = models.CharField(max_length=10, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    confirmed_request_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["follower", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["follower"], condition=Q(kind="site"), name="follow_site_once"),
            models.UniqueConstraint(fields=["follower", "section"], condition=Q(kind="section"), name="follow_section_once"),
            models.UniqueConstraint(fields=["follower", "label"], condition=Q(kind="label"), name="follow_label_once"),
            models.UniqueConstraint(fields=["follower", "author"], condition=Q(kind="author"), name="follow_author_once"),
        ]

    def __str__(self) -> str:
        return f"{self.follower.email} → {self.target_name}"

    @property
    def target_name(self) -> str:
        """Return what is followed, as the reader sees it: "Everything", "Local", "elections", "Asha Gurung"."""
        target = {"section": self.section, "label": self.label, "author": self.author}.get(self.kind)
        if target is None:
            return str(FollowKind.SITE.label)
        return getattr(target, "title", None) or getattr(target, "name", "")

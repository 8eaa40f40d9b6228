"""Accounts and membership: the user model (one account per e-mail address, case-insensitively),
a reader's membership of the club and editors' invitations."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from .addresses import email_normalise
from .names import display_name_clean


class UserManager(BaseUserManager):
    """Manager that normalises e-mail addresses, the login of every account (``addresses``)."""

    use_in_migrations = True

    def normalize_email(self, email):
        """Return ``email`` normalised (IDNA domain, lower case); one the rules refuse only lower-cased."""
        try:
            return email_normalise(email)
        except ValidationError:
            return (email or "").strip().lower()  # the model's EmailField refuses it on validation

    def get_by_natural_key(self, email):
        return self.get(email__iexact=self.normalize_email(email))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        """Create a reader account; ``email`` is stored lowercased. Raise ValueError when it is empty."""
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """Create an administrator account."""
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A reader account. The e-mail address is the login and is unique whatever its case.

    ``display_name`` is what comments show; it falls back to the part of the address before "@"
    only inside the admin, never publicly (see :meth:`public_name`).
    """

    username = None
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=80, blank=True, help_text="Shown with your comments.")
    bio = models.TextField(blank=True, max_length=1000)
    notify_replies = models.BooleanField(
        "e-mail me replies to my comments",
        default=True,
        help_text="The default for new comments; each comment can still be changed.",
    )
    language = models.CharField(
        max_length=8, blank=True, default="", choices=settings.LANGUAGES,
        help_text="The language of the site and of our e-mails to you (empty: the site's default).",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    # createsuperuser asks for it (pressclub/members/management/commands/createsuperuser.py).
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = "user"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()

    def get_full_name(self) -> str:
        """Return the display name, else first and last name: what the admin shows for the account."""
        return self.display_name or super().get_full_name()

    @property
    def public_name(self) -> str:
        """Return the name shown publicly: the display name, else the full name, else "".

        Sign-up asks for a display name, so only accounts made otherwise (``createsuperuser``, older
        accounts) can have none; pages then say "Your profile" or ask for a name, never a placeholder.
        Cleaned again here (``names.display_name_clean``) for names set outside the forms (the admin,
        older accounts): no bidirectional override reaches a page.
        """
        return display_name_clean(self.get_full_name())


class MembershipStatus(models.TextChoices):
    """Where a reader stands with the club; ``members.permissions`` turns it into what they may do."""

    REQUESTED = "requested", "Requested"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    SUSPENDED = "suspended", "Suspended"
    BANNED = "banned", "Banned"


class MembershipQuerySet(models.QuerySet):
    """Queries over memberships."""

    def requested(self):
        """Return memberships waiting for an editor's decision, oldest request first."""
        return self.filter(status=MembershipStatus.REQUESTED).order_by("requested_at", "pk")


class Membership(models.Model):
    """A reader's standing in the club: asked to join, admitted, declined, suspended or banned.

    One row per account. Editors change it only through ``members.services``; the last decision
    (who, when, why) is kept on the row, and ``suspended_until`` is empty for an open-ended
    suspension. Staff, editors, reporters, moderators and linked authors are members without a row
    (see ``members.permissions``).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    status = models.CharField(
        max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.REQUESTED
    )
    request_note = models.TextField(
        "note", blank=True, max_length=1000, help_text="Why the reader would like to join (optional)."
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=1000, help_text="Given to the reader in the e-mail.")
    suspended_until = models.DateTimeField(null=True, blank=True)
    invitation = models.ForeignKey(
        "Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"])]
        permissions = [
            ("decide_membership", "Can admit, decline, suspend and ban members, and invite people")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_status_display().lower()})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + dt.timedelta(days=settings.PRESSCLUB_INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    """Queries over invitations."""

    def pending(self):
        """Return invitations neither accepted nor expired."""
        return self.filter(accepted_at__isnull=True, expires__gt=timezone.now())


class Invitation(models.Model):
    """An editor's invitation to join: a link with a secret token, valid until ``expires``.

    Accepting it (``members.services.invitation_accept``) makes the account that verifies
    ``email`` an active member.
    """

    email = models.EmailField("e-mail address")
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(
        blank=True, max_length=1000, help_text="A personal line for the e-mail (optional)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.email

    @property
    def is_usable(self) -> bool:
        """Return True while the invitation is neither accepted nor expired."""
        return self.accepted_at is None and self.expires > timezone.now()

    def get_absolute_url(self):
        return reverse("members:invitation_accept", kwargs={"token": self.token})

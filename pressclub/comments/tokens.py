"""Every signed value the comments app hands out: the links in its e-mails and the form's clock.

All are signed with the site's ``SECRET_KEY`` through :mod:`django.core.signing`, each with its own
salt so a token made for one purpose is refused by every other:

- the moderator's "Approve" link (:func:`moderation_token`, valid ``PRESSCLUB_MODERATION_LINK_MAX_AGE``
  seconds, 7 days by default); opening it shows a confirm page and only a POST by a logged-in
  moderator approves, so a mail scanner that follows links never decides anything;
- an anonymous commenter's "Confirm your address" link (:func:`confirm_token`, 7 days);
- the one-click unsubscribe link of every e-mail (:func:`unsubscribe_token`, no expiry);
- the comment form's hidden "shown at" value (:func:`started_token`), against bots that post at once.

A reader of a link token raises :class:`LinkError`, whose ``message`` is shown to the person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pressclub.core import links
from pressclub.core.links import LinkError, absolute_url, signed_load

SALT = "pressclub.comments.moderation-link"
CONFIRM_SALT = "pressclub.comments.confirm-email"
STARTED_SALT = "pressclub.comments.form-started"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds
APPROVE = "approve"


# --- the moderator's approve link ----------------------------------------------------------------


@dataclass(frozen=True)
class ModerationLink:
    """What a valid moderation token says: which comment, which action."""

    comment_id: int
    action: str


def link_max_age() -> dt.timedelta:
    """Return how long a moderation link stays valid (``PRESSCLUB_MODERATION_LINK_MAX_AGE``, seconds)."""
    return dt.timedelta(seconds=settings.PRESSCLUB_MODERATION_LINK_MAX_AGE)


def moderation_token(comment, action: str = APPROVE) -> str:
    """Return the signed, URL-safe token for ``action`` on ``comment`` (a Comment or its id)."""
    comment_id = getattr(comment, "pk", comment)
    return signing.dumps({"c": int(comment_id), "a": action}, salt=SALT, compress=False)


def moderation_token_read(token: str) -> ModerationLink:
    """Return the comment id and action a moderation token names.

    Raise LinkError with a reader-facing message when the signature does not match (tampered or
    cut short), when the token is older than :func:`link_max_age`, or when its payload is not one
    this module writes.
    """
    data = signed_load(
        token, salt=SALT, max_age=link_max_age(),
        expired=_("This approval link has expired. Open the moderation queue to review the comment."),
        invalid=_("This approval link is not valid: it may have been cut short or changed. "
                  "Open the moderation queue to review the comment."),
    )  # fmt: skip
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or data.get("a") != APPROVE:
        raise LinkError(_("This approval link does not name a comment."))
    return ModerationLink(comment_id=data["c"], action=data["a"])


def moderation_approve_url(comment) -> str:
    """Return the absolute URL of the confirm page that approves ``comment``.

    Built on ``WAGTAILADMIN_BASE_URL`` (e.g. ``https://news.example.org``) because it goes out by
    e-mail, where no request tells us the host. Example:
    ``https://news.example.org/admin/comments/approve/eyJjIjo0MiwiYSI6ImFwcHJvdmUifQ:1vP…:Xy…/``.
    """
    path = reverse("comments_moderation:approve_link", args=[moderation_token(comment, APPROVE)])
    return absolute_url(path, admin=True)


# --- unsubscribe and confirm links ---------------------------------------------------------------


def unsubscribe_token(*, email: str, kind: str) -> str:
    """Return the signed token that stops ``kind`` (a NotificationKind) e-mail to ``email``; no expiry."""
    return links.unsubscribe_token(email=email, kind=kind)


def unsubscribe_token_read(token: str) -> tuple[str, str]:
    """Return (email, kind) from an unsubscribe token; raise LinkError when it is not one of ours."""
    from .models import NotificationKind

    return links.unsubscribe_token_read(token, kinds=NotificationKind.values)


def confirm_token(comment) -> str:
    """Return the signed token of the link that confirms an anonymous comment's e-mail address."""
    return signing.dumps({"c": comment.pk, "e": comment.author_email.lower()}, salt=CONFIRM_SALT)


def confirm_token_read(token: str):
    """Return the Comment a confirmation token names; raise LinkError (expired, altered, gone)."""
    from .models import Comment

    data = signed_load(
        token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE,
        expired=_("This confirmation link has expired (links last 7 days). Post your comment again."),
        invalid=_("This confirmation link is not valid: it may have been cut short or changed."),
    )  # fmt: skip
    if not isinstance(data, dict):
        raise LinkError(_("This confirmation link is not valid."))
    comment = Comment.objects.select_related("page").filter(pk=data.get("c")).first()
    if comment is None or comment.author_email.lower() != data.get("e"):
        raise LinkError(_("The comment this link confirms no longer exists."))
    return comment


# --- the form's clock ------------------------------------------------------------------------------


def started_token(now: dt.datetime | None = None) -> str:
    """Return the signed "form shown at" value for the form's hidden ``started`` field (Unix seconds)."""
    return signing.dumps(int((now or timezone.now()).timestamp()), salt=STARTED_SALT)


def started_read(token: str) -> dt.datetime:
    """Return when the form was shown; an altered or missing value counts as "just now"."""
    try:
        return dt.datetime.fromtimestamp(int(signing.loads(token or "", salt=STARTED_SALT)), tz=dt.UTC)
    except (signing.BadSignature, TypeError, ValueError, OverflowError):
        return timezone.now()

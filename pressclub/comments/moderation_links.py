"""Signed links that let a moderator approve a held comment from the moderation e-mail.

A link carries the comment's id and the action, signed with the site's ``SECRET_KEY``
(:mod:`django.core.signing`) and valid for ``PRESSCLUB_MODERATION_LINK_MAX_AGE`` seconds (7 days
by default). Opening it shows a confirm page; only a POST by a logged-in moderator approves, so a
mail scanner that follows links never decides anything.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from pressclub.core.links import absolute_url

SALT = "pressclub.comments.moderation-link"
APPROVE = "approve"


class ModerationLinkError(Exception):
    """The link is not one we issued (tampered, truncated), has expired, or names no comment."""


@dataclass(frozen=True)
class ModerationLink:
    """What a valid token says: which comment, which action."""

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
    """Return the comment id and action a token names.

    Raise ModerationLinkError with a reader-facing message when the signature does not match
    (tampered or cut short), when the token is older than :func:`link_max_age`, or when its
    payload is not one this module writes.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        raise ModerationLinkError(
            "This approval link has expired. Open the moderation queue to review the comment."
        )
    except signing.BadSignature:
        raise ModerationLinkError(
            "This approval link is not valid: it may have been cut short or changed. "
            "Open the moderation queue to review the comment."
        )
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or data.get("a") != APPROVE:
        raise ModerationLinkError("This approval link does not name a comment.")
    return ModerationLink(comment_id=data["c"], action=data["a"])


def moderation_approve_url(comment) -> str:
    """Return the absolute URL of the confirm page that approves ``comment``.

    Built on ``WAGTAILADMIN_BASE_URL`` (e.g. ``https://news.example.org``) because it goes out by
    e-mail, where no request tells us the host. Example:
    ``https://news.example.org/admin/comments/approve/eyJjIjo0MiwiYSI6ImFwcHJvdmUifQ:1vP…:Xy…/``.
    """
    path = reverse("comments_moderation:approve_link", args=[moderation_token(comment, APPROVE)])
    return absolute_url(path, admin=True)

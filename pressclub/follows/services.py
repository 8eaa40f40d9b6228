"""Writes of the follows app: asking to follow, confirming, stopping, unsubscribing.

Every e-mail leaves through the outbox from a task (``tasks.py``), never inside the request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from pressclub.core import ratelimit
from pressclub.core.links import LinkError
from pressclub.members.addresses import email_normalise

from .models import Follow, Follower, FollowKind, Frequency

CONFIRM_SALT = "pressclub.follows.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds


@dataclass(frozen=True)
class Topic:
    """What a reader asks to follow: ``kind`` and, unless it is the whole site, the object."""

    kind: str
    target: object | None = None

    @property
    def field(self) -> str | None:
        """Return the Follow field that holds the target ("section", "label", "author"), or None."""
        return None if self.kind == FollowKind.SITE else self.kind

    def lookup(self) -> dict:
        """Return the Follow filter for this topic, e.g. ``{"kind": "label", "label": <Label>}``."""
        return {"kind": self.kind, **({self.field: self.target} if self.field else {})}


def confirm_token(*, follow: Follow, frequency: str, language: str, breaking: bool = False) -> str:
    """Return the signed token of the link confirming ``follow`` (valid 7 days), carrying the
    frequency, language and breaking-news choice asked for, which take effect on confirmation."""
    payload = {"f": follow.pk, "e": follow.follower.email, "q": frequency, "l": language, "b": int(breaking)}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=False)


def confirm_token_read(token: str) -> tuple[Follow, str, str, bool]:
    """Return (follow, frequency, language, breaking) from a confirmation token.

    Raise LinkError (message for the reader) when the token is altered, older than 7 days, or names
    a follow that no longer exists (the address unsubscribed meanwhile).
    """
    from django.utils.translation import gettext as _

    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkError(_("This confirmation link has expired (links last 7 days). Ask to follow again."))
    except signing.BadSignature:
        raise LinkError(_("This confirmation link is not valid: it may have been cut short or changed."))
    if not isinstance(data, dict) or data.get("q") not in Frequency.values:
        raise LinkError(_("This confirmation link is not valid."))
    follow = Follow.objects.select_related("follower").filter(pk=data.get("f"), follower__email=data.get("e")).first()
    if follow is None:
        raise LinkError(_("What this link confirms no longer exists. Ask to follow again."))
    return follow, data["q"], str(data.get("l") or settings.LANGUAGE_CODE)[:8], bool(data.get("b"))


@transaction.atomic
def follow_request(*, email: str, topic: Topic, frequency: str, language: str | None = None,
                   confirmed_address: bool = False, breaking: bool = False) -> Follow:
    """Record that ``email`` asks to follow ``topic`` and mail it the confirmation link.

    ``email`` is normalised; ``language`` defaults to the active one (``get_language()``).
    With ``confirmed_address`` (a signed-in member's own verified address) the follow is confirmed
    at once and no mail goes. Otherwise a confirmation mail is queued for after the commit, at most
    ``PRESSCLUB_FOLLOW_MAIL_LIMITS`` per address (past that nothing is sent, silently: the answer to
    the reader must not differ). An address that already follows gets the same mail, so the answer
    never tells whether it did. Return the Follow (new or existing).
    """
    email = email_normalise(email)
    language = (language or get_language() or settings.LANGUAGE_CODE)[:8]
    follower, _created = Follower.objects.get_or_create(
        email=email, defaults={"language": language, "frequency": frequency}
    )
    follow, _created = Follow.objects.get_or_create(follower=follower, **topic.lookup())
    if confirmed_address:
        return follow_confirm(follow=follow, frequency=frequency, language=language, breaking=breaking)
    if ratelimit.consume_key(email, scope="follow_mail", rates=settings.PRESSCLUB_FOLLOW_MAIL_LIMITS) == 0:
        from .tasks import send_follow_confirmation

        token = confirm_token(follow=follow, frequency=frequency, language=language, breaking=breaking)
        key = f"follows:confirm:{follow.pk}:{uuid.uuid4().hex}"  # one mail per request, even if the task runs twice
        transaction.on_commit(lambda: send_follow_confirmation.enqueue(follow.pk, token, key), robust=True)
    return follow


@transaction.atomic
def follow_confirm(*, follow: Follow, frequency: str, language: str, breaking: bool = False) -> Follow:
    """Confirm ``follow`` and set its follower's digest frequency, language and breaking-news choice;
    return the follow.

    A follower confirming for the first time, or again after unsubscribing, gets stories published
    from now on (``digest_since``), never the back catalogue.
    """
    now = timezone.now()
    follower = follow.follower
    if follower.unsubscribed_at is not None or follower.digest_since is None:
        follower.digest_since = now
    follower.unsubscribed_at = None
    follower.confirmed_at = follower.confirmed_at or now
    follower.frequency, follower.language, follower.breaking = frequency, language, breaking
    follower.save()
    if follow.confirmed_at is None:
        follow.confirmed_at = now
        follow.save(update_fields=["confirmed_at"])
    return follow


@transaction.atomic
def follower_unsubscribe(*, email: str) -> int:
    """Stop every digest to ``email``: remove its follows and mark it unsubscribed; return follows removed.

    Nothing more is sent to the address until it asks to follow again and confirms. An address that
    follows nothing returns 0.
    """
    follower = Follower.objects.filter(email=email.lower()).first()
    if follower is None:
        return 0
    removed, _ = follower.follows.all().delete()
    follower.unsubscribed_at = timezone.now()
    follower.save(update_fields=["unsubscribed_at"])
    return removed


def follow_stop(*, follow: Follow) -> None:
    """Stop one follow (a member's "Stop following" on their profile)."""
    follow.delete()


def follower_frequency_set(*, follower: Follower, frequency: str) -> Follower:
    """Set how often ``follower`` gets a digest ("daily" or "weekly"); return it."""
    follower.frequency = frequency
    follower.save(update_fields=["frequency"])
    return follower

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
from pressclub.core.language import supported_language
from pressclub.core.links import LinkError, signed_load
from pressclub.members.addresses import email_normalise

from .models import Follow, Follower, FollowKind, Frequency

CONFIRM_SALT = "pressclub.follows.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds
MANAGE_SALT = "pressclub.follows.manage"
MANAGE_MAX_AGE = 60 * 24 * 3600  # seconds: a weekly digest's link still works weeks later


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


def confirm_token(*, follow: Follow, frequency: str, language: str | None, breaking: bool = False) -> str:
    """Return the signed token of the link confirming ``follow``'s pending request (valid 7 days),
    carrying the frequency, language and breaking-news choice asked for, which take effect on
    confirmation, and the request's id (``follow.request_id``), so the link confirms once.
    ``language`` None (the reader chose none) is carried as ``""``: confirming keeps the follower's."""
    payload = {"f": follow.pk, "e": follow.follower.email, "r": follow.request_id, "q": frequency, "l": language or "",
               "b": int(breaking)}  # fmt: skip
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=False)


def manage_token(*, email: str) -> str:
    """Return the signed token of the page where ``email`` manages what it follows (the digests'
    "Change what you follow" link), valid ``MANAGE_MAX_AGE`` (60 days) from signing.

    ``django.core.signing`` with a timestamp, e.g. ``"eyJlIjoi…:1vP…:Xy…"``.
    """
    return signing.dumps({"e": email.lower()}, salt=MANAGE_SALT, compress=False)


def manage_token_read(token: str) -> str:
    """Return the address a manage token names.

    Raise LinkError (message for the reader) when the token is altered or cut short, or older than
    ``MANAGE_MAX_AGE``.
    """
    from django.utils.translation import gettext as _

    data = signed_load(
        token, salt=MANAGE_SALT, max_age=MANAGE_MAX_AGE,
        expired=_("This link has expired (links last 60 days). Use the link in your latest digest."),
        invalid=_("This link is not valid: it may have been cut short or changed."),
    )  # fmt: skip
    if not isinstance(data, dict) or not data.get("e"):
        raise LinkError(_("This link is not valid: it may have been cut short or changed."))
    return str(data["e"])


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation link asks: ``follow`` at ``frequency``, mails in ``language`` (None: the
    reader chose no language, the follower keeps theirs), breaking news or not. ``state`` is "pending"
    (the link may confirm), "used" (it confirmed already, or the follow was confirmed since by another
    way), "superseded" (a newer request was made; its link counts) or "replaced" (a newer request was
    made and is confirmed)."""

    follow: Follow
    frequency: str
    language: str | None
    breaking: bool
    state: str
    request_id: str | None = None


def _link_state(follow: Follow, request_id: str | None) -> str:
    if request_id is not None and request_id == follow.request_id and request_id:
        return "pending"
    if follow.request_id:
        return "superseded"
    if request_id is None and follow.confirmed_at is None:  # a link sent before links carried their request
        return "pending"
    if request_id and follow.confirmed_request_id and request_id != follow.confirmed_request_id:
        return "replaced"
    return "used"


def confirm_token_read(token: str) -> Confirmation:
    """Return the Confirmation a token asks for.

    Raise LinkError (message for the reader) when the token is altered, older than 7 days, or names
    a follow that no longer exists (the address unsubscribed or stopped following meanwhile). A token
    without a request id (sent before links confirmed once) is pending while its follow is unconfirmed.
    """
    from django.utils.translation import gettext as _

    data = signed_load(
        token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE,
        expired=_("This confirmation link has expired (links last 7 days). Ask to follow again."),
        invalid=_("This confirmation link is not valid: it may have been cut short or changed."),
    )  # fmt: skip
    if not isinstance(data, dict) or data.get("q") not in Frequency.values:
        raise LinkError(_("This confirmation link is not valid."))
    follow = Follow.objects.select_related("follower").filter(pk=data.get("f"), follower__email=data.get("e")).first()
    if follow is None:
        raise LinkError(_("What this link confirms no longer exists. Ask to follow again."))
    request_id = data.get("r")
    request_id = str(request_id) if request_id is not None else None
    language = supported_language(str(data.get("l") or ""))
    return Confirmation(follow, data["q"], language, bool(data.get("b")), _link_state(follow, request_id), request_id)


@transaction.atomic
def confirmation_apply(*, confirmation: Confirmation) -> bool:
    """Confirm what a pending link asks (``follow_confirm``); return True.

    Return False and change nothing when the link is used or superseded, also when that happened
    after it was read (the follow is locked and its state read again: two presses confirm once).
    """
    if confirmation.state != "pending":
        return False
    follow = Follow.objects.select_for_update().select_related("follower").filter(pk=confirmation.follow.pk).first()
    if follow is None or _link_state(follow, confirmation.request_id) != "pending":
        return False
    follow_confirm(follow=follow, frequency=confirmation.frequency, language=confirmation.language,
                   breaking=confirmation.breaking)  # fmt: skip
    return True


@transaction.atomic
def follow_request(*, email: str, topic: Topic, frequency: str, language: str | None = None,
                   confirmed_address: bool = False, breaking: bool = False) -> Follow:
    """Record that ``email`` asks to follow ``topic`` at ``frequency`` and mail it the confirmation link.

    ``email`` is normalised. ``language`` is the reader's explicit choice (``core.language.chosen_language``:
    their account's or the language buttons'), which confirming makes the follower's; None when they
    chose none: a new follower then gets the active language (``get_language()``, from the browser or
    the site's default) and an existing one keeps its own.
    With ``confirmed_address`` (a signed-in member's own verified address) the follow is confirmed
    at once and no mail goes. Otherwise a confirmation mail is queued for after the commit, at most
    ``PRESSCLUB_FOLLOW_MAIL_LIMITS`` per address (past that nothing is sent, silently: the answer to
    the reader must not differ); such a request waits unconfirmed, and the page a confirmation link
    of the address opens once used offers to confirm it too (``follows_pending``). An address that already follows the topic gets the same mail (its
    link changes that topic's frequency), so the answer never tells whether it did. Each request gets
    a new ``request_id``: only the newest link of a follow confirms. Return the Follow (new or existing).
    """
    email = email_normalise(email)
    language = supported_language(language)
    default_language = (language or get_language() or settings.LANGUAGE_CODE)[:8]
    follower, _created = Follower.objects.get_or_create(email=email, defaults={"language": default_language})
    follow, _created = Follow.objects.get_or_create(follower=follower, **topic.lookup(),
                                                    defaults={"frequency": frequency})  # fmt: skip
    if confirmed_address:
        return follow_confirm(follow=follow, frequency=frequency, language=language, breaking=breaking)
    if ratelimit.consume_key(email, scope="follow_mail", rates=settings.PRESSCLUB_FOLLOW_MAIL_LIMITS) == 0:
        from .tasks import send_follow_confirmation

        follow.request_id = uuid.uuid4().hex
        follow.save(update_fields=["request_id"])
        token = confirm_token(follow=follow, frequency=frequency, language=language, breaking=breaking)
        key = f"follows:confirm:{follow.pk}:{follow.request_id}"  # one mail per request, even if the task runs twice
        transaction.on_commit(lambda: send_follow_confirmation.enqueue(follow.pk, token, key), robust=True)
    return follow


@transaction.atomic
def follow_confirm(*, follow: Follow, frequency: str, language: str | None, breaking: bool = False) -> Follow:
    """Confirm ``follow`` at ``frequency`` (its own; the address's other follows keep theirs), set its
    follower's language (unless ``language`` is None: no explicit choice), turn breaking news on if asked (never off: that is the manage page's), and
    end the pending request (its link then confirms nothing); return the follow.

    A follow confirmed for the first time gets stories published from now on (``digest_since``),
    never the back catalogue; one confirmed again at another frequency keeps its window.
    """
    now = timezone.now()
    follower = follow.follower
    follower.unsubscribed_at = None
    follower.confirmed_at = follower.confirmed_at or now
    follower.language = language or follower.language
    follower.breaking = follower.breaking or breaking
    follower.save(update_fields=["unsubscribed_at", "confirmed_at", "language", "breaking"])
    if follow.confirmed_at is None:
        follow.confirmed_at = now
        follow.digest_since = now
    if follow.request_id:  # the request this confirms: its older links then say they were replaced
        follow.confirmed_request_id = follow.request_id
    follow.frequency, follow.request_id = frequency, ""
    follow.save(update_fields=["confirmed_at", "digest_since", "frequency", "request_id", "confirmed_request_id"])
    return follow


def follows_pending(*, follower: Follower, exclude: Follow | None = None) -> list[Follow]:
    """Return ``follower``'s follows asked for and not yet confirmed (oldest first), but ``exclude``.

    A request past ``PRESSCLUB_FOLLOW_MAIL_LIMITS`` got no mail and waits here: the pages a valid
    confirmation link of the address opens list these (``follows_pending_confirm``), never a page
    a stranger can reach.
    """
    follows = follower.follows.filter(confirmed_at=None).select_related("section", "label", "author")
    if exclude is not None:
        follows = follows.exclude(pk=exclude.pk)
    return list(follows.order_by("pk"))


@transaction.atomic
def follows_pending_confirm(*, follower: Follower, language: str | None) -> list[Follow]:
    """Confirm every follow ``follower`` asked for and has not confirmed, each at the frequency asked
    when it was first requested (``Follow.frequency``); return them, oldest first.

    Only for a reader who proved they read the address's mail (a valid confirmation link of it).
    ``language`` as for ``follow_confirm``. Their pending links then confirm nothing.
    """
    pending = follower.follows.select_for_update(of=("self",)).filter(confirmed_at=None)
    follows = list(pending.select_related("section", "label", "author").order_by("pk"))
    for follow in follows:
        follow.follower = follower
        follow_confirm(follow=follow, frequency=follow.frequency, language=language)
    return follows


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
    """Stop one follow (from a member's profile or the manage page); the address's others go on."""
    follow.delete()


def follow_frequency_set(*, follow: Follow, frequency: str) -> Follow:
    """Set how often ``follow``'s stories come ("daily" or "weekly"); return it.

    Its window (``digest_since``) stays: stories not yet sent go into the next digest of the new
    frequency. Raise ValueError for another frequency.
    """
    if frequency not in Frequency.values:
        raise ValueError(f"Unknown digest frequency {frequency!r} (daily or weekly).")
    if follow.frequency != frequency:
        follow.frequency = frequency
        follow.save(update_fields=["frequency"])
    return follow


@transaction.atomic
def follower_choices_set(*, follower: Follower, frequencies: dict[int, str], breaking: bool) -> int:
    """Set how often each of ``follower``'s follows comes (``{follow id: "daily" | "weekly"}``; ids of
    other followers' follows are ignored) and whether it gets breaking news; return the follows changed.

    Raise ValueError for a frequency other than daily or weekly.
    """
    changed = 0
    for follow in follower.follows.filter(pk__in=list(frequencies)):
        if follow.frequency != frequencies[follow.pk]:
            follow_frequency_set(follow=follow, frequency=frequencies[follow.pk])
            changed += 1
    if follower.breaking != breaking:
        follower.breaking = breaking
        follower.save(update_fields=["breaking"])
    return changed

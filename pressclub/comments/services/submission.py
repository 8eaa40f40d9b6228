"""Posting a comment: the checks, the holds and the save (``comment_submit``), and the e-mail
confirmation of an anonymous comment (``comment_confirm_email``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressclub.core.compiled import CompiledQuery, datetime_value, exact, iexact, primary_key

from .. import signals
from ..models import Comment, CommentStatus, Hold, HoldReason, holds_to_json
from ..policy import CommentPolicy, comment_permission
from ..ratelimit import RateLimitHit, Windows, rate_limit_counts, rate_limit_hit, wait_phrase
from ..text import (
    MAX_BODY_CHARS,
    bidi_controls,
    count_links,
    find_abuse_word,
    normalize_body,
    only_invisible,
    render_body,
)

DUPLICATE_WINDOW = dt.timedelta(minutes=10)
MIN_SECONDS_TO_SUBMIT = 3
# The hold reason of each of the policy's moderation rules (by the decision's reason code).
POLICY_HOLDS = {
    "held_always": HoldReason.EVERY_COMMENT,
    "held_first": HoldReason.FIRST_COMMENT,
    "held_older_than": HoldReason.OLD_STORY,
}
CONFIRM_MESSAGE = gettext_lazy("Your comment will appear once you confirm your e-mail address with the link we sent you.")

_validate_web_url = URLValidator(schemes=["http", "https"])


class CommentRejected(Exception):
    """A comment (or an edit, flag or deletion) was refused; nothing was written.

    ``message`` is the sentence shown to the reader (plain text); ``code`` a stable word for code
    and tests: ``not_allowed`` codes from the policy (``login_required``, ``not_member``, ``closed``,
    ``banned``, …), ``empty``, ``too_long``, ``rate_limited``, ``honeypot``, ``too_fast``,
    ``duplicate``, ``bad_parent``, ``bad_name``, ``bad_email``, ``bad_url``, ``not_author``,
    ``edit_window``, ``already_flagged``, ``own_comment``, ``not_visible``, ``invisible``,
    ``bidi_controls``. ``retry_after`` (whole seconds) comes with ``rate_limited``.
    """

    def __init__(self, message: str, code: str, *, retry_after: int | None = None, comment=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after  # seconds until a rate-limited person may post again
        self.comment = comment  # with ``duplicate``: the comment already posted, to link to


@dataclass(frozen=True)
class SubmitResult:
    """The outcome of :func:`comment_submit`.

    ``comment`` is the saved comment (the first one when the form was sent twice); ``created`` is
    False for such a repeat; ``held`` says the comment waits (``message`` tells the author why).
    """

    comment: Comment
    created: bool
    held: bool
    message: str = ""


def ip_hash(ip: str | None) -> str:
    """Return the keyed HMAC-SHA256 (64 hex digits) of an IP address, or "" when there is none.

    The key is ``settings.PRESSCLUB_IP_HASH_KEY``, or ``SECRET_KEY`` when that is empty, so the
    stored value cannot be turned back into the address by hashing all addresses.
    """
    if not ip:
        return ""
    key = (settings.PRESSCLUB_IP_HASH_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, ip.strip().encode(), hashlib.sha256).hexdigest()


def _earlier_and_same(*, stored_key: str, page, parent, body: str, user, author_email: str, now):
    """Return ``(earlier, same)`` in one query: the comment already stored for this form (same
    person, same one-time token), and this person's newest comment with the same text (``body``,
    normalised) on the same page and parent posted within ``DUPLICATE_WINDOW``; each or both None.
    A person is the account, or without one the e-mail address."""
    same = _same_q(page_id=page.pk, parent_id=parent.pk if parent is not None else None, body=normalize_body(body),
                   since=now - DUPLICATE_WINDOW, person=_person_q(user=user, author_email=author_email))
    # The same person's identical comments in ten minutes are few: a second one is refused as a duplicate.
    rows = list(Comment.objects.filter(same | Q(idempotency_key=stored_key) if stored_key else same)
                .order_by("-created_at", "-pk"))
    earlier = next((row for row in rows if stored_key and row.idempotency_key == stored_key), None)
    return earlier, next((row for row in rows if row is not earlier), None)


def _person_q(*, user, author_email: str) -> Q:
    # A person is the account, or without one the e-mail address.
    if _authenticated(user):
        return Q(user_id=user.pk)
    return Q(user=None, author_email__iexact=(author_email or "").strip())


def _same_q(*, page_id, parent_id, body: str, since, person: Q) -> Q:
    return Q(page_id=page_id, parent_id=parent_id, body=body, created_at__gte=since) & person


def _sent_queryset(_shape, *, page_id, body, duplicate_since, now, minute_start, hour_start, user_id=None, author_email=None,
                   stored_key=None, parent_id=None, hashed_ip=None):
    # One row: whether this form's comment is stored (earlier), whether the same text is (same),
    # and the flood counts (ratelimit.rate_limit_counts). The ``values("_row")`` on a constant
    # groups nothing: the counts are over every row selected, as aggregate() gives them.
    person = Q(user_id=user_id) if user_id is not None else Q(user=None, author_email__iexact=author_email)
    same = _same_q(page_id=page_id, parent_id=parent_id, body=body, since=duplicate_since, person=person)
    where, counts = rate_limit_counts(person=person, hashed_ip=hashed_ip or "",
                                      windows=Windows(now, minute_start, hour_start))
    where = same if where is None else where | same
    counts["same"] = Count("pk", filter=same)
    if stored_key is not None:
        where |= Q(idempotency_key=stored_key)
        counts["earlier"] = Count("pk", filter=Q(idempotency_key=stored_key))
    return (Comment.objects.filter(where).order_by().annotate(_row=Value(1)).values("_row")
            .annotate(**counts).values(*counts))


# The stand-ins of _sent_queryset's values; each set of values given (an account or an address,
# a token, a parent, a network address) compiles its own query, once per process (core.compiled).
_SENT_SLOTS = {
    "user_id": primary_key(0),
    "author_email": iexact("stand-in-1@example.invalid", "stand-in-2@example.invalid"),
    "stored_key": exact("~stored-key-1~", "~stored-key-2~"),
    "page_id": primary_key(1),
    "parent_id": primary_key(2),
    "body": exact("~body-1~", "~body-2~"),
    "hashed_ip": exact("~address-1~", "~address-2~"),
    "duplicate_since": datetime_value(1),
    "now": datetime_value(2),
    "minute_start": datetime_value(3),
    "hour_start": datetime_value(4),
}
_sent_queries: dict[tuple, CompiledQuery] = {}


@dataclass(frozen=True)
class _Sent:
    earlier: bool  # a comment is stored with this form's token
    same: bool  # the person's same text on the same page and parent, within DUPLICATE_WINDOW
    counts: dict  # the flood counts, by the names of ratelimit.rate_limit_counts


def _sent_before(*, stored_key: str, page, parent, body: str, user, author_email: str, hashed_ip: str, now) -> _Sent:
    """Ask in one query what ``comment_submit`` must know of the comments stored already: whether
    this form's comment is (:func:`_earlier_and_same` then reads it), whether the same text is,
    and how many the person and the address posted in the flood windows ending at ``now``."""
    windows = Windows.ending(now)
    values = {"page_id": page.pk, "body": normalize_body(body), "duplicate_since": now - DUPLICATE_WINDOW,
              "now": windows.now, "minute_start": windows.minute_start, "hour_start": windows.hour_start}
    if _authenticated(user):
        values["user_id"] = user.pk
    else:
        values["author_email"] = (author_email or "").strip()
    if stored_key:
        values["stored_key"] = stored_key
    if parent is not None:
        values["parent_id"] = parent.pk
    if hashed_ip:
        values["hashed_ip"] = hashed_ip
    names = tuple(sorted(values))
    query = _sent_queries.get(names)
    if query is None:
        query = _sent_queries[names] = CompiledQuery(_sent_queryset, model=Comment,
                                                     slots={name: _SENT_SLOTS[name] for name in names})
    rows = query.rows(**values)
    row = rows[0] if rows else {}  # (no row at all, were the constant ever grouped on: nothing counted)
    counts = {name: row.get(name, 0) for name in ("account_hour", "account_minute", "address_hour", "address_minute")}
    return _Sent(earlier=bool(row.get("earlier")), same=bool(row.get("same")), counts=counts)


def _stored_idempotency_key(key: str, *, user, hashed_ip: str) -> str:
    # The form's token is scoped to the person, so a token seen by two readers (a cached page)
    # never lands one reader on another's comment.
    if not key:
        return ""
    scope = f"user:{user.pk}" if _authenticated(user) else f"ip:{hashed_ip}"
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()


def _earlier(stored_key: str) -> Comment | None:
    # The comment already stored for this form (same person, same one-time token), if any.
    return Comment.objects.filter(idempotency_key=stored_key).first() if stored_key else None


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _check_body(body: str) -> str:
    body = normalize_body(body)
    if not body:
        raise CommentRejected(_("Write something before posting: the comment is empty."), "empty")
    _check_visible(body, what="comment")
    if len(body) > MAX_BODY_CHARS:
        raise CommentRejected(
            f"Your comment is {len(body):,} characters long; the limit is {MAX_BODY_CHARS:,}. "
            "Shorten it and post again.",
            "too_long",
        )
    return body


def _check_visible(text: str, *, what: str) -> None:
    # Text a reader cannot see, or text that can be made to read backwards, is refused with why.
    if only_invisible(text):
        raise CommentRejected(
            f"Your {what} has no visible text: it is made only of invisible characters (such as "
            "zero-width spaces). Write something readers can see, then post again.",
            "invisible",
        )
    controls = bidi_controls(text)
    if controls:
        names = ", ".join(f"U+{ord(ch):04X}" for ch in controls)
        raise CommentRejected(
            f"Your {what} contains characters that reverse or isolate the direction of text ({names}), "
            "which can disguise what it says. Remove them and post again; your text is kept below.",
            "bidi_controls",
        )


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        _validate_web_url(url)
    except ValidationError:
        raise CommentRejected(_("The website must be an address starting with http:// or https://."), "bad_url")
    if len(url) > 500:
        raise CommentRejected(_("The website address is too long (500 characters at most)."), "bad_url")
    return url


def _content_holds(body: str, policy: CommentPolicy) -> list[Hold]:
    """Return why the text itself must wait for a moderator (abuse words, too many links)."""
    holds = []
    word = find_abuse_word(body, policy.abuse_words)
    if word:
        holds.append(Hold(HoldReason.ABUSE_WORD, word))
    links = count_links(body)
    if links > policy.max_links:
        holds.append(Hold(HoldReason.TOO_MANY_LINKS, f"{links} (the limit is {policy.max_links})"))
    return holds


def _rate_message(hit: RateLimitHit) -> str:
    wait = wait_phrase(hit.retry_after)
    if hit.subject == "account":
        said = (f"You have posted {hit.count} comment{'' if hit.count == 1 else 's'} in the last {hit.window}; "
                f"this site allows {hit.limit}.")
    else:
        said = (f"{hit.count} comments were posted from your network address in the last {hit.window}; "
                f"this site allows {hit.limit} from one address.")
    return f"{said} You can post again in {wait}; your text is kept below."


def _hold_message(reasons: list[Hold], policy_reason: str) -> str:
    if any(hold.reason == HoldReason.EMAIL_UNCONFIRMED for hold in reasons):
        return CONFIRM_MESSAGE
    if policy_reason:
        return policy_reason
    if reasons:
        return _("Your comment is awaiting moderation: a moderator will read it before it appears.")
    return ""


@transaction.atomic
def comment_submit(
    *,
    user,
    page,
    parent: Comment | None = None,
    body: str,
    author_name: str = "",
    author_email: str = "",
    author_url: str = "",
    ip: str | None = None,
    idempotency_key: str,
    honeypot: str = "",
    form_started_at: dt.datetime | None = None,
    notify_on_reply: bool = False,
    now: dt.datetime | None = None,
    policy: CommentPolicy | None = None,
) -> SubmitResult:
    """Save a reader's comment on ``page`` (a reply when ``parent`` is given) and return a SubmitResult.

    ``user`` is the logged-in User, or None/AnonymousUser (then ``author_name`` and
    ``author_email`` are required and the comment waits for the e-mail confirmation). ``ip`` is the
    sender's address, stored only as :func:`ip_hash`. ``idempotency_key`` is the form's one-time
    token: sending the same form again returns the first comment (``created=False``) and sends no
    signal, also when the two requests race (a double click): whichever check the second one fails
    once the first is stored, it lands on the first. ``form_started_at`` is when the form was shown
    (aware datetime). ``body`` is plain text with the Markdown subset, at most 5,000 characters.

    The comment is held (status pending, ``holds`` set) by the policy's moderation rule,
    abuse-word hits, more than ``max_links`` links, or an unconfirmed e-mail address; otherwise it
    is approved. Raise CommentRejected (nothing saved) when the policy refuses the person, the
    honeypot is filled, the form came back faster than ``MIN_SECONDS_TO_SUBMIT``, the body is
    empty, too long, made only of invisible characters or holding bidirectional controls, the
    name/e-mail/website are invalid, a rate limit (per account, or per e-mail address without one;
    and per IP hash, ``PRESSCLUB_COMMENT_ADDRESS_SHARE`` times wider) is reached over the last
    minute or hour (``retry_after`` then says when to try again), the parent is not a visible
    comment on the page, or the same person sent the same text to the same parent within ten minutes.
    """
    now = now or timezone.now()
    hashed_ip = ip_hash(ip)
    stored_key = _stored_idempotency_key(idempotency_key, user=user, hashed_ip=hashed_ip)
    sent = _sent_before(stored_key=stored_key, page=page, parent=parent, body=body, user=user,
                        author_email=author_email, hashed_ip=hashed_ip, now=now)
    earlier = already = None
    if sent.earlier or sent.same:  # a form sent again, or the same text: read those comments
        earlier, already = _earlier_and_same(stored_key=stored_key, page=page, parent=parent, body=body, user=user,
                                             author_email=author_email, now=now)
    if earlier is not None:
        return SubmitResult(earlier, created=False, held=earlier.status == CommentStatus.PENDING)

    try:
        policy = policy or CommentPolicy.for_page(page)
        decision = comment_permission(user=user, page=page, now=now, policy=policy)
        if not decision.allowed:
            raise CommentRejected(decision.reason or _("Comments are not available on this page."), decision.reason_code)
        if honeypot:
            raise CommentRejected(_("Your comment could not be posted. Please try again."), "honeypot")
        # The text first: a reader who pressed "Post" on an empty box at once should hear that it is empty.
        body = _check_body(body)
        # Then a resend (Back, then Post again on a restored form): that it was posted, not "too fast".
        if already is not None:
            raise CommentRejected(_("You already posted this comment here."), "duplicate", comment=already)
        if form_started_at is not None and (now - form_started_at).total_seconds() < MIN_SECONDS_TO_SUBMIT:
            raise CommentRejected(
                _("That was faster than anyone can type. Wait a few seconds, then post again."), "too_fast"
            )
        author_url = _check_url(author_url)
        anonymous = not _authenticated(user)
        if anonymous:
            author_name = normalize_body(author_name)[:80]
            author_email = (author_email or "").strip()
            if not author_name or only_invisible(author_name):
                raise CommentRejected(_("Give the name to show with your comment."), "bad_name")
            _check_visible(author_name, what="name")
            try:
                validate_email(author_email)
            except ValidationError:
                raise CommentRejected(_("Give a valid e-mail address; we send the confirmation link to it."), "bad_email")
        else:
            author_name, author_email = "", ""
        if parent is not None and (
            parent.page_id != page.pk or parent.status != CommentStatus.APPROVED or parent.is_deleted
        ):
            raise CommentRejected(_("The comment you replied to is no longer shown, so the reply cannot be posted."),
                                  "bad_parent")

        person = Q(user=user) if not anonymous else Q(user=None, author_email__iexact=author_email)
        hit = rate_limit_hit(person=person, hashed_ip=hashed_ip, per_minute=policy.rate_per_minute,
                             per_hour=policy.rate_per_hour, now=now, counts=sent.counts)
        if hit is not None:
            raise CommentRejected(_rate_message(hit), "rate_limited", retry_after=hit.retry_after)

    except CommentRejected:
        # A double click: the first request may have stored this very form's comment while this
        # one was being checked. Its sender then lands on it, never on "you posted this already".
        earlier = _earlier(stored_key)
        if earlier is None:
            raise
        return SubmitResult(earlier, created=False, held=earlier.status == CommentStatus.PENDING)

    reasons = _content_holds(body, policy)
    if decision.held and decision.reason_code in POLICY_HOLDS:
        reasons.insert(0, Hold(POLICY_HOLDS[decision.reason_code]))
    if anonymous:
        reasons.insert(0, Hold(HoldReason.EMAIL_UNCONFIRMED))
    held = bool(reasons)
    comment = Comment(
        page=page,  # kept on the comment: the purge after the commit needs no query for it
        parent=parent,
        user=None if anonymous else user,
        author_name=author_name,
        author_email=author_email,
        author_url=author_url,
        body=body,
        body_html=render_body(body),
        status=CommentStatus.PENDING if held else CommentStatus.APPROVED,
        holds=holds_to_json(reasons),
        created_at=now,
        ip_hash=hashed_ip,
        idempotency_key=stored_key,
        notify_on_reply=notify_on_reply,
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        earlier = _earlier(stored_key)
        if earlier is None:
            raise
        return SubmitResult(earlier, created=False, held=earlier.status == CommentStatus.PENDING)
    signals.comment_posted.send(sender=Comment, comment=comment, held=held)
    if held:
        signals.comment_held.send(sender=Comment, comment=comment, holds=comment.hold_reasons)
    return SubmitResult(comment, created=True, held=held, message=_hold_message(reasons, decision.reason))


@transaction.atomic
def comment_confirm_email(*, comment: Comment) -> Comment:
    """Record that an anonymous commenter opened their confirmation link, and return the comment.

    The comment is approved unless other hold reasons remain (then it stays pending for a
    moderator). Confirming twice changes nothing.
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != CommentStatus.PENDING or not comment.is_held_for(HoldReason.EMAIL_UNCONFIRMED):
        return comment
    reasons = [hold for hold in comment.hold_reasons if hold.reason != HoldReason.EMAIL_UNCONFIRMED]
    comment.holds = holds_to_json(reasons)
    if not reasons:
        comment.status = CommentStatus.APPROVED
    comment.save(update_fields=["holds", "status"])
    signals.comment_confirmed.send(sender=Comment, comment=comment)
    if reasons:
        signals.comment_held.send(sender=Comment, comment=comment, holds=comment.hold_reasons)
    return comment

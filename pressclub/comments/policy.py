"""The comment policy: who may comment on a page, now, and whether their comment is held; and who
may edit, delete or flag a comment.

Policies are small objects (an access rule, a moderation rule, a state) put together by
:class:`CommentPolicy` from the site-wide :class:`~pressclub.comments.models.CommentPolicySettings`
and the page's own ``comment_*`` override fields. Exactly one function, :func:`comment_permission`,
answers "may this person comment (or reply) here?" for views, the thread and services; its
:class:`CommentDecision` carries the reason shown to the reader and the links that help them
(register, log in, ask to join). :func:`edit_permission`, :func:`delete_permission` and
:func:`flag_permission` answer the same way for one comment, so the thread's links and the
services that act on them never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressclub.core.models import CommentAccess, CommentModeration, CommentPolicyOverride, CommentState
from pressclub.core.numerals import local_date, local_digits
from pressclub.members.permissions import membership_status

__all__ = [
    "EDIT_WINDOW",
    "ActionLink",
    "CommentDecision",
    "CommentPolicy",
    "comment_permission",
    "delete_permission",
    "edit_permission",
    "flag_permission",
    "site_policy_settings",
]

EDIT_WINDOW = dt.timedelta(minutes=15)  # how long after posting an author may still edit
POLICY_CACHE_SECONDS = 600  # how long the site's policy setting is kept in the cache at most


@dataclass(frozen=True)
class ActionLink:
    """A link offered with a refusal: ``label`` (plain text) and ``url`` (site-relative)."""

    label: str
    url: str


@dataclass(frozen=True)
class CommentDecision:
    """The answer to "may this person comment on this page now, and will it be held?".

    ``allowed``: the form may be shown and a comment accepted. ``held``: an accepted comment waits
    for a moderator (or for the e-mail confirmation of an "anyone" comment). ``reason`` is the
    sentence shown to the reader (empty when allowed and not held); ``reason_code`` a stable word
    for code and tests (``ok``, ``hidden``, ``closed``, ``auto_closed``, ``login_required``,
    ``unverified``, ``not_member``, ``membership_requested``, ``banned``, ``suspended``,
    ``held_always``, ``held_first``, ``held_older_than``, ``confirm_email``).
    """

    allowed: bool
    held: bool
    reason: str
    reason_code: str
    action_links: tuple[ActionLink, ...] = field(default=())

    @property
    def section_visible(self) -> bool:
        """Return False when the page shows no comment section at all (state "hidden")."""
        return self.reason_code != "hidden"


def _url(name: str, *, next_url: str | None = None, **kwargs) -> str | None:
    try:
        url = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:  # the members app may not offer that page
        return None
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _links(*pairs: tuple[str, str | None]) -> tuple[ActionLink, ...]:
    return tuple(ActionLink(label, url) for label, url in pairs if url)


def _published_at(page) -> dt.datetime | None:
    return getattr(page, "first_published_at", None)


# --- who may comment -------------------------------------------------------------------------


class AccessRule:
    """Decide, from a person's standing, whether they may comment; subclasses name one policy."""

    code = ""

    def refusal(self, *, user, status: str, page, request=None) -> CommentDecision | None:
        """Return a refusing decision, or None when ``user`` (standing ``status``) may comment.

        ``request``, when given, lets the page's URL (the sign-in link's ``next``) come from the
        request's site root paths, with no query.
        """
        next_url = None
        if status == "anonymous":  # only a reader who is not signed in is sent to sign in and back
            next_url = page.get_url(request) if hasattr(page, "get_url") else getattr(page, "url", None)
        if status == "banned":
            return CommentDecision(False, False, _("Your account may not post comments on this site."), "banned")
        if status == "suspended":
            return CommentDecision(
                False, False, _("Your membership is suspended, so you cannot post comments for now."), "suspended"
            )
        return self._refusal(user=user, status=status, next_url=next_url)

    def _refusal(self, *, user, status: str, next_url: str | None) -> CommentDecision | None:
        raise NotImplementedError


class AnyoneAccess(AccessRule):
    """Anyone may comment; a comment without an account waits for its e-mail confirmation."""

    code = CommentAccess.ANYONE

    def _refusal(self, *, user, status, next_url):
        # A logged-in account speaks for its address, so that address must be confirmed first.
        return _unverified() if status == "unverified" else None


class RegisteredAccess(AccessRule):
    """Readers with a verified e-mail address may comment."""

    code = CommentAccess.REGISTERED

    def _refusal(self, *, user, status, next_url):
        if status == "anonymous":
            return _login_required(
                _("Only registered readers may post a comment. Register with your e-mail address, or sign in."),
                next_url=next_url,
            )
        if status == "unverified":
            return _unverified()
        return None


class MembersAccess(AccessRule):
    """Members of the club may comment (the default)."""

    code = CommentAccess.MEMBERS

    def _refusal(self, *, user, status, next_url):
        if status == "member":
            return None
        if status == "anonymous":
            return _login_required(
                _("Only members of this site may post a comment. Register with your e-mail address, then ask to join."),
                next_url=next_url,
            )
        if status == "unverified":
            return _unverified()
        if status == "requested":
            return CommentDecision(
                False,
                False,
                _("Your request to join is waiting for an editor. You can comment once it is approved."),
                "membership_requested",
            )
        return CommentDecision(
            False,
            False,
            _("Only members of this site may post a comment. Ask to join the club."),
            "not_member",
            _links((_("Ask to join"), _url("members:membership"))),
        )


def _login_required(reason: str, *, next_url: str | None) -> CommentDecision:
    # An anonymous reader is refused with ``reason`` and links to register or sign in, back to the page.
    return CommentDecision(
        False,
        False,
        reason,
        "login_required",
        _links((_("Register"), _url("account_signup", next_url=next_url)),
               (_("Sign in"), _url("account_login", next_url=next_url))),
    )


def _unverified() -> CommentDecision:
    return CommentDecision(
        False,
        False,
        _("Confirm your e-mail address first: open the link we sent you, or ask for a new one."),
        "unverified",
        _links((_("E-mail addresses"), _url("account_email"))),
    )


ACCESS_RULES: dict[str, AccessRule] = {
    rule.code: rule for rule in (AnyoneAccess(), RegisteredAccess(), MembersAccess())
}


# --- when a comment is held ------------------------------------------------------------------


class ModerationRule:
    """Decide whether an accepted comment waits for a moderator; subclasses name one mode."""

    code = ""

    def hold(self, *, user, page, now: dt.datetime, policy: CommentPolicy) -> CommentDecision | None:
        """Return a holding decision, or None when the comment is shown at once."""
        return None


class NeverHold(ModerationRule):
    """Comments appear at once (abuse words, links and flags can still hold one)."""

    code = CommentModeration.NEVER


class HoldAlways(ModerationRule):
    """Every comment waits for a moderator."""

    code = CommentModeration.ALWAYS

    def hold(self, *, user, page, now, policy):
        return CommentDecision(
            True, True, _("Comments are read by a moderator before they appear."), "held_always"
        )


class HoldFirst(ModerationRule):
    """A commenter's first comment waits; once one is approved, the next ones appear at once."""

    code = CommentModeration.FIRST

    def hold(self, *, user, page, now, policy):
        from .models import Comment

        if user is not None and user.is_authenticated and Comment.objects.approved().filter(user=user).exists():
            return None
        return CommentDecision(
            True, True, _("Your first comment is read by a moderator before it appears."), "held_first"
        )


class HoldOlderThan(ModerationRule):
    """Comments on stories published more than N days ago wait (Blogger's "Sometimes")."""

    code = CommentModeration.OLDER_THAN

    def hold(self, *, user, page, now, policy):
        published = _published_at(page)
        if published is None or now - published <= dt.timedelta(days=policy.moderation_days):
            return None
        return CommentDecision(
            True,
            True,
            ngettext(
                "Comments on stories older than %(days)s day are read by a moderator before they appear.",
                "Comments on stories older than %(days)s days are read by a moderator before they appear.",
                policy.moderation_days,
            ) % {"days": local_digits(policy.moderation_days)},
            "held_older_than",
        )


MODERATION_RULES: dict[str, ModerationRule] = {
    rule.code: rule for rule in (NeverHold(), HoldAlways(), HoldFirst(), HoldOlderThan())
}


# --- the policy of one page ------------------------------------------------------------------


@dataclass(frozen=True)
class CommentPolicy:
    """The comment policy in force on one page: the site setting with the page's override applied.

    Built by :meth:`for_page`. ``auto_close_days`` and ``moderation_days`` are whole days (0 turns
    auto-closing off); rates are comments per minute / per hour, per account and per IP hash.
    """

    access: str = CommentAccess.MEMBERS
    moderation: str = CommentModeration.NEVER
    moderation_days: int = 14
    state: str = CommentState.OPEN
    auto_close_days: int = 0
    flag_threshold: int = 3
    max_links: int = 2
    rate_per_minute: int = 5
    rate_per_hour: int = 30
    abuse_words: str = ""

    @classmethod
    def from_settings(cls, settings_obj) -> CommentPolicy:
        """Return the site-wide policy stored in a ``CommentPolicySettings`` row."""
        return cls(
            access=settings_obj.access,
            moderation=settings_obj.moderation,
            moderation_days=settings_obj.moderation_days,
            state=settings_obj.state,
            auto_close_days=settings_obj.auto_close_days,
            flag_threshold=settings_obj.flag_threshold,
            max_links=settings_obj.max_links,
            rate_per_minute=settings_obj.rate_per_minute,
            rate_per_hour=settings_obj.rate_per_hour,
            abuse_words=settings_obj.abuse_words,
        )

    @classmethod
    def for_page(cls, page, *, request=None, site_settings=None) -> CommentPolicy:
        """Return the policy of ``page`` (any Wagtail page; its specific type is used).

        ``site_settings`` (a ``CommentPolicySettings``) saves the look-up; otherwise it is read for
        ``request`` (cached on it by Wagtail) or for the page's site. Articles and standard pages
        follow the site's policy unless their own override says otherwise (a comment belongs to any
        page: Blogger's pages carry comments too); other page types never take comments.
        """
        from .models import CommentPolicySettings

        if site_settings is None:
            if request is not None:
                site_settings = CommentPolicySettings.for_request(request)
            else:
                site = page.get_site()
                site_settings = (
                    CommentPolicySettings.for_site(site) if site is not None else CommentPolicySettings()
                )
        policy = cls.from_settings(site_settings)
        specific = page if isinstance(page, CommentPolicyOverride) else page.specific
        if not isinstance(specific, CommentPolicyOverride):
            return policy.replace(state=CommentState.HIDDEN)
        overrides = {}
        if specific.comment_access:
            overrides["access"] = specific.comment_access
        if specific.comment_moderation:
            overrides["moderation"] = specific.comment_moderation
        if specific.comment_state:
            overrides["state"] = specific.comment_state
        return policy.replace(**overrides)

    def replace(self, **changes) -> CommentPolicy:
        """Return a copy with ``changes`` applied."""
        from dataclasses import replace

        return replace(self, **changes)

    def state_decision(self, page, now: dt.datetime) -> CommentDecision | None:
        """Return the refusal due to the section's state (hidden, closed, auto-closed), or None if open."""
        if self.state == CommentState.HIDDEN:
            return CommentDecision(False, False, "", "hidden")
        if self.state == CommentState.CLOSED:
            return CommentDecision(False, False, _("Comments are closed on this story."), "closed")
        published = _published_at(page)
        if self.auto_close_days and published is not None:
            closes = published + dt.timedelta(days=self.auto_close_days)
            if now >= closes:
                return CommentDecision(
                    False,
                    False,
                    ngettext(
                        "Comments closed on %(date)s, %(days)s day after this story was published.",
                        "Comments closed on %(date)s, %(days)s days after this story was published.",
                        self.auto_close_days,
                    ) % {"date": local_date(closes), "days": local_digits(self.auto_close_days)},
                    "auto_closed",
                )
        return None


def policy_settings_key(site_id) -> str:
    """Return the cache key of site ``site_id``'s ``CommentPolicySettings``."""
    return f"pressclub:comments:policy-settings:{site_id}"


def site_policy_settings(request):
    """Return the ``CommentPolicySettings`` of ``request``'s site, kept in Django's cache.

    None without a request or a site (``CommentPolicy.for_page`` then looks it up itself). Saving
    or deleting the setting forgets the cached copy (``signal_handlers``); it is kept
    ``POLICY_CACHE_SECONDS`` at most in any case.
    """
    from pressclub.core.routing import site_for_request

    from .models import CommentPolicySettings

    site = site_for_request(request) if request is not None else None
    if site is None:
        return None
    key = policy_settings_key(site.pk)
    found = cache.get(key)
    if found is None:
        found = CommentPolicySettings.for_site(site)
        cache.set(key, found, POLICY_CACHE_SECONDS)
    return found


def _exempt_from_moderation(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def comment_permission(*, user, page, now: dt.datetime | None = None, policy: CommentPolicy | None = None,
                       request=None) -> CommentDecision:
    """Return whether ``user`` may comment on ``page`` at ``now``, and whether the comment is held.

    ``user`` is a User or AnonymousUser (or None for anonymous); ``page`` any Wagtail page.
    ``policy`` (a :class:`CommentPolicy`) or ``request`` saves looking the site setting up again.
    The order of the questions: is the section hidden/closed/auto-closed; is the person banned or
    suspended; does the access rule (anyone/registered/members) admit them; then the moderation rule
    (never/first/always/older than N days) and, for an anonymous "anyone" comment, the e-mail
    confirmation. Staff are never held by the moderation rule. Costs at most two queries (the
    person's standing, cached on the user object; their earlier approved comments for "first").
    Content-based holds (abuse words, links, flags) are decided later by ``comment_submit``.
    """
    now = now or timezone.now()
    if policy is None:
        policy = CommentPolicy.for_page(page, request=request)
    closed = policy.state_decision(page, now)
    if closed is not None:
        return closed
    status = membership_status(user)
    access = ACCESS_RULES.get(policy.access, ACCESS_RULES[CommentAccess.MEMBERS])
    refusal = access.refusal(user=user, status=status, page=page, request=request)
    if refusal is not None:
        return refusal
    if not _exempt_from_moderation(user):
        rule = MODERATION_RULES.get(policy.moderation, MODERATION_RULES[CommentModeration.NEVER])
        held = rule.hold(user=user, page=page, now=now, policy=policy)
        if held is not None:
            return held
    if status == "anonymous":
        return CommentDecision(
            True,
            True,
            _("Your comment will appear once you confirm your e-mail address with the link we send you."),
            "confirm_email",
        )
    return CommentDecision(True, False, "", "ok")


# --- what a reader may do to one comment -------------------------------------------------------

ALLOWED = CommentDecision(True, False, "", "ok")


def _refused(reason: str, code: str) -> CommentDecision:
    return CommentDecision(False, False, reason, code)


def _user_id(user) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def edit_permission(*, user, comment, now: dt.datetime | None = None) -> CommentDecision:
    """Return whether ``user`` may change the text of ``comment`` at ``now``.

    Only the author (an account) may, within ``EDIT_WINDOW`` (15 minutes) of posting, while the
    comment is neither deleted, rejected, spam nor removed. Refusal codes: ``not_author``,
    ``edit_window``. No query.
    """
    from .models import CommentStatus

    user_id = _user_id(user)
    if user_id is None or comment.user_id != user_id:
        return _refused(_("Only the author of a comment can change it."), "not_author")
    if comment.is_deleted or comment.status in (CommentStatus.REJECTED, CommentStatus.SPAM, CommentStatus.REMOVED):
        return _refused(_("This comment can no longer be edited."), "edit_window")
    if (now or timezone.now()) - comment.created_at > EDIT_WINDOW:
        return _refused(_("Comments can be edited for 15 minutes after posting; that time is over."), "edit_window")
    return ALLOWED


def delete_permission(*, user, comment) -> CommentDecision:
    """Return whether ``user`` may delete ``comment``: only its author (an account) may (``not_author``)."""
    user_id = _user_id(user)
    if user_id is None or comment.user_id != user_id:
        return _refused(_("Only the author of a comment can change it."), "not_author")
    return ALLOWED


def flag_permission(*, user, comment=None) -> CommentDecision:
    """Return whether ``user`` may flag ``comment`` for the moderators.

    Members may flag shown comments of others. With ``comment`` None, answer for "any comment of
    someone else" (the thread asks once per reader). Refusal codes: ``not_member``, ``own_comment``,
    ``not_visible``. At most one query (the reader's standing, cached on the user object).
    """
    from .models import CommentStatus

    if membership_status(user) != "member":
        return _refused(_("Only members can flag comments."), "not_member")
    if comment is None:
        return ALLOWED
    if comment.user_id == _user_id(user):
        return _refused(_("You cannot flag your own comment; edit or delete it instead."), "own_comment")
    if comment.status != CommentStatus.APPROVED or comment.is_deleted:
        return _refused(_("This comment is not shown any more."), "not_visible")
    return ALLOWED

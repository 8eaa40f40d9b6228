"""Who is a member: the answers every other app asks of the members app.

Each function costs at most one SQL query per user object: the first call loads the account's
standing (membership row, verified address, editorial groups, linked author) in a single query
and keeps it on the user object, so a request asks the database once however many templates and
policies consult it. Services that change a membership call :func:`forget` on the user objects
they touch.

Staff, superusers, members of the groups in ``PRESSCLUB_MEMBER_GROUPS`` (Editors, Reporters,
Moderators by default) and users linked to an ``Author`` are members without a membership row;
a ban or a running suspension still takes that away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy

from pressclub.core.cache import cached_until_purge, page_cache_renew_scopes

from .models import MembershipStatus

_CACHE_ATTR = "_pressclub_standing"
# Seconds Django's cache keeps an account's standing for the pages of reader_kind (each change to
# it renews it at once: standing_changed); a bound in case a change bypassed the model signals.
STANDING_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Standing:
    """What one query tells about an account: the inputs of :func:`membership_status`."""

    membership: str | None  # a MembershipStatus value, or None without a row
    suspended_until: datetime | None
    verified: bool
    role: bool  # staff, superuser, an editorial group or a linked author
    admin: bool = False  # may open Wagtail's admin (pages then carry its userbar)


_STANDING_VALUES = ("is_staff", "is_superuser", "is_active", "m_status", "m_until", "m_verified", "m_group",
                    "m_author", "m_admin")
_SENTINEL_PK = -7_654_321  # an id no account has: where the real id goes in the compiled query
_compiled_standing: dict = {}


def _standing_queryset(pk):
    from allauth.account.models import EmailAddress

    from .models import User

    return (
        User.objects.filter(pk=pk)
        .annotate(
            m_status=F("membership__status"),
            m_until=F("membership__suspended_until"),
            m_verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            m_group=Exists(Group.objects.filter(user=OuterRef("pk"), name__in=settings.PRESSCLUB_MEMBER_GROUPS)),
            m_author=F("author__pk"),
            m_admin=Exists(
                Permission.objects.filter(codename="access_admin", content_type__app_label="wagtailadmin")
                .filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
            ),
        )
        .values(*_STANDING_VALUES)
        .order_by()
    )


def _standing_row(pk) -> dict | None:
    """Return the standing row of account ``pk`` (``_STANDING_VALUES`` by name), or None without one.

    The query is compiled once per database and member groups setting, then run with the id put
    in: building it through the ORM costs about 3 ms of CPU, more than a page served from a
    shared copy may take in all (``core.member_pages``). Values pass the ORM's converters as usual.
    """
    from django.db import connections, router

    from .models import User

    alias = router.db_for_read(User)
    key = (alias, tuple(settings.PRESSCLUB_MEMBER_GROUPS))
    compiled = _compiled_standing.get(key)
    if compiled is None:
        query = _standing_queryset(_SENTINEL_PK).query
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if list(params).count(_SENTINEL_PK) != 1:  # not as expected: let the ORM run it each time
            return next(iter(_standing_queryset(pk)), None)
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        compiled = _compiled_standing[key] = (compiler, sql, tuple(params), list(params).index(_SENTINEL_PK), names)
    compiler, sql, params, at, names = compiled
    params = list(params)
    params[at] = pk
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    return dict(zip(names, next(iter(compiler.results_iter(results=[rows]))), strict=True))


def _load_standing(pk) -> Standing | None:
    """Return the standing of account ``pk`` read from the database (one query), None without the account."""
    row = _standing_row(pk)
    if row is None:  # the account was deleted under us
        return None
    return Standing(
        membership=row["m_status"],
        suspended_until=row["m_until"],
        verified=bool(row["m_verified"]),
        role=bool(row["is_staff"] or row["is_superuser"] or row["m_group"] or row["m_author"] is not None),
        admin=bool(row["is_superuser"] or row["m_admin"]),
    )


def standing_scope(pk) -> str:
    """Return the cache scope of account ``pk``'s standing (``core.cache.page_cache_renew_scopes``)."""
    return f"standing:{pk}"


def standing_key(pk) -> str:
    """Return the cache key of account ``pk``'s standing (:func:`_standing` with ``shared``)."""
    return f"pressclub:standing:{pk}"


def _standing(user, *, shared: bool = False) -> Standing | None:
    """Return the cached standing of ``user``, loading it with one query; None for anonymous users.

    With ``shared``, the standing comes from Django's cache when it holds it (no query), kept
    there ``STANDING_CACHE_SECONDS`` at most and renewed once any change to it commits
    (:func:`standing_changed`). Only reads before anything in the request could change the
    standing use it (a membership granted in a transaction is seen by that transaction at once,
    and by the cache only after the commit).
    """
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    pk = user.pk
    if shared:
        standing = cached_until_purge(standing_key(pk), lambda: _load_standing(pk),
                                      timeout=STANDING_CACHE_SECONDS, scope=standing_scope(pk))
    else:
        standing = _load_standing(pk)
    if standing is not None:
        setattr(user, _CACHE_ATTR, standing)
    return standing


def standing_changed(user_ids) -> None:
    """Forget the standing Django's cache keeps of the accounts ``user_ids`` once the transaction commits.

    Called by the members app's receivers whenever an input of :class:`Standing` changes: the
    account itself, its membership, its e-mail addresses, its groups and permissions, the
    permissions of its groups, its author link (``signal_handlers``).
    """
    scopes = [standing_scope(pk) for pk in set(user_ids) if pk is not None]
    if scopes:
        transaction.on_commit(lambda: page_cache_renew_scopes(scopes), robust=True)


def forget(user) -> None:
    """Drop the standing cached on ``user`` so the next question reads the database again."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def membership_status(user) -> str:
    """Return the standing of ``user`` as one word, for policies and templates.

    One of ``"anonymous"`` (not logged in), ``"banned"``, ``"suspended"`` (a suspension without an
    end date or ending later; a lapsed one counts as ``"member"``), ``"member"`` (an active
    membership, or staff/superuser/editorial group/linked author), ``"unverified"`` (no verified
    e-mail address yet), ``"requested"`` (asked to join, no decision yet) and ``"registered"``
    (verified, not a member: never asked, or declined). Ban and suspension come before the automatic
    membership of staff and authors. Costs one query per user object (then cached on it).
    """
    standing = _standing(user)
    if standing is None:
        return "anonymous"
    if standing.membership == MembershipStatus.BANNED:
        return "banned"
    if standing.membership == MembershipStatus.SUSPENDED:
        if standing.suspended_until is None or standing.suspended_until > timezone.now():
            return "suspended"
        return "member"
    if standing.role:
        return "member"
    if not standing.verified:
        return "unverified"
    if standing.membership == MembershipStatus.ACTIVE:
        return "member"
    if standing.membership == MembershipStatus.REQUESTED:
        return "requested"
    return "registered"


def reader_kind(user) -> str | None:
    """Return the kind of reader ``user`` is on the site's pages, or None when their pages are their own.

    Two signed-in users of one kind see the same page apart from their name, CSRF token and own
    comments (``core.member_pages``): the kind is their standing (:func:`membership_status`), with
    ``+staff`` for staff and superusers (whom comment moderation never holds). None for anonymous
    users and for accounts that may open Wagtail's admin: pages show them Wagtail's userbar, made
    for their own permissions and admin language. The standing comes from Django's cache when it
    holds it (``_standing(shared=True)``), else from one query.
    """
    standing = _standing(user, shared=True)
    if standing is None or standing.admin:
        return None
    staff = "+staff" if user.is_staff or user.is_superuser else ""
    return f"{membership_status(user)}{staff}"


def may_open_admin(user) -> bool:
    """Return True if ``user`` may open Wagtail's admin (a superuser, or the ``wagtailadmin.access_admin``
    permission through the account or a group), as Wagtail's own check answers; False for anonymous
    users. One query per user object at most (the standing)."""
    standing = _standing(user)
    return standing is not None and standing.admin


def is_member(user) -> bool:
    """Return True if ``user`` may act as a member now (comment where members may).

    True for an active membership (or a suspension that has ended) and for staff, superusers,
    editorial groups and linked authors; False for anonymous, unverified, merely registered,
    requested, declined, suspended and banned accounts. One query per user object at most.
    """
    return membership_status(user) == "member"


def is_banned(user) -> bool:
    """Return True if ``user`` is banned from the club (may not comment anywhere).

    A suspension is not a ban: see :func:`membership_status` for ``"suspended"``. Anonymous users
    are never banned. One query per user object at most.
    """
    return membership_status(user) == "banned"


# Who decides on memberships: one permission, one policy for the admin views of both models.

DECIDE_PERMISSION = "members.decide_membership"


def can_decide(user) -> bool:
    """Return True if ``user`` may decide on memberships and send invitations.

    That is an active account holding ``members.decide_membership`` (the Editors group has it;
    superusers have every permission). No query for anonymous users; Django caches the
    permissions of a user object after the first call.
    """
    return bool(user is not None and user.is_authenticated and user.has_perm(DECIDE_PERMISSION))


class DeciderPermissionPolicy(BaseDjangoAuthPermissionPolicy):
    """Wagtail permission policy: those who :func:`can_decide` may do ``actions``, others nothing.

    ``model`` is ``Membership`` (actions ``view`` and ``decide``) or ``Invitation`` (``view`` and
    ``add``). No one edits or deletes either in the admin: a membership changes only through the
    decisions of ``members.services``, which e-mail the reader, and an invitation is a record of
    what was sent.
    """

    def __init__(self, model, *, actions: set[str]):
        super().__init__(model, auth_model="members.Membership")
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action: str) -> bool:
        """Return True if ``user`` may take ``action`` (a Wagtail action name such as "view")."""
        return action in self.actions and can_decide(user)

    def users_with_any_permission(self, actions):
        """Return the active users who may take any of ``actions``, as a queryset."""
        from .models import User

        if not self.actions.intersection(actions):
            return User.objects.none()
        return self._get_users_with_any_permission_codenames([DECIDE_PERMISSION.split(".")[1]])

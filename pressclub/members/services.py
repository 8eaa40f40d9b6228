"""Writes of the members app: membership decisions, invitations and leaving.

Every function is keyword-only, runs in one transaction and queues the e-mail that goes with it
(sent by a background task once the transaction commits). Errors a person can fix are raised as
:class:`MembershipError` with a message to show them.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pressclub.core.language import recipient_language
from pressclub.core.links import absolute_url

from . import permissions
from .addresses import email_normalise
from .emails import email_queue
from .models import Invitation, Membership, MembershipStatus, User
from .signals import member_leaving


class MembershipError(Exception):
    """A membership change that cannot be made; ``str(error)`` says why, for the person asking."""


def _editors() -> list[User]:
    """Return the accounts told about new membership requests: the Editors group, else superusers."""
    editors = list(
        User.objects.filter(is_active=True, groups__name="Editors")
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return editors or list(
        User.objects.filter(is_active=True, is_superuser=True).exclude(email="").order_by("pk")
    )


def _membership_for_update(user: User, **defaults) -> Membership:
    """Return ``user``'s membership row, locked, creating it with ``defaults`` if there is none.

    The row's ``user`` is the very object passed in, so :func:`_decide` forgets the standing cached
    on the caller's object (a fetched row would otherwise load a fresh copy of the account).
    """
    membership, _ = Membership.objects.select_for_update().get_or_create(user=user, defaults=defaults)
    membership.user = user
    return membership


def _decide(membership: Membership, *, status: str, by: User | None, reason: str, until=None) -> Membership:
    membership.status = status
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.reason = reason.strip()
    membership.suspended_until = until
    membership.save()
    permissions.forget(membership.user)
    return membership


@transaction.atomic
def membership_request(*, user: User, note: str = "") -> Membership:
    """Record that ``user`` asks to become a member, with an optional ``note`` (≤ 1000 characters).

    Editors (the "Editors" group, else superusers) get an e-mail with a link to the admin list.
    A declined reader may ask again. Raise MembershipError if the account is not verified yet,
    already a member, already waiting for a decision, suspended or banned.
    """
    status = permissions.membership_status(user)
    refusals = {
        "anonymous": "Sign in first.",
        "unverified": "Confirm your e-mail address first: follow the link we sent you.",
        "member": "You are already a member.",
        "requested": "Your request is already waiting for an editor.",
        "suspended": "Your membership is suspended.",
        "banned": "Your account is banned from the club.",
    }
    if status in refusals:
        raise MembershipError(refusals[status])
    note = (note or "").strip()
    if len(note) > 1000:
        raise MembershipError("Keep the note under 1,000 characters.")
    membership = _membership_for_update(user)
    membership.status = MembershipStatus.REQUESTED
    membership.request_note = note
    membership.requested_at = timezone.now()
    membership.decided_by = None
    membership.decided_at = None
    membership.reason = ""
    membership.suspended_until = None
    membership.save()
    permissions.forget(user)
    admin_url = absolute_url(reverse("memberships:list") + "?status=requested", admin=True)
    for editor in _editors():
        email_queue(
            template_prefix="members/email/membership_requested",
            to=editor.email,
            language=recipient_language(editor),
            context={"membership": membership, "reader": user, "note": note, "admin_url": admin_url},
        )
    return membership


@transaction.atomic
def membership_grant(*, membership: Membership, by: User | None, reason: str = "") -> Membership:
    """Make ``membership`` active (decided by editor ``by``) and welcome the reader by e-mail.

    Works from any status (a request, a decline, a suspension or a ban being lifted). A membership
    that is active already is returned unchanged and nothing is mailed (a form sent twice, an
    invitation accepted by a member): a reader is welcomed once.
    """
    if membership.status == MembershipStatus.ACTIVE:
        return membership
    _decide(membership, status=MembershipStatus.ACTIVE, by=by, reason=reason)
    email_queue(
        template_prefix="members/email/membership_granted",
        to=membership.user.email,
        language=recipient_language(membership.user),
        context={
            "membership": membership,
            "user": membership.user,
            "profile_url": absolute_url(reverse("members:profile")),
        },
    )
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, by: User | None, reason: str = "") -> Membership:
    """Decline the request ``membership`` and tell the reader, with ``reason`` if given.

    Raise MembershipError unless the membership is a pending request.
    """
    if membership.status != MembershipStatus.REQUESTED:
        raise MembershipError("Only a pending request can be declined.")
    _decide(membership, status=MembershipStatus.DECLINED, by=by, reason=reason)
    email_queue(
        template_prefix="members/email/membership_declined",
        to=membership.user.email,
        language=recipient_language(membership.user),
        context={"membership": membership, "user": membership.user},
    )
    return membership


@transaction.atomic
def membership_suspend(
    *, user: User, by: User | None, reason: str, until: dt.datetime | None = None
) -> Membership:
    """Suspend ``user`` (may not comment) until ``until`` (aware datetime; None: until lifted).

    Works for automatic members (editors, authors) too: a membership row is created for them.
    Raise MembershipError without a reason, for an end in the past, or for a banned account.
    """
    if not (reason or "").strip():
        raise MembershipError("Give a reason; the reader receives it.")
    if until is not None and until <= timezone.now():
        raise MembershipError("The end of a suspension must be in the future.")
    membership = _membership_for_update(user, status=MembershipStatus.ACTIVE)
    if membership.status == MembershipStatus.BANNED:
        raise MembershipError("This account is banned; lift the ban instead of suspending.")
    _decide(membership, status=MembershipStatus.SUSPENDED, by=by, reason=reason, until=until)
    email_queue(
        template_prefix="members/email/membership_suspended",
        to=user.email,
        language=recipient_language(user),
        context={"membership": membership, "user": user},
    )
    return membership


@transaction.atomic
def membership_ban(*, user: User, by: User | None, reason: str) -> Membership:
    """Ban ``user``: no membership, no comments, until an editor lifts it. Tell them by e-mail.

    Raise MembershipError without a reason.
    """
    if not (reason or "").strip():
        raise MembershipError("Give a reason; the reader receives it.")
    membership = _membership_for_update(user)
    _decide(membership, status=MembershipStatus.BANNED, by=by, reason=reason)
    email_queue(
        template_prefix="members/email/membership_banned",
        to=user.email,
        language=recipient_language(user),
        context={"membership": membership, "user": user},
    )
    return membership


@transaction.atomic
def invitation_send(*, email: str, by: User | None, note: str = "") -> Invitation:
    """Invite the address ``email`` to join; return the invitation and mail its link.

    An unexpired invitation to the same address is renewed (new expiry, same link) rather than
    duplicated. Raise MembershipError when the address belongs to a member already or to a
    banned account.
    """
    try:
        email = email_normalise(email)
    except ValidationError as error:
        raise MembershipError(error.messages[0])
    if not email:
        raise MembershipError("Enter an e-mail address.")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        status = permissions.membership_status(existing)
        if status == "member":
            raise MembershipError(f"{email} is already a member.")
        if status in ("banned", "suspended"):
            raise MembershipError(f"{email} is {status}; lift that first.")
    invitation = Invitation.objects.pending().filter(email__iexact=email).order_by("-pk").first()
    expires = timezone.now() + dt.timedelta(days=settings.PRESSCLUB_INVITATION_DAYS)
    if invitation is None:
        invitation = Invitation.objects.create(
            email=email, invited_by=by, note=(note or "").strip(), expires=expires
        )
    else:
        invitation.expires = expires
        invitation.invited_by = by
        invitation.note = (note or "").strip()
        invitation.save(update_fields=["expires", "invited_by", "note"])
    email_queue(
        template_prefix="members/email/invitation",
        to=email,
        language=recipient_language(None),
        context={"invitation": invitation, "accept_url": absolute_url(invitation.get_absolute_url()), "by": by},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Accept ``invitation`` for ``user``: make them an active member and welcome them by e-mail.

    The account must own the invited address, verified. Raise MembershipError when the invitation
    was used or has expired, when the addresses differ, or when the account is banned.
    """
    from allauth.account.models import EmailAddress

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise MembershipError("This invitation has already been accepted.")
    if invitation.expires <= timezone.now():
        raise MembershipError("This invitation has expired. Ask the club for a new one.")
    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        raise MembershipError(f"This invitation was sent to {invitation.email}. Sign in with that address.")
    membership = _membership_for_update(user)
    if membership.status == MembershipStatus.BANNED:
        raise MembershipError("Your account is banned from the club.")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership.invitation = invitation
    membership.requested_at = membership.requested_at or invitation.created_at
    membership.save(update_fields=["invitation", "requested_at"])
    return membership_grant(membership=membership, by=invitation.invited_by, reason="Invited")


@transaction.atomic
def account_delete(*, user: User, remove_comments: bool) -> None:
    """Delete ``user``'s account for good and confirm it by e-mail.

    ``member_leaving`` is sent first (with ``remove_comments``) so the comments app removes the
    person's comments or keeps them under "former member"; then the account, its addresses and its
    membership are deleted.
    """
    email = user.email
    member_leaving.send(sender=User, user=user, remove_comments=remove_comments)
    user.delete()
    permissions.forget(user)
    email_queue(
        template_prefix="members/email/account_deleted",
        to=email,
        context={"remove_comments": remove_comments},
    )

"""Receivers of the members app, connected by :func:`register` from ``MembersConfig.ready()``."""

import logging

from allauth.account.signals import email_confirmed

from .models import Invitation
from .services import MembershipError, invitation_accept

logger = logging.getLogger(__name__)


def accept_invitation_on_confirmation(sender, request, email_address, **kwargs):
    """Admit the account whose newly verified address was invited (the invite → sign-up path)."""
    invitation = (
        Invitation.objects.pending().filter(email__iexact=email_address.email).order_by("-pk").first()
    )
    if invitation is None:
        return
    try:
        invitation_accept(invitation=invitation, user=email_address.user)
    except MembershipError as error:  # e.g. a banned account: confirming the address still succeeds
        logger.info("Invitation %s not accepted on confirmation: %s", invitation.pk, error)


def register() -> None:
    """Connect the receivers (called once from ``MembersConfig.ready()``)."""
    email_confirmed.connect(accept_invitation_on_confirmation, dispatch_uid="members_accept_invitation")

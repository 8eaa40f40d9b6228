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


def first_name_from_display_name(sender, instance, **kwargs):
    """Before a User is saved, copy its display name into ``first_name``.

    Wagtail's admin sidebar names the signed-in account by ``first_name``, else the login (here the
    e-mail address); pressclub asks only a display name, so without this an editor saw their address
    where their name belongs. ``first_name`` is not asked or shown anywhere else.
    """
    if instance.display_name:
        instance.first_name = instance.display_name[: instance._meta.get_field("first_name").max_length]


def register() -> None:
    """Connect the receivers (called once from ``MembersConfig.ready()``)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import pre_save

    pre_save.connect(first_name_from_display_name, sender=get_user_model(), dispatch_uid="members_first_name")
    email_confirmed.connect(accept_invitation_on_confirmation, dispatch_uid="members_accept_invitation")

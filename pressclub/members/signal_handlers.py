"""Receivers of the members app, connected by :func:`register` from ``MembersConfig.ready()``."""

import logging

from allauth.account.signals import email_confirmed
from django.conf import settings
from django.contrib.auth.signals import user_logged_in

from pressclub.core.language import SESSION_LANGUAGE_KEY, language_chosen, supported_language

from .models import Invitation, User
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


def language_on_sign_in(sender, request, user, **kwargs):
    """Give a reader who signs in their account's language; an account without one takes their choice.

    The account's language goes into the session (core.language reads it before the cookie); an
    account that has none keeps the language the reader chose with the footer's buttons, if any.
    """
    if request is None or not hasattr(request, "session"):
        return
    language = supported_language(user.language)
    if language is None:
        chosen = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen is None:
            return
        User.objects.filter(pk=user.pk).update(language=chosen)
        user.language = language = chosen
    request.session[SESSION_LANGUAGE_KEY] = language


def language_chosen_keep(sender, request, language, **kwargs):
    """Store the language a signed-in reader chose on their account (e-mails follow it too)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "language", None) != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def register() -> None:
    """Connect the receivers (called once from ``MembersConfig.ready()``)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import pre_save

    pre_save.connect(first_name_from_display_name, sender=get_user_model(), dispatch_uid="members_first_name")
    email_confirmed.connect(accept_invitation_on_confirmation, dispatch_uid="members_accept_invitation")
    # user_logged_in: after any sign-in (password, code, confirmation link), with the request.
    user_logged_in.connect(language_on_sign_in, dispatch_uid="members_language_on_sign_in")
    # language_chosen: after a reader pressed one of the footer's language buttons.
    language_chosen.connect(language_chosen_keep, dispatch_uid="members_language_chosen_keep")

"""Receivers of the members app, connected by :func:`register` from ``MembersConfig.ready()``."""

import logging

from allauth.account.signals import email_confirmed
from django.conf import settings
from django.contrib.auth.signals import user_logged_in

from pressclub.core.language import SESSION_LANGUAGE_KEY, language_chosen, supported_language

from .models import Invitation, User
from .permissions import standing_changed
from .services import MembershipError, invitation_accept
from .signals import member_renamed

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


# The fields User.public_name is made of: a save that writes none of them cannot rename anyone.
NAME_FIELDS = frozenset({"display_name", "first_name", "last_name"})


def public_name_before(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before an existing account is saved, note the public name its row holds (one query), unless
    the save writes none of :data:`NAME_FIELDS` (a sign-in's ``update_fields=["last_login"]``)."""
    if raw or instance.pk is None or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    row = sender.objects.filter(pk=instance.pk).values("display_name", "first_name", "last_name").first()
    if row is not None:
        instance._pressclub_public_name_before = sender(**row).public_name


def public_name_changed(sender, instance, raw=False, **kwargs):
    """After an account is saved, send ``member_renamed`` when its public name differs from the noted one."""
    before = instance.__dict__.pop("_pressclub_public_name_before", None)
    if raw or before is None or before == instance.public_name:
        return
    member_renamed.send(sender=sender, user=instance, name_before=before)


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
        standing_changed([user.pk])  # the account's row kept in the cache (session_user)
        user.language = language = chosen
    request.session[SESSION_LANGUAGE_KEY] = language


def language_chosen_keep(sender, request, language, **kwargs):
    """Store the language a signed-in reader chose on their account (e-mails follow it too)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "language", None) != language:
        User.objects.filter(pk=user.pk).update(language=language)
        standing_changed([user.pk])  # the account's row kept in the cache (session_user)
        user.language = language


# The standing kept in Django's cache for members' pages (permissions.standing_changed): each of
# its inputs renews it once its change commits.


def standing_of_account_changed(sender, instance, **kwargs):
    """After an account, its membership, an e-mail address or an author link is saved or deleted."""
    user_id = instance.pk if isinstance(instance, User) else getattr(instance, "user_id", None)
    ids = {user_id, getattr(instance, "_pressclub_user_id_before", None)}
    standing_changed(ids)


def author_link_before(sender, instance, **kwargs):
    """Before an author is saved, note the account it was linked to (a new link changes two standings)."""
    if instance.pk is not None:
        instance._pressclub_user_id_before = (
            sender.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        )


def standing_of_group_changed(sender, instance, **kwargs):
    """After a group is renamed or deleted (before, for a deletion): its members' standing."""
    standing_changed(instance.user_set.values_list("pk", flat=True))


def standing_of_relation_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """After accounts' groups or permissions, or groups' permissions, change (``m2m_changed``).

    ``sender`` is the through model: ``User.groups``, ``User.user_permissions`` (rows hold a
    ``user_id``) or ``Group.permissions`` (the standing of every member of the groups changes).
    """
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    from django.contrib.auth.models import Group

    if sender is Group.permissions.through:
        if not reverse:
            groups = [instance.pk]
        elif action == "pre_clear":
            groups = list(sender.objects.filter(permission_id=instance.pk).values_list("group_id", flat=True))
        else:
            groups = list(pk_set or ())
        standing_changed(User.objects.filter(groups__in=groups).values_list("pk", flat=True))
    elif not reverse:
        standing_changed([instance.pk])
    elif action == "pre_clear":  # group.user_set.clear(), permission.user_set.clear()
        column = f"{instance._meta.model_name}_id"
        standing_changed(sender.objects.filter(**{column: instance.pk}).values_list("user_id", flat=True))
    else:
        standing_changed(pk_set or ())


def register() -> None:
    """Connect the receivers (called once from ``MembersConfig.ready()``)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    from pressclub.people.models import Author

    from .models import Membership

    pre_save.connect(first_name_from_display_name, sender=get_user_model(), dispatch_uid="members_first_name")
    # member_renamed: comments signed with the old name are shown on cached pages (comments app).
    pre_save.connect(public_name_before, sender=get_user_model(), dispatch_uid="members_public_name_before")
    post_save.connect(public_name_changed, sender=get_user_model(), dispatch_uid="members_public_name_changed")
    # The standing members' pages read from the cache (permissions.standing_changed).
    for model in (User, Membership, EmailAddress, Author):
        post_save.connect(standing_of_account_changed, sender=model, dispatch_uid=f"members_standing_{model.__name__}")
        post_delete.connect(standing_of_account_changed, sender=model,
                            dispatch_uid=f"members_standing_deleted_{model.__name__}")
    pre_save.connect(author_link_before, sender=Author, dispatch_uid="members_standing_author_before")
    post_save.connect(standing_of_group_changed, sender=Group, dispatch_uid="members_standing_group")
    pre_delete.connect(standing_of_group_changed, sender=Group, dispatch_uid="members_standing_group_deleted")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(standing_of_relation_changed, sender=through,
                            dispatch_uid=f"members_standing_{through.__name__}")
    email_confirmed.connect(accept_invitation_on_confirmation, dispatch_uid="members_accept_invitation")
    # user_logged_in: after any sign-in (password, code, confirmation link), with the request.
    user_logged_in.connect(language_on_sign_in, dispatch_uid="members_language_on_sign_in")
    # language_chosen: after a reader pressed one of the footer's language buttons.
    language_chosen.connect(language_chosen_keep, dispatch_uid="members_language_chosen_keep")

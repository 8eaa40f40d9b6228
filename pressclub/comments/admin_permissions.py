"""Who may moderate readers' comments."""

from django.contrib.auth import get_user_model
from django.db.models import Q

MODERATE_PERMISSION = "comments.moderate_comments"
# The editorial groups that moderate by default. Their members keep moderating when the permission
# row has gone missing (a group recreated by hand, a database flushed between test runs).
MODERATING_GROUPS = ("Moderators", "Editors")


def can_moderate(user) -> bool:
    """Return True if ``user`` may use the moderation queue and the e-mail approve links.

    Active superusers, holders of the ``comments.moderate_comments`` permission (granted to the
    Moderators and Editors groups by the comments migrations, editable in Wagtail's group settings)
    and members of those two groups moderate. Anonymous and inactive users never do.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(MODERATE_PERMISSION):
        return True
    return user.groups.filter(name__in=MODERATING_GROUPS).exists()


def moderators():
    """Return the active accounts with an e-mail address that may moderate, each once (a User QuerySet).

    The same people :func:`can_moderate` lets in, as one query: superusers, members of the
    Moderators and Editors groups, and holders of ``comments.moderate_comments`` directly or
    through a group.
    """
    app_label, codename = MODERATE_PERMISSION.split(".")
    may_moderate = (
        Q(is_superuser=True)
        | Q(groups__name__in=MODERATING_GROUPS)
        | Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
        | Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename)
    )
    # A subquery rather than .distinct() over the joins: each account appears once, in a stable order.
    candidates = get_user_model().objects.filter(may_moderate).values("pk")
    return get_user_model().objects.filter(pk__in=candidates, is_active=True).exclude(email="").order_by("pk")

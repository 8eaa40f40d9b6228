"""Who may moderate readers' comments."""

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

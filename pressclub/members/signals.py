"""Signals the members app sends. Other apps listen; the members app imports none of them."""

from django.dispatch import Signal
from django.utils.translation import gettext_noop

# Sent by members.services.account_delete just before the account is deleted, inside the same
# transaction. Arguments: ``user`` (the User, still in the database) and ``remove_comments``
# (bool: True to remove the person's comments, False to keep them shown as "former member").
member_leaving = Signal()

# Sent after an account was saved with another public name (``User.public_name``: the display name,
# else the first and last names) than it had, whoever saved it (the profile page, the admin, a
# command), inside the saving transaction. A save that leaves the name as it was sends nothing.
# Arguments: ``user`` (the User as saved) and ``name_before`` (str, the public name it had).
member_renamed = Signal()

# The name shown on comments kept after their author left (``remove_comments=False``).
# Stored in English (gettext_noop marks it for the catalogues); pages show gettext() of it.
FORMER_MEMBER_NAME = gettext_noop("former member")

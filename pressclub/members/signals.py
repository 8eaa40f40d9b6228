"""Signals the members app sends. Other apps listen; the members app imports none of them."""

from django.dispatch import Signal

# Sent by members.services.account_delete just before the account is deleted, inside the same
# transaction. Arguments: ``user`` (the User, still in the database) and ``remove_comments``
# (bool: True to remove the person's comments, False to keep them shown as "former member").
member_leaving = Signal()

# The name shown on comments kept after their author left (``remove_comments=False``).
FORMER_MEMBER_NAME = "former member"

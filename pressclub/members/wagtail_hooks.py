"""Wagtail admin hooks: the "Members" menu (memberships and invitations) and its bulk decisions.

Both models answer to one permission policy (``members.permissions.DeciderPermissionPolicy``):
those holding ``members.decide_membership`` see and decide, others see nothing, not even the menu.
"""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from .bulk_actions import ApproveBulkAction, DeclineBulkAction
from .models import Invitation, Membership
from .permissions import DeciderPermissionPolicy
from .viewsets import MembersViewSetGroup

register_permission_policy(Membership, DeciderPermissionPolicy(Membership, actions={"view", "decide"}))
register_permission_policy(Invitation, DeciderPermissionPolicy(Invitation, actions={"view", "add"}))


@hooks.register("register_admin_viewset")
def register_members_viewsets():
    """Add "Members" to the admin menu, after "Comments", with its two listings."""
    return MembersViewSetGroup()


hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", DeclineBulkAction)


class MembershipDeleteBulkAction(DeleteBulkAction):
    """Refuse Wagtail's bulk delete for memberships, before it lists a single row.

    A deleted row would silently undo a ban or a decline, without telling the reader; the
    decisions do that properly. Registered after Wagtail's own delete (``order=1``), which it
    replaces for this one model.
    """

    models = [Membership]

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied("Memberships are not deleted: decline, suspend or ban instead.")


hooks.register("register_bulk_action", MembershipDeleteBulkAction, order=1)

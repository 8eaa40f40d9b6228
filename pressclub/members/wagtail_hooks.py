"""Wagtail admin hooks: the "Members" menu (memberships and invitations), its bulk decisions, and
the dashboard panel of membership requests.

Both models answer to one permission policy (``members.permissions.DeciderPermissionPolicy``):
those holding ``members.decide_membership`` see and decide, others see nothing, not even the menu.
"""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from .bulk_actions import ApproveBulkAction, DeclineBulkAction
from .models import Invitation, Membership
from .permissions import DeciderPermissionPolicy, can_decide
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


class MembershipRequestsPanel(Component):
    """The dashboard panel "Membership requests": the count, a link to the requests, and the five
    oldest with the reader's note. Shown to those who decide memberships when any request waits."""

    name = "membership_requests"
    order = 95  # after held comments, above Wagtail's own panels
    template_name = "members/admin/requests_panel.html"
    shown = 5

    def get_context_data(self, parent_context):
        """Return the panel's id and heading, ``total`` (int) and ``requests`` (Membership list) (two queries)."""
        waiting = Membership.objects.requested()
        return {"panel_id": "membership-requests", "heading": "Membership requests",
                "total": waiting.count(), "requests": list(waiting.select_related("user")[: self.shown])}


@hooks.register("construct_homepage_panels")
def add_membership_requests_panel(request, panels):
    """Put the waiting membership requests on the dashboard of those who decide them."""
    if can_decide(request.user):
        panels.append(MembershipRequestsPanel())

"""Wagtail admin hooks: the "Members" menu item, the membership pages' URLs and their permission."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

app_name = "memberships"
urlpatterns = [
    path("", admin_views.MembershipIndexView.as_view(), name="index"),
    path(
        "<int:pk>/approve/",
        admin_views.MembershipDecisionView.as_view(),
        {"action": "approve"},
        name="approve",
    ),
    path(
        "<int:pk>/decline/",
        admin_views.MembershipDecisionView.as_view(),
        {"action": "decline"},
        name="decline",
    ),
    path(
        "<int:pk>/reinstate/",
        admin_views.MembershipDecisionView.as_view(),
        {"action": "reinstate"},
        name="reinstate",
    ),
    path("account/<int:user_pk>/restrict/", admin_views.RestrictView.as_view(), name="restrict"),
    path("account/find/", admin_views.FindAccountView.as_view(), name="find"),
    path("invitations/", admin_views.InvitationView.as_view(), name="invitations"),
]


@hooks.register("register_admin_urls")
def register_membership_urls():
    """Mount the membership pages at ``/admin/members/`` (URL names ``memberships:…``)."""
    return [path("members/", include((urlpatterns, app_name), namespace=app_name))]


class MembershipMenuItem(MenuItem):
    """The "Members" menu item, shown only to those who may decide on memberships."""

    def is_shown(self, request):
        return admin_views.can_decide(request.user)


@hooks.register("register_admin_menu_item")
def register_membership_menu_item():
    """Add "Members" to the admin menu, after "Comments"."""
    return MembershipMenuItem(
        "Members", reverse("memberships:index"), name="members", icon_name="group", order=260
    )


@hooks.register("register_permissions")
def register_membership_permission():
    """Let administrators grant the membership permission to groups in Wagtail's group editor."""
    return Permission.objects.filter(content_type__app_label="members", codename="decide_membership")

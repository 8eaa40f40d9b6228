"""Wagtail admin hooks: the moderation queue and its log (viewsets), their bulk decisions, the
e-mail approve link's URL, the moderation permission, the queue's phone layout, and the
dashboard's count and panel of held comments."""

from django.contrib.auth.models import Permission
from django.urls import include, path
from wagtail import hooks
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import admin_views
from .admin_permissions import can_moderate
from .models import Comment, ModerationAction

register_permission_policy(Comment, admin_views.ModeratorPermissionPolicy(Comment))
register_permission_policy(ModerationAction, admin_views.ModeratorPermissionPolicy(ModerationAction))
register_snippet(admin_views.CommentViewSet)
register_snippet(admin_views.ModerationLogViewSet)
for bulk_action in admin_views.BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)

app_name = "comments_moderation"
urlpatterns = [
    path("approve/<str:token>/", admin_views.ApproveLinkView.as_view(), name="approve_link"),
]


@hooks.register("register_admin_urls")
def register_moderation_urls():
    """Mount the e-mail approve link at ``/admin/comments/approve/<token>/`` (``comments_moderation:…``)."""
    return [path("comments/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_permissions")
def register_moderation_permission():
    """Let administrators grant "Can moderate readers' comments" to groups in Wagtail's group editor."""
    return Permission.objects.filter(content_type__app_label="comments", codename="moderate_comments")


class PendingCommentsSummaryItem(SummaryItem):
    """The dashboard's "N comments awaiting moderation" tile, for moderators."""

    order = 250
    template_name = "comments/admin/summary_pending.html"

    def is_shown(self):
        """Show the tile to those who may moderate."""
        return can_moderate(self.request.user)

    def get_context_data(self, parent_context):
        """Count the comments awaiting moderation."""
        return {"pending": Comment.objects.awaiting_moderation().count()}


@hooks.register("construct_homepage_summary_items")
def add_pending_comments_summary(request, items):
    """Show moderators on the admin dashboard how many comments wait for them."""
    items.append(PendingCommentsSummaryItem(request))


class HeldCommentsPanel(Component):
    """The dashboard panel "Comments awaiting moderation": the count, a link to the queue, and the
    five oldest held comments with why each is held. Shown to moderators when any comment waits."""

    name = "held_comments"
    order = 90  # above Wagtail's own panels: pending work first
    template_name = "comments/admin/pending_panel.html"
    shown = 5

    def get_context_data(self, parent_context):
        """Return the panel's id and heading, ``total`` (int) and ``comments`` (Comment list) (two queries)."""
        held = Comment.objects.awaiting_moderation()
        return {"panel_id": "held-comments", "heading": "Comments awaiting moderation",
                "total": held.count(), "comments": list(held.select_related("page", "user")[: self.shown])}


@hooks.register("construct_homepage_panels")
def add_held_comments_panel(request, panels):
    """Put the held comments on the dashboard of those who may moderate."""
    if can_moderate(request.user):
        panels.append(HeldCommentsPanel())

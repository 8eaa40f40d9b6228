"""Wagtail admin hooks: the moderation queue and its log (viewsets), their bulk decisions, the
e-mail approve link's URL, the moderation permission and the dashboard's count."""

from django.contrib.auth.models import Permission
from django.urls import include, path
from wagtail import hooks
from wagtail.admin.site_summary import SummaryItem
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

"""Wagtail admin hooks: the "Comments" menu item, the moderation queue's URLs and its permission."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from . import admin_views
from .admin_permissions import can_moderate
from .models import Comment

app_name = "comments_moderation"
urlpatterns = [
    path("", admin_views.ModerationQueueView.as_view(), name="queue"),
    path("log/", admin_views.ModerationLogView.as_view(), name="log"),
    path("approve/<str:token>/", admin_views.ApproveLinkView.as_view(), name="approve_link"),
]


@hooks.register("register_admin_urls")
def register_moderation_urls():
    """Mount the queue at ``/admin/comments/`` (URL names ``comments_moderation:…``)."""
    return [path("comments/", include((urlpatterns, app_name), namespace=app_name))]


class ModerationMenuItem(MenuItem):
    """The "Comments" menu item, shown only to those who may moderate."""

    def is_shown(self, request):
        return can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    """Add "Comments" to the admin menu, below the pages explorer."""
    return ModerationMenuItem(
        "Comments", reverse("comments_moderation:queue"), name="comments", icon_name="comment", order=250
    )


@hooks.register("register_permissions")
def register_moderation_permission():
    """Let administrators grant "Can moderate readers' comments" to groups in Wagtail's group editor."""
    return Permission.objects.filter(content_type__app_label="comments", codename="moderate_comments")


class PendingCommentsSummaryItem(SummaryItem):
    """The dashboard's "N comments awaiting moderation" tile, for moderators."""

    order = 250
    template_name = "comments/admin/summary_pending.html"

    def is_shown(self):
        return can_moderate(self.request.user)

    def get_context_data(self, parent_context):
        return {"pending": Comment.objects.awaiting_moderation().count()}


@hooks.register("construct_homepage_summary_items")
def add_pending_comments_summary(request, items):
    """Show moderators on the admin dashboard how many comments wait for them."""
    items.append(PendingCommentsSummaryItem(request))

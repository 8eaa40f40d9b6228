"""Reader-facing URLs of the comments app (included by pressclub/urls.py before Wagtail's catch-all)."""

from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("comments/post/<int:page_id>/", views.comment_post, name="post"),
    path("comments/<int:comment_id>/reply/", views.comment_reply, name="reply"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="delete"),
    path("comments/<int:comment_id>/flag/", views.comment_flag, name="flag"),
    path("comments/confirm/<str:token>/", views.comment_confirm, name="confirm"),
    path("comments/unsubscribe/<str:token>/", views.comment_unsubscribe, name="unsubscribe"),
    path("comments/feed/", feeds.SiteCommentsFeed(), name="feed"),
    path("comments/feed/atom/", feeds.SiteCommentsAtomFeed(), name="feed_atom"),
    path("comments/feed/<int:page_id>/", feeds.PageCommentsFeed(), name="page_feed"),
    path("comments/feed/<int:page_id>/atom/", feeds.PageCommentsAtomFeed(), name="page_feed_atom"),
]

"""Reader-facing URLs of the comments app (included by pressclub/urls.py before Wagtail's catch-all).

The comment feeds are kept by the page cache like reader pages (``core.cache``) and forgotten when a
comment is approved, edited or removed (``signal_handlers._purge`` purges the page cache).
"""

from django.urls import path

from pressclub.core.cache import cacheable_view as cached

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
    path("comments/feed/", cached(feeds.SiteCommentsFeed()), name="feed"),
    path("comments/feed/atom/", cached(feeds.SiteCommentsAtomFeed()), name="feed_atom"),
    path("comments/feed/<int:page_id>/", cached(feeds.PageCommentsFeed()), name="page_feed"),
    path("comments/feed/<int:page_id>/atom/", cached(feeds.PageCommentsAtomFeed()), name="page_feed_atom"),
]

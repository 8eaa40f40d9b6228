"""Blogger's old addresses, kept working after an import by permanent redirects (DESIGN.md, URLs).

Included by pressclub/urls.py before the search, news and Wagtail URLs: ``/search/`` is answered
here first so Blogger's "Older posts" link (``/search/?updated-max=…``) never reaches the search
page, and Wagtail's redirect middleware would drop ``?showComment=`` from the post paths.
"""

from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<slug>[^/\x00]+)\.html$", views.blogger_redirect, name="blogger_post"),
    re_path(r"^p/(?P<slug>[^/\x00]+)\.html$", views.blogger_redirect, name="blogger_page"),
    # A label name may hold "/" (Blogger writes %2F, which arrives decoded): the name runs to the end.
    re_path(r"^search/label/(?P<name>[^\x00]+?)/?$", views.label_redirect, name="label_redirect"),
    re_path(r"^search$", views.older_posts_redirect, name="older_posts_redirect"),
    path("search/", views.search_or_older_posts, name="search_or_older_posts"),
    re_path(r"^feeds/posts/(?:default|summary)/?$", views.feed_redirect, name="feed_posts_default"),
    re_path(r"^feeds/posts/(?:default|summary)/-/(?P<label>[^\x00]+?)/?$", views.feed_redirect, name="feed_posts_label"),
    path(
        "feeds/comments/default",
        RedirectView.as_view(pattern_name="comments:feed_atom", permanent=True, query_string=False),
        name="blogger_comments_feed",
    ),
]

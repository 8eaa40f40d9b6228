"""Reader-facing URLs of the importers app (included by pressclub/urls.py before Wagtail's catch-all)."""

from django.urls import re_path

from . import views

urlpatterns = [
    # Blogger's post and page paths; Wagtail's redirect middleware would drop ?showComment=.
    re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<slug>[^/]+)\.html$", views.blogger_redirect, name="blogger_post"),
    re_path(r"^p/(?P<slug>[^/]+)\.html$", views.blogger_redirect, name="blogger_page"),
]

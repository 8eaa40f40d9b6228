"""Reader-facing URLs of the search app (included by pressclub/urls.py before Wagtail's catch-all)."""

from django.urls import path

from . import views

urlpatterns = [path("search/", views.search, name="search")]

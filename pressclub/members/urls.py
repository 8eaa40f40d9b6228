"""Reader-facing URLs of the members app (included by pressclub/urls.py before Wagtail's catch-all)."""

from django.urls import path  # noqa: F401

urlpatterns = []

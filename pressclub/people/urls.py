"""Author pages (``<str:…>`` because Django's ``slug`` converter refuses Devanagari vowel signs)."""

from django.urls import path

from . import views

urlpatterns = [path("authors/<str:slug>/", views.author_detail, name="author_detail")]

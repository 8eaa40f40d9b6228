"""Author pages (``<str:…>`` because Django's ``slug`` converter refuses Devanagari vowel signs)."""

from django.urls import path

from pressclub.news.cache import cacheable_view

from . import views

urlpatterns = [path("authors/<str:slug>/", cacheable_view(views.author_detail), name="author_detail")]

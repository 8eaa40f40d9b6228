from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Reader-facing search."""

    name = "pressclub.search"
    label = "pressclub_search"
    verbose_name = "Search"

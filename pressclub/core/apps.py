from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Ground floor: standard pages, shared blocks, text utilities. Imports no feature app."""

    name = "pressclub.core"
    label = "core"
    verbose_name = "Site"

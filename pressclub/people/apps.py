from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Authors and their pages."""

    name = "pressclub.people"
    label = "people"
    verbose_name = "People"

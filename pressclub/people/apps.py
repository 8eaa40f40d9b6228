from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Authors: the people whose names stand in bylines (their pages are in news)."""

    name = "pressclub.people"
    label = "people"
    verbose_name = "People"

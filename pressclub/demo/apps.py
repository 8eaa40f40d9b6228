from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The invented Valley Press Club: demo stories, members and comments, and the commands loading them."""

    name = "pressclub.demo"
    label = "demo"
    verbose_name = "Demo"

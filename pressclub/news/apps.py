from django.apps import AppConfig


class NewsConfig(AppConfig):
    """Front page, sections, articles, labels, archives and feeds."""

    name = "pressclub.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()

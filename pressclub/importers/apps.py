from django.apps import AppConfig


class ImportersConfig(AppConfig):
    """Blogger and wire-story import."""

    name = "pressclub.importers"
    label = "importers"
    verbose_name = "Importers"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()

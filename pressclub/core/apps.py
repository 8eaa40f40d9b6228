from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    """Ground floor: standard pages, shared blocks, text utilities. Imports no feature app."""

    name = "pressclub.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from pressclub.core import checks  # noqa: F401 - registers the deployment checks
        from pressclub.core.signal_handlers import register_signal_handlers

        register_signal_handlers()
        if settings.PRESSCLUB_AVIF_SPEED is not None:
            from pressclub.core.images import use_avif_speed

            use_avif_speed(settings.PRESSCLUB_AVIF_SPEED)

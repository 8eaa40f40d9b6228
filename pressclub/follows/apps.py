from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    """Follow by e-mail: readers follow the site, a section, a label or an author and get a digest."""

    name = "pressclub.follows"
    label = "follows"
    verbose_name = _("Follow by e-mail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()

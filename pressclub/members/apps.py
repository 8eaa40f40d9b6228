from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Accounts, membership and roles."""

    name = "pressclub.members"
    label = "members"
    verbose_name = "Members"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()

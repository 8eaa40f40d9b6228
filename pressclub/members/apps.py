from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Accounts, membership and roles."""

    name = "pressclub.members"
    label = "members"
    verbose_name = "Members"

    def ready(self):
        from pressclub.core.member_pages import (
            register_admin_check,
            register_read_ahead,
            register_reader_kind,
        )

        from . import signal_handlers
        from .permissions import may_open_admin, reader_kind
        from .session_user import read_ahead_keys

        signal_handlers.register()
        register_reader_kind(reader_kind)
        register_admin_check(may_open_admin)
        register_read_ahead(read_ahead_keys)

"""``manage.py createsuperuser`` that also asks the administrator's display name.

Django's command prompts for ``REQUIRED_FIELDS`` but accepts a blank answer for a field declared
``blank=True``, as ``User.display_name`` is (readers made by allauth fill it at sign-up). An
administrator without a name would sign comments and appear in the admin by e-mail address alone,
so this command asks again until a name is given, and ``--noinput`` needs ``--display_name`` or
``DJANGO_SUPERUSER_DISPLAY_NAME``.
"""

from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError

from pressclub.members.names import display_name_clean


class Command(createsuperuser.Command):
    """Create an administrator: e-mail address, display name and password."""

    help = "Create an administrator account: e-mail address, display name (shown with comments) and password."

    def get_input_data(self, field, message, default=None):
        """Prompt as Django does; for the display name, clean it and ask again while it is blank."""
        value = super().get_input_data(field, message, default)
        if field.name == "display_name" and value is not None:
            value = display_name_clean(value)
            if not value:
                self.stderr.write("Error: an administrator needs a display name (shown with their comments).")
                return None
        return value

    def handle(self, *args, **options):
        """Refuse ``--noinput`` with a blank display name before Django creates the account."""
        if not options["interactive"]:
            import os

            given = options.get("display_name") or os.environ.get("DJANGO_SUPERUSER_DISPLAY_NAME", "")
            if not display_name_clean(given):
                raise CommandError(
                    "An administrator needs a display name: use --display_name NAME or "
                    "DJANGO_SUPERUSER_DISPLAY_NAME with --noinput."
                )
            options["display_name"] = display_name_clean(given)
        return super().handle(*args, **options)

"""Words of allauth and of Django's password checks that readers see on the account pages, for our
translation catalogues.

django-allauth ships no Nepali, Hindi or Bengali catalogue, and Django's own lack its password
checks' sentences in these languages. A message is looked up in every catalogue Django has loaded,
ours first (LOCALE_PATHS), so listing them here (marked, never shown from here) lets
``makemessages`` put them in ``pressclub/locale`` where they are translated. Each is copied exactly as
its library writes it (allauth/account/forms.py, allauth/account/adapter.py,
django/contrib/auth/password_validation.py).
"""

from django.utils.translation import gettext_noop, ngettext

ALLAUTH_STRINGS = (
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Remember Me"),
    gettext_noop("Code"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("You must type the same password each time."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Incorrect code."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Please type your current password."),
    gettext_noop("Forgot your password?"),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
)


def _plural_messages(n: int) -> tuple[str, str]:
    """Never called: the plural messages of Django's minimum-length check, for ``makemessages``."""
    return (
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            n,
        ),
        ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            n,
        ),
    )

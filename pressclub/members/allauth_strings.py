"""allauth's own words that readers see on the sign-up and sign-in pages, for our translation catalogues.

django-allauth ships no Nepali, Hindi or Bengali catalogue. Its messages are looked up in every
catalogue Django has loaded, ours included, so listing them here (marked, never called) lets
``makemessages`` put them in ``pressclub/locale`` where they are translated. Each is copied exactly as
allauth writes it (allauth/account/forms.py, allauth/account/adapter.py).
"""

from django.utils.translation import gettext_noop

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
)

"""allauth's forms with pressclub's address rules (``members.addresses``), named in ACCOUNT_FORMS.

Each form validates its address field with ``validate_mailbox`` (a clear refusal of non-ASCII local
parts) and hands allauth the normalised address, so every door finds the same account.
"""

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

from pressclub.core import ratelimit
from pressclub.core.numerals import local_digits
from pressclub.core.ratelimit import wait_phrase

from .addresses import email_normalise, use_mailbox_validation
from .names import display_name_clean, display_name_refusal


class _MailboxFieldMixin:
    """Validate the form's address field (``mailbox_field``) with ``validate_mailbox``."""

    mailbox_field = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.mailbox_field]
        use_mailbox_validation(field)
        # allauth says "Email"; the site writes "e-mail" everywhere.
        field.label = _("E-mail address")
        field.widget.attrs["placeholder"] = "name@example.org"


class LoginForm(_MailboxFieldMixin, allauth_forms.LoginForm):
    """Sign in by address and password (or by code); the address is normalised before lookup."""

    mailbox_field = "login"

    def clean_login(self) -> str:
        """Return the typed address normalised (IDNA domain, lower case)."""
        return email_normalise(super().clean_login())


def help_texts_in_local_digits(form) -> None:
    """Write the digits of each of ``form``'s help texts in the active language's script ("at least
    8 characters" from Django's password validators → "कम्तीमा ८ अक्षर"), keeping HTML help (the
    validators' list) marked safe. Call it from the form's ``__init__``, at request time."""
    for field in form.fields.values():
        if field.help_text:
            text = local_digits(str(field.help_text))
            field.help_text = mark_safe(text) if isinstance(field.help_text, SafeData) else text  # noqa: S308 - only digits changed


class SignupForm(_MailboxFieldMixin, allauth_forms.SignupForm):
    """Sign up with an address, a display name and a password.

    The adapter's ``clean_email`` normalises the address; the display name passes the profile's
    checks (``names.display_name_clean`` and ``display_name_refusal``) and the adapter's
    ``save_user`` stores it, so no account starts without a name.
    """

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("Shown with your comments. Up to 80 characters; you can change it later in your profile."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = ["email", "display_name", "password1", "password2"]
        self.order_fields(order + [name for name in self.fields if name not in order])
        help_texts_in_local_digits(self)

    def try_save(self, request):
        """Create the account as allauth does: return ``(user, None)``, or ``(None, response)``.

        Two POSTs of one form (a double tap on a slow phone) both pass validation; the second then
        meets the address's unique index (``IntegrityError``). That one is answered as any sign-up
        of a registered address is, with the "check your e-mail" redirect: no second account, no 500.
        """
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            email = self.cleaned_data.get("email") or ""
            if not get_user_model().objects.filter(email__iexact=email).exists():
                raise
            return None, get_adapter(request).respond_email_verification_sent(request, None)

    def clean_display_name(self) -> str:
        """Return the name without invisible characters; refuse an empty one or the newsroom's."""
        name = display_name_clean(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Enter the name to show with your comments."))
        refusal = display_name_refusal(name, user=None)
        if refusal:
            raise forms.ValidationError(refusal)
        return name


class RequestLoginCodeForm(_MailboxFieldMixin, allauth_forms.RequestLoginCodeForm):
    """Ask for a sign-in code; the address is normalised before allauth looks the account up."""

    def clean_email(self) -> str:
        """Normalise the address, count the request (:func:`login_code_wait`), then let allauth
        look the account up (and count the client's address)."""
        email = email_normalise(self.cleaned_data["email"])
        self.cleaned_data["email"] = email
        if email:
            from allauth.core import context

            wait = login_code_wait(context.request, email)
            if wait:
                raise forms.ValidationError(
                    _("Sign-in codes for this address were asked for too often just now. You can ask for "
                      "a new code in %(wait)s; a code already sent stays valid, and you can "
                      "also sign in with your password.") % {"wait": wait_phrase(wait)},
                    code="login_code_wait",
                )
        return super().clean_email()


def login_code_wait(request, email: str) -> int:
    """Count one sign-in code request for ``email`` and return 0, or the seconds to wait.

    Counted per address *and* client (``PRESSCLUB_LOGIN_CODE_LIMITS["address_client"]``), so a
    stranger asking codes for someone's address does not stop the owner asking from their own
    device; and per address alone only as a wide net (``["address"]``) that keeps a mailbox from
    being flooded from many places. allauth still counts each client's requests (its
    ``request_login_code`` rate, per address only).
    """
    limits = settings.PRESSCLUB_LOGIN_CODE_LIMITS
    here = ratelimit.address_key(request)
    return ratelimit.consume_key(f"{email}|{here}", scope="login_code", rates=limits["address_client"]) or (
        ratelimit.consume_key(email, scope="login_code_address", rates=limits["address"])
    )


class ResetPasswordForm(_MailboxFieldMixin, allauth_forms.ResetPasswordForm):
    """Ask for a password reset link, mailed to the normalised address."""

    def clean_email(self) -> str:
        """Look the account up (allauth), and return the normalised address, not the typed one."""
        super().clean_email()
        return email_normalise(self.cleaned_data["email"])


class AddEmailForm(_MailboxFieldMixin, allauth_forms.AddEmailForm):
    """Add or change an account's address; the adapter's ``clean_email`` normalises it."""

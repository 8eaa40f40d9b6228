"""allauth's forms with pressclub's address rules (``members.addresses``), named in ACCOUNT_FORMS.

Each form validates its address field with ``validate_mailbox`` (a clear refusal of non-ASCII local
parts) and hands allauth the normalised address, so every door finds the same account.
"""

from allauth.account import forms as allauth_forms

from .addresses import email_normalise, use_mailbox_validation


class _MailboxFieldMixin:
    """Validate the form's address field (``mailbox_field``) with ``validate_mailbox``."""

    mailbox_field = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_mailbox_validation(self.fields[self.mailbox_field])


class LoginForm(_MailboxFieldMixin, allauth_forms.LoginForm):
    """Sign in by address and password (or by code); the address is normalised before lookup."""

    mailbox_field = "login"

    def clean_login(self) -> str:
        """Return the typed address normalised (IDNA domain, lower case)."""
        return email_normalise(super().clean_login())


class SignupForm(_MailboxFieldMixin, allauth_forms.SignupForm):
    """Sign up; the adapter's ``clean_email`` normalises the address."""


class RequestLoginCodeForm(_MailboxFieldMixin, allauth_forms.RequestLoginCodeForm):
    """Ask for a sign-in code; the address is normalised before allauth looks the account up."""

    def clean_email(self) -> str:
        """Normalise the address, then let allauth look it up and count the request."""
        self.cleaned_data["email"] = email_normalise(self.cleaned_data["email"])
        return super().clean_email()


class ResetPasswordForm(_MailboxFieldMixin, allauth_forms.ResetPasswordForm):
    """Ask for a password reset link, mailed to the normalised address."""

    def clean_email(self) -> str:
        """Look the account up (allauth), and return the normalised address, not the typed one."""
        super().clean_email()
        return email_normalise(self.cleaned_data["email"])


class AddEmailForm(_MailboxFieldMixin, allauth_forms.AddEmailForm):
    """Add or change an account's address; the adapter's ``clean_email`` normalises it."""

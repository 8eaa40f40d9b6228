"""How allauth treats our readers: addresses normalised, confirmation links bound to the
address, wrong passwords counted fairly, e-mails sent in the background."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.urls import reverse, reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from pressclub.core.http import client_ip
from pressclub.core.links import absolute_url

from .addresses import email_normalise
from .confirmation import AddressBoundConfirmation
from .emails import message_queue


class AccountAdapter(DefaultAccountAdapter):
    """allauth adapter for pressclub.

    Addresses are normalised wherever allauth cleans them (``addresses.email_normalise``), so
    ``Ana.Ruiz@Example.ORG`` and ``ana.ruiz@example.org`` name one account (the user model's
    manager does the same).

    Wrong passwords are counted so that nobody can lock a member out (ACCOUNT_RATE_LIMITS):
    ``login_failed`` counts per client address and per (account, address) pair, and
    ``login_failed_account`` is the account-wide ceiling against many addresses guessing one
    password. Past the ceiling the account is not locked: its password is not accepted for a while,
    and the form points to the e-mailed sign-in code, which only the mailbox's owner receives. The
    ceiling is keyed by the address typed, known account or not, so it reveals nothing.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": "Too many failed sign-in attempts. Wait a few minutes and try again.",
        # HTML with a link; format_html escapes the URL, lazily as URLs load later.
        "login_by_code_required": lazy(format_html, SafeString)(
            "Too many wrong passwords have been tried for this address, so for now it signs in with "
            'a code sent by e-mail: <a href="{}">e-mail me a sign-in code</a>.',
            reverse_lazy("account_request_login_code"),
        ),
    }

    def clean_email(self, email: str) -> str:
        """Return ``email`` normalised (``addresses.email_normalise``), after allauth's own checks."""
        return email_normalise(super().clean_email((email or "").strip()))

    def _login_account_key(self, request, **credentials) -> str:
        """Return allauth's per-account key: the site's domain and the login typed, lower-cased."""
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Return the key of the per-(account, address) count of wrong passwords.

        allauth keys ``login_failed``'s ``key`` rate by account alone, which lets anyone lock the
        owner out from anywhere; adding the client address makes it count one guesser.
        """
        return f"{self._login_account_key(request, **credentials)}:{client_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        """Refuse a password sign-in past the account-wide ceiling or allauth's own limits.

        Raise ValidationError ``login_by_code_required`` when the account has had too many wrong
        passwords from anywhere (the form then offers a sign-in code), or allauth's
        ``too_many_login_attempts`` past the per-address or per-(account, address) limit.
        """
        account = self._login_account_key(request, **credentials)
        if not ratelimit.consume(request, action="login_failed_account", key=account, dry_run=True):
            raise self.validation_error("login_by_code_required")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials) -> None:
        """Count a wrong password toward the account-wide ceiling."""
        ratelimit.consume(request, action="login_failed_account", key=self._login_account_key(request, **credentials))

    def save_user(self, request, user, form, commit=True):
        """Save a new account as allauth does, with the display name typed at sign-up."""
        name = form.cleaned_data.get("display_name")
        if name:
            user.display_name = name
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request) -> str:
        """Return the client's address for allauth's rate limits (``core.http.client_ip``).

        Raise PermissionDenied when the request carries no usable address, as allauth does.
        """
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's e-mail now (it needs the request) and put it into the outbox for the worker."""
        request = self.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_name": self._site_name(),
            **context,
        }
        message_queue(self.render_mail(template_prefix, email, ctx))

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        """Mail a confirmation link whose key is bound to the address (see ``members.confirmation``)."""
        bound = AddressBoundConfirmation(emailconfirmation.email_address)
        super().send_confirmation_mail(request, bound, signup)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """Return the absolute link to our confirmation view for ``emailconfirmation``."""
        key = AddressBoundConfirmation(emailconfirmation.email_address).key
        path = reverse("account_confirm_email", kwargs={"key": key})
        return absolute_url(path, request=request)

    @staticmethod
    def _site_name() -> str:
        from .emails import site_name

        return site_name()

    def get_email_verification_redirect_url(self, email_address) -> str:
        """After confirming, go to the membership page (through sign-in when not signed in)."""
        membership_url = reverse("members:membership")
        if self.request.user.is_authenticated:
            return membership_url
        return reverse("account_login") + "?" + urlencode({"next": membership_url})

    def get_signup_redirect_url(self, request) -> str:
        """After signing up (and confirming), go to the membership page, where one asks to join."""
        return reverse("members:membership")

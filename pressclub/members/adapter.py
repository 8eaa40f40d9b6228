"""How allauth treats our readers: addresses lowercased, confirmation links bound to the
address, e-mails sent in the background."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.urls import reverse, reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from pressclub.core.http import client_ip
from pressclub.core.links import absolute_url

from .confirmation import AddressBoundConfirmation
from .emails import message_queue


class AccountAdapter(DefaultAccountAdapter):
    """allauth adapter for pressclub.

    Addresses are lowercased wherever allauth cleans them, so ``Ana.Ruiz@Example.ORG`` and
    ``ana.ruiz@example.org`` name one account (the user model's manager does the same).
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # HTML with links to sign in and reset; format_html escapes the URLs, lazily as URLs load later.
        "email_taken": lazy(format_html, SafeString)(
            'This e-mail address is already registered. <a href="{}">Sign in</a>, '
            'or <a href="{}">reset your password</a>.',
            reverse_lazy("account_login"),
            reverse_lazy("account_reset_password"),
        ),
        "too_many_login_attempts": "Too many failed sign-in attempts. Wait a few minutes and try again.",
    }

    def clean_email(self, email: str) -> str:
        """Return ``email`` stripped and lowercased, after allauth's own checks."""
        return super().clean_email((email or "").strip()).lower()

    def get_client_ip(self, request) -> str:
        """Return the client's address for allauth's rate limits (``core.http.client_ip``).

        Raise PermissionDenied when the request carries no usable address, as allauth does.
        """
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's e-mail now (it needs the request) and send it from a background task."""
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

"""The admin sign-ins (Wagtail's ``/admin/login/`` and Django's ``/django-admin/login/``).

They keep their own pages but check passwords through allauth's adapter, so a wrong password
counts in the same limits as on ``/accounts/login/`` (per address, per account and address, and
the account-wide ceiling; see ``members.adapter``): three doors, one count.
"""

from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.views.account import LoginView as WagtailLoginView

from .addresses import email_normalise


class _LimitedLoginMixin:
    """``AuthenticationForm.clean`` through allauth's ``adapter.authenticate`` (which counts)."""

    def clean(self):
        """Authenticate the address and password; raise ValidationError when wrong or limited."""
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                email = email_normalise(username)
            except ValidationError:
                email = username.strip()
            self.user_cache = get_adapter(self.request).authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminLoginForm(_LimitedLoginMixin, WagtailLoginForm):
    """Wagtail's admin sign-in form, rate-limited like the reader sign-in (WAGTAILADMIN_USER_LOGIN_FORM)."""


class DjangoAdminLoginForm(_LimitedLoginMixin, AdminAuthenticationForm):
    """Django's admin sign-in form, rate-limited like the reader sign-in (``admin.site.login_form``)."""


class AdminLoginView(WagtailLoginView):
    """Wagtail's admin sign-in, taking ``next`` only when it is a path on this site.

    Django's check lets a bare word through (it is a relative URL), and Wagtail hands it to
    ``redirect()``, which tries it as a URL name and fails with a server error for a signed-in
    editor. Anything that is not a path starting with ``/`` goes to the dashboard instead.
    """

    def get_redirect_url(self) -> str:
        """Return the safe ``next`` path, or ``""`` (the dashboard)."""
        url = super().get_redirect_url()
        return url if url.startswith("/") else ""

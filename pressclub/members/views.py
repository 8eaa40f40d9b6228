"""Reader pages of the members app: profile, membership, invitations, leaving, e-mail confirmation."""

import re

from allauth.account.views import ConfirmEmailView
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pressclub.core.language import SESSION_LANGUAGE_KEY, supported_language

from . import permissions, services
from .confirmation import AddressBoundConfirmation, confirmed_address
from .forms import AccountDeleteForm, MembershipRequestForm, ProfileForm
from .models import Invitation, User

# Invitation tokens are ``secrets.token_urlsafe(32)``; anything else is not looked up.
TOKEN_RE = re.compile(r"[-\w]{16,64}", re.ASCII)

STATUS_TEXT = {
    "unverified": _("Your e-mail address is not confirmed yet. Follow the link we sent you."),
    "registered": _("You are registered. Members may comment on stories; you may ask to join."),
    "requested": _("Your request to join is waiting for an editor. We will e-mail you the answer."),
    "member": _("You are a member of the club."),
    "suspended": _("Your membership is suspended."),
    "banned": _("Your account is banned from the club."),
}


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show and edit the reader's display name, bio, reply notifications and language.

    A language chosen here applies at once (session and the footer's cookie, see ``core.language``);
    "the site's default" forgets the reader's choice.
    """
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        language = supported_language(user.language)
        with translation.override(language or translation.get_language()):  # said in the new language
            messages.success(request, translation.gettext("Your profile has been saved."))
        response = redirect("members:profile")
        if language:
            request.session[SESSION_LANGUAGE_KEY] = language
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        else:
            request.session.pop(SESSION_LANGUAGE_KEY, None)
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
    status = permissions.membership_status(request.user)
    return render(
        request,
        "members/profile.html",
        {"form": form, "status": status, "status_text": STATUS_TEXT.get(status, "")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership(request: HttpRequest) -> HttpResponse:
    """Show the reader's membership status and, while they may, let them ask to join."""
    status = permissions.membership_status(request.user)
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(user=request.user, note=form.cleaned_data["note"])
        except services.MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your request has been sent to the editors."))
            return redirect("members:membership")
    record = getattr(request.user, "membership", None) if status != "member" else None
    context = {
        "form": form,
        "status": status,
        "status_text": STATUS_TEXT.get(status, ""),
        "can_request": status == "registered",
        "record": record,
    }
    return render(request, "members/membership.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Take an invited person to membership: through sign-up, sign-in, or a "Join" button.

    Unknown tokens get a 404 page, used or expired ones a 410 page, each saying what to do.
    """
    invitation = None
    if TOKEN_RE.fullmatch(token):
        invitation = Invitation.objects.filter(token=token).select_related("invited_by").first()
    context = {"invitation": invitation}
    if invitation is None:
        return render(request, "members/invitation.html", {**context, "problem": "unknown"}, status=404)
    if invitation.accepted_at is not None or not invitation.is_usable:
        problem = "accepted" if invitation.accepted_at else "expired"
        return render(request, "members/invitation.html", {**context, "problem": problem}, status=410)
    here = request.get_full_path()
    if not request.user.is_authenticated:
        has_account = User.objects.filter(email__iexact=invitation.email).exists()
        context.update(
            {
                "has_account": has_account,
                "signup_url": reverse("account_signup") + "?" + urlencode({"email": invitation.email}),
                "login_url": reverse("account_login") + "?" + urlencode({"next": here}),
            }
        )
        return render(request, "members/invitation.html", context)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.MembershipError as error:
            context["error"] = str(error)
            return render(request, "members/invitation.html", context, status=400)
        messages.success(request, _("Welcome! You are now a member of the club."))
        return redirect("members:membership")
    context["matches"] = request.user.emailaddress_set.filter(
        email__iexact=invitation.email, verified=True
    ).exists()
    return render(request, "members/invitation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the reader's account after they chose what happens to their comments and gave their password."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    # Typing the password here is a re-authentication: allauth's "reauthenticate" limit applies.
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=request.user
    ):
        form.is_valid()  # keep the choices made on the page
        form.add_error(None, _("Too many attempts. Wait a minute and try again."))
        return render(request, "members/account_delete.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user, remove_comments=form.remove_comments)
        messages.success(request, _("Your account has been deleted. Thank you for reading with us."))
        return redirect("/")
    return render(request, "members/account_delete.html", {"form": form}, status=400 if form.errors else 200)


class AddressBoundConfirmEmailView(ConfirmEmailView):
    """allauth's confirmation page with address-bound keys (see ``members.confirmation``).

    GET shows the confirm button and changes nothing; only POST confirms. A bad, used or stale
    key gets the page's "link not valid" text with status 404, on GET and on POST alike, except a
    used link opened by the signed-in owner of the now verified address: "This address is already
    confirmed." with status 200.
    """

    def _already_confirmed(self):
        address = confirmed_address(self.kwargs["key"], user=self.request.user)
        if address is None:
            return None
        return render(self.request, "members/email_already_confirmed.html", {"email": address.email})

    def get_object(self, queryset=None):
        confirmation = AddressBoundConfirmation.from_key(self.kwargs["key"])
        if confirmation is None:
            raise Http404("Unknown confirmation key.")
        return confirmation

    def get(self, *args, **kwargs):
        response = super().get(*args, **kwargs)
        if self.object is None:
            already = self._already_confirmed()
            if already is not None:
                return already
            response.status_code = 404
        return response

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:
            self.object = None
            return self._already_confirmed() or self.render_to_response(self.get_context_data(), status=404)


confirm_email = AddressBoundConfirmEmailView.as_view()

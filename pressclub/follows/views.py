"""Reader pages of the follows app: follow, confirm, one-click unsubscribe, and a member's changes."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pressclub.core import ratelimit
from pressclub.core.links import LinkError, unsubscribe_token_read
from pressclub.members.addresses import email_normalise

from . import services
from .emails import UNSUBSCRIBE_KIND
from .forms import FollowForm
from .models import Follow, Follower, Frequency


def _own_verified_address(request: HttpRequest, email: str) -> bool:
    user = request.user
    return user.is_authenticated and EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _link_error(request: HttpRequest, error: LinkError) -> HttpResponse:
    return render(request, "follows/result.html", {"title": _("Link not valid"), "message": error.message}, status=400)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Show the follow form; on POST record the request and answer "check your mail".

    The answer is the same whether or not the address follows already, and is rate-limited per
    client address like sign-up (``PRESSCLUB_FOLLOW_RATE_LIMITS``: 429 with ``Retry-After``, the
    form kept). A signed-in member following with their own verified address is confirmed at once.
    ``?topic=section:12`` (or ``author:3``, ``label:5``) chooses what the form offers first.
    """
    initial = {"topic": request.GET.get("topic", "site"), "frequency": Frequency.DAILY}
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    form = FollowForm(request.POST or None, initial=initial)
    if request.method == "POST":
        wait = ratelimit.consume(request, scope="follow", rates=settings.PRESSCLUB_FOLLOW_RATE_LIMITS)
        if wait:
            form.is_valid()  # keep what was typed, with its errors
            message = _("Too many requests from your connection. Wait %(wait)s and try again.") % {
                "wait": ratelimit.wait_phrase(wait)}  # fmt: skip
            response = render(request, "follows/follow.html", {"form": form, "refused": message}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            data = form.cleaned_data
            email = email_normalise(data["email"])
            own = _own_verified_address(request, email)
            result = services.follow_request(
                email=email, topic=data["topic"], frequency=data["frequency"], language=get_language(),
                confirmed_address=own, breaking=data["breaking"],
            )  # fmt: skip
            if own:
                messages.success(request, _("You now follow %(target)s.") % {"target": result.target_name})
                return redirect("members:profile")
            return render(request, "follows/check_mail.html", {"email": email})
    return render(request, "follows/follow.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a follow: GET shows a button (mail scanners follow links), POST confirms."""
    try:
        follow, frequency, language, breaking = services.confirm_token_read(token)
    except LinkError as error:
        return _link_error(request, error)
    if request.method == "POST":
        follow = services.follow_confirm(follow=follow, frequency=frequency, language=language, breaking=breaking)
        message = _("You now follow %(target)s. New stories will come in a %(frequency)s digest.") % {
            "target": follow.target_name, "frequency": Frequency(frequency).label.lower()}  # fmt: skip
        return render(request, "follows/result.html", {"title": _("Following confirmed"), "message": message})
    return render(request, "follows/confirm.html", {"follow": follow, "frequency": Frequency(frequency).label})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token;
# the signed token in the URL is what authorises the request.
@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop every digest to the token's address: GET shows a button, POST (or a one-click POST) stops it."""
    try:
        email, _kind = unsubscribe_token_read(token, kinds=[UNSUBSCRIBE_KIND])
    except LinkError as error:
        return _link_error(request, error)
    if request.method == "POST":
        services.follower_unsubscribe(email=email)
        message = _("We will send no more digests to %(email)s. You can follow again at any time.") % {"email": email}
        return render(request, "follows/result.html", {"title": _("Unsubscribed"), "message": message})
    return render(request, "follows/unsubscribe.html", {"email": email})


@login_required
@require_POST
def follow_manage(request: HttpRequest) -> HttpResponse:
    """A member's changes from their profile: stop one follow (``stop=<id>``) or set ``frequency``."""
    follower = get_object_or_404(Follower, email=email_normalise(request.user.email))
    if request.POST.get("stop"):
        follow = get_object_or_404(Follow, pk=request.POST["stop"] if request.POST["stop"].isdigit() else 0,
                                   follower=follower)
        name = follow.target_name
        services.follow_stop(follow=follow)
        messages.success(request, _("You no longer follow %(target)s.") % {"target": name})
    elif request.POST.get("frequency") in Frequency.values:
        services.follower_frequency_set(follower=follower, frequency=request.POST["frequency"])
        messages.success(request, _("Your digest is now %(frequency)s.") % {
            "frequency": Frequency(request.POST["frequency"]).label.lower()})  # fmt: skip
    return redirect("members:profile")

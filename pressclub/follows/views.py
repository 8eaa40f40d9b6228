"""Reader pages of the follows app: follow, confirm, one-click unsubscribe, the signed manage page, and a
member's changes from their profile."""

from __future__ import annotations

from contextlib import contextmanager

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pressclub.core import ratelimit
from pressclub.core.language import chosen_language, supported_language
from pressclub.core.links import LinkError, unsubscribe_token_read
from pressclub.members.addresses import email_normalise

from . import services
from .emails import UNSUBSCRIBE_KIND
from .forms import FollowForm, FollowsManageForm
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
            # Shown where the form shows its errors (as sign-up and the other forms do), not apart.
            form.add_error(None, _("Too many requests from your connection. Wait %(wait)s and try again.") % {
                "wait": ratelimit.wait_phrase(wait)})  # fmt: skip
            response = render(request, "follows/follow.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            data = form.cleaned_data
            email = email_normalise(data["email"])
            own = _own_verified_address(request, email)
            result = services.follow_request(
                email=email, topic=data["topic"], frequency=data["frequency"], language=chosen_language(request),
                confirmed_address=own, breaking=data["breaking"],
            )  # fmt: skip
            if own:
                messages.success(request, _("You now follow %(target)s.") % {"target": result.target_name})
                return redirect("members:profile")
            return render(request, "follows/check_mail.html", {"email": email})
    return render(request, "follows/follow.html", {"form": form}, status=400 if form.errors else 200)


@contextmanager
def _follower_language(request: HttpRequest, language: str | None):
    """Render in the follower's own language (``language``) unless the reader chose one with the
    footer's buttons or their account (``core.language.chosen_language``), which wins: the switcher
    keeps working on these pages. Yield the language used."""
    active = chosen_language(request) or supported_language(language) or get_language()
    with translation.override(active):
        yield active


def _in_language(response: HttpResponse, language: str) -> HttpResponse:
    response["Content-Language"] = language
    return response


@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a follow: GET shows a button (mail scanners follow links), POST confirms.

    In the language the follow was asked in (the follower's when the reader chose none). A link that confirmed already, or that a newer request
    replaced, shows so and changes nothing (200); an altered or expired one gives 400.
    """
    try:
        confirmation = services.confirm_token_read(token)
    except LinkError as error:
        return _link_error(request, error)
    follow = confirmation.follow
    with _follower_language(request, confirmation.language or follow.follower.language) as language:
        done = confirmation.state == "pending" and request.method == "POST"
        if request.method == "POST" and "pending" in request.POST:
            response = _pending_confirm(request, confirmation)
        elif done and services.confirmation_apply(confirmation=confirmation):
            message = _("You now follow %(target)s. New stories will come in a %(frequency)s digest.") % {
                "target": follow.target_name, "frequency": Frequency(confirmation.frequency).label.lower()}  # fmt: skip
            response = render(request, "follows/result.html", {"title": _("Following confirmed"), "message": message,
                                                               **_pending_context(follow)})  # fmt: skip
        elif confirmation.state == "pending" and not done:
            response = render(request, "follows/confirm.html",
                              {"follow": follow, "frequency": Frequency(confirmation.frequency).label})  # fmt: skip
        else:
            used = _used_link(follow.pk, confirmation.request_id)
            response = render(request, "follows/result.html", {**used, **_pending_context(follow)})
    return _in_language(response, language)


def _pending_context(follow: Follow) -> dict:
    """Return ``{"pending": [(topic, frequency label), …]}``: the other topics ``follow``'s address asked
    for and has not confirmed (some past the mail limit got no link), for a page only a valid
    confirmation link of that address opens."""
    pending = services.follows_pending(follower=follow.follower, exclude=follow)
    return {"pending": [(f.target_name, Frequency(f.frequency).label.lower()) for f in pending]}


def _pending_confirm(request: HttpRequest, confirmation: services.Confirmation) -> HttpResponse:
    """Confirm every topic the link's address asked for and has not confirmed (the link, used or not,
    proves the reader reads that mailbox); say which."""
    follows = services.follows_pending_confirm(follower=confirmation.follow.follower, language=confirmation.language)
    if not follows:
        return render(request, "follows/result.html", {
            "title": _("Nothing left to confirm"),
            "message": _("Everything %(email)s asked to follow is confirmed.") % {
                "email": confirmation.follow.follower.email},
        })  # fmt: skip
    targets = "; ".join(
        _("%(target)s (%(frequency)s)") % {"target": f.target_name, "frequency": Frequency(f.frequency).label.lower()}
        for f in follows
    )  # fmt: skip
    message = _("You now follow: %(targets)s.") % {"targets": targets}
    return render(request, "follows/result.html", {"title": _("Following confirmed"), "message": message})


def _used_link(follow_id: int, request_id: str | None) -> dict:
    """Return the title and message of a link (of the request ``request_id``) that confirms nothing,
    as the follow stands now: replaced by a pending link, replaced by a confirmed one, or used."""
    follow = Follow.objects.select_related("follower", "section", "label", "author").filter(pk=follow_id).first()
    if follow is None:  # stopped since the link was read
        return {"title": _("Link not valid"), "message": _("What this link confirms no longer exists. Ask to follow again.")}
    if follow.request_id:
        message = _("A newer link to confirm following %(target)s went to %(email)s: use the one in the latest "
                    "e-mail. This link changes nothing.") % {"target": follow.target_name, "email": follow.follower.email}
        return {"title": _("This link was replaced"), "message": message}
    if request_id and follow.confirmed_request_id and request_id != follow.confirmed_request_id:
        message = _("A newer link to confirm following %(target)s replaced this one, and it is confirmed: you follow "
                    "%(target)s, in a %(frequency)s digest. This link changes nothing.") % {
            "target": follow.target_name, "frequency": Frequency(follow.frequency).label.lower()}  # fmt: skip
        return {"title": _("This link was replaced"), "message": message}
    message = _("This link was used already: you follow %(target)s, in a %(frequency)s digest. It changes "
                "nothing now.") % {"target": follow.target_name, "frequency": Frequency(follow.frequency).label.lower()}
    return {"title": _("Already confirmed"), "message": message}


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token;
# the signed token in the URL is what authorises the request.
@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop every digest to the token's address: GET shows a button, POST (or a one-click POST) stops it.

    A GET for an address that follows nothing (unsubscribed already, or never confirmed a thing and
    asks nothing) says so, without a button; a POST answers as always.

    In the follower's language (the browser's when the address follows nothing).
    """
    try:
        email, _kind = unsubscribe_token_read(token, kinds=[UNSUBSCRIBE_KIND])
    except LinkError as error:
        return _link_error(request, error)
    follower = Follower.objects.filter(email=email).first()
    with _follower_language(request, follower.language if follower else None) as language:
        if request.method == "GET" and (follower is None or not follower.follows.exists()):
            # Unsubscribed already (that removed every follow), or never followed: nothing to ask.
            message = _("%(email)s gets no digests from us: there is nothing to stop. You can follow again at any "
                        "time.") % {"email": email}  # fmt: skip
            response = render(request, "follows/result.html", {"title": _("Already unsubscribed"), "message": message})
        elif request.method == "POST":
            services.follower_unsubscribe(email=email)
            message = _("We will send no more digests to %(email)s. You can follow again at any time.") % {
                "email": email}  # fmt: skip
            response = render(request, "follows/result.html", {"title": _("Unsubscribed"), "message": message})
        else:
            response = render(request, "follows/unsubscribe.html", {"email": email})
    return _in_language(response, language)


def _choices_save(request: HttpRequest, follower: Follower, follows: list) -> FollowsManageForm | None:
    """Apply a manage POST of ``follower``: ``stop=<follow id>`` stops one follow, else the form sets
    each follow's frequency and breaking news. Return the form when it has errors, else None (a
    message says what changed)."""
    stop = request.POST.get("stop", "")
    if stop:
        follow = next((f for f in follows if str(f.pk) == stop), None)
        if follow is None:
            messages.info(request, _("You no longer follow that."))
        else:
            services.follow_stop(follow=follow)
            messages.success(request, _("You no longer follow %(target)s.") % {"target": follow.target_name})
        return None
    form = FollowsManageForm(request.POST, follows=follows)
    if not form.is_valid():
        return form
    frequencies = {f.pk: form.cleaned_data[f"frequency-{f.pk}"] for f in follows}
    services.follower_choices_set(follower=follower, frequencies=frequencies, breaking=form.cleaned_data["breaking"])
    messages.success(request, _("Your choices are saved."))
    return None


def _confirmed_follows(follower: Follower) -> list:
    follows = follower.follows.filter(confirmed_at__isnull=False).select_related("section", "label", "author")
    return list(follows.order_by("pk"))


@require_http_methods(["GET", "POST"])
def follow_manage_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page a digest's "Change what you follow" link opens, for any follower, with or without an
    account (the signed token names the address; ``services.manage_token``, 60 days).

    GET lists the confirmed follows with each one's frequency and a button to stop it, breaking news,
    and a button to unsubscribe from everything. POST (with the CSRF token): ``stop=<follow id>``,
    ``unsubscribe``, or the form (``frequency-<follow id>``, ``breaking``); then back to the page
    (303) with a message, or the form again with its errors (400). An altered or expired token: 400.
    In the follower's language.
    """
    try:
        email = services.manage_token_read(token)
    except LinkError as error:
        return _link_error(request, error)
    follower = Follower.objects.filter(email=email, unsubscribed_at=None).first()
    with _follower_language(request, follower.language if follower else None) as language:
        follows = _confirmed_follows(follower) if follower else []
        form, status = None, 200
        if request.method == "POST" and follower is not None:
            if "unsubscribe" in request.POST:
                services.follower_unsubscribe(email=email)
                message = _("We will send no more digests to %(email)s. You can follow again at any time.") % {
                    "email": email}  # fmt: skip
                response = render(request, "follows/result.html", {"title": _("Unsubscribed"), "message": message})
                return _in_language(response, language)
            form = _choices_save(request, follower, follows)
            if form is None:
                return _see_other(request.path)
            status = 400
        form = form or FollowsManageForm(initial={"breaking": follower.breaking if follower else False},
                                         follows=follows)  # fmt: skip
        response = render(request, "follows/manage.html", {"email": email, "form": form}, status=status)
    return _in_language(response, language)


def _see_other(path: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = path
    return response


@login_required
@require_POST
def follow_manage(request: HttpRequest) -> HttpResponse:
    """A member's changes from their profile: stop one follow (``stop=<id>``) or set each follow's
    frequency (``frequency-<id>``) and breaking news; back to the profile."""
    follower = get_object_or_404(Follower, email=email_normalise(request.user.email))
    form = _choices_save(request, follower, _confirmed_follows(follower))
    if form is not None:
        messages.error(request, _("Choose daily or weekly."))
    return redirect("members:profile")

"""Which language a reader gets, decided once per request before the page cache is asked.

A reader's language is, in this order:

1. the language of their account, when signed in: put in their session when they sign in or choose
   (``SESSION_LANGUAGE_KEY``; the members app keeps it on the account);
2. the language they chose with the footer's buttons (:func:`language_choose`), kept in the
   ``LANGUAGE_COOKIE_NAME`` cookie;
3. on a first visit (no choice yet), the browser's first preference in ``Accept-Language`` when it is
   one of ``LANGUAGES`` (``ne-NP`` counts as ``ne``);
4. the site's default: *Settings → Site identity → Default language*, else
   ``PRESSCLUB_DEFAULT_LANGUAGE``.

:class:`LanguageMiddleware` activates it before the page cache looks a page up, so the cache keeps one
copy per language (``pressclub.core.cache.cache_key`` puts ``get_language()`` in the key). No cookie is
set by browsing: only a reader's choice sets one, so anonymous pages stay shareable.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.db import DatabaseError
from django.dispatch import Signal
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import trans_real
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

SESSION_LANGUAGE_KEY = "pressclub_language"
# Seconds a process keeps a site's default language before asking the cache again; saving the site
# identity forgets it at once in the saving process (core.signal_handlers).
DEFAULT_LANGUAGE_MEMO_SECONDS = 30
_default_memo: dict[str, tuple[str, float]] = {}
# Django's cache holds {host: default language} under this key, deleted when a site identity is saved.
DEFAULT_LANGUAGES_KEY = "pressclub:default-languages"

# Sent by language_choose after a reader chose ``language`` (a code of LANGUAGES); ``request.user`` may
# be anonymous. The members app stores the choice on a signed-in reader's account.
language_chosen = Signal()


@functools.lru_cache(maxsize=4)
def _language_codes(languages: tuple) -> frozenset[str]:
    return frozenset(code for code, _name in languages)


def supported_language(code: str | None) -> str | None:
    """Return the code of ``LANGUAGES`` that ``code`` names (``"ne-NP"`` → ``"ne"``), or None."""
    if not code:
        return None
    codes = _language_codes(tuple(settings.LANGUAGES))
    code = code.strip().lower().replace("_", "-")
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else None


def browser_language(accept_language: str) -> str | None:
    """Return the language of ``LANGUAGES`` that an ``Accept-Language`` header prefers most, or None.

    Only the header's first choice among those with a nonzero weight counts (``"hi-IN,hi;q=0.9,en;q=0.8"``
    → ``"hi"``; ``"fr,en;q=0.5"`` → None): a reader whose phone is set to another language gets the
    site's default, not the least-disliked of ours.
    """
    try:
        preferences = trans_real.parse_accept_lang_header(accept_language[:255])
    except ValueError:
        return None
    for code, _weight in preferences:
        if code != "*":
            return supported_language(code)
    return None


def site_default_language(request) -> str:
    """Return the default language of the site serving ``request`` (a code of ``LANGUAGES``).

    The site identity's ``default_language`` when set, else ``PRESSCLUB_DEFAULT_LANGUAGE``. Kept per
    host in the process for ``DEFAULT_LANGUAGE_MEMO_SECONDS`` and in Django's cache until the site
    identity is saved, so a request costs no query.
    """
    from django.core.cache import cache

    host = request.get_host() if request is not None else ""
    memo = _default_memo.get(host)
    now = time.monotonic()
    if memo is not None and memo[1] > now:
        return memo[0]
    known = cache.get(DEFAULT_LANGUAGES_KEY) or {}
    language = known.get(host)
    if language is None:
        try:
            language = _site_default_from_database(request) or settings.PRESSCLUB_DEFAULT_LANGUAGE
        except DatabaseError:
            # The database is down: the server's default now (not remembered), and the view's own
            # database error becomes the 503 page (core.errors), not a 500 from here.
            return settings.PRESSCLUB_DEFAULT_LANGUAGE
        cache.set(DEFAULT_LANGUAGES_KEY, {**known, host: language}, timeout=None)
    _default_memo[host] = (language, now + DEFAULT_LANGUAGE_MEMO_SECONDS)
    return language


def _site_default_from_database(request) -> str | None:
    from wagtail.models import Site

    from .models import SiteIdentity
    from .routing import site_for_request

    site = site_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    identity = SiteIdentity.objects.filter(site=site).only("default_language").first()
    return supported_language(identity.default_language) if identity else None


def site_default_language_forget() -> None:
    """Forget every remembered site default language (call after a site identity is saved)."""
    from django.core.cache import cache

    _default_memo.clear()
    cache.delete(DEFAULT_LANGUAGES_KEY)


def recipient_language(user) -> str:
    """Return the language of e-mail to ``user`` (a User, or None for an address without an account).

    The account's ``language`` when it has one of ``LANGUAGES``, else the default site's default
    language (:func:`site_default_language`). For mail sent outside a request (tasks).
    """
    return supported_language(getattr(user, "language", None)) or site_default_language(None)


def chosen_language(request) -> str | None:
    """Return the language ``request``'s reader chose (their account's, else the footer's buttons'), or
    None when they chose none (steps 1 and 2 of the module's doc)."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Only a reader with a session has one worth reading (reading none would mark it accessed).
        language = supported_language(request.session.get(SESSION_LANGUAGE_KEY))
        if language:
            return language
    return supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def reader_language(request) -> str:
    """Return the language ``request``'s reader gets (a code of ``LANGUAGES``); see the module's doc."""
    language = chosen_language(request)
    if language:
        return language
    language = browser_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    return language or site_default_language(request)


class LanguageMiddleware:
    """Activate the reader's language (:func:`reader_language`) for the request; say it in the response.

    Sits after SessionMiddleware and before the page cache (and before CommonMiddleware, as Django's
    LocaleMiddleware does). Paths in ``PRESSCLUB_LANGUAGE_EXEMPT_PATHS`` (``/healthz``) are left in
    ``LANGUAGE_CODE`` untouched. Every other response gets ``Content-Language`` and ``Vary: Accept-Language``
    (the cookie is already in ``Vary``); a page-cache hit passes through here too, so it gets them
    as a miss does. Sets no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(tuple(settings.PRESSCLUB_LANGUAGE_EXEMPT_PATHS)):
            # A monitor's probe has no reader: it gets LANGUAGE_CODE and costs no look-up.
            return self.get_response(request)
        language = reader_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


@csrf_exempt
def language_choose(request):
    """Keep the reader's choice of language (POST ``language``, ``next``) and go back to ``next``.

    Any other method (a GET from a bookmarked or typed ``/language/``) changes nothing and is sent
    back to the referring page of this site, else the front page, with a 303.

    Django's ``set_language`` (the cookie, and a safe redirect to ``next`` or the referring page), then
    the signed-in reader's session and account (``language_chosen``). CSRF-exempt on purpose: the
    buttons sit in the footer of pages every anonymous reader shares from the cache, which cannot hold
    a token, and the worst a forged post can do is change someone's language. An unknown language is
    ignored (the reader goes back where they were, nothing stored).
    """
    if request.method != "POST":
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return HttpResponseRedirect(back if back and safe else "/", status=303)
    response = set_language(request)
    language = supported_language(request.POST.get("language"))
    if language and language == request.POST.get("language"):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.session[SESSION_LANGUAGE_KEY] = language
        language_chosen.send(sender=language_choose, request=request, language=language)
    return response

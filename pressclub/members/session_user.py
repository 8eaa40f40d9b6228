"""The signed-in account of a request, read from Django's cache instead of the database.

Django's ``AuthenticationMiddleware`` loads the account of every signed-in request with one query
(``django.contrib.auth.get_user``). :class:`SessionUserMiddleware` takes its place: the account's
row is kept in Django's cache beside its standing (``permissions.standing_scope``), so a member's
page served from a shared copy (``core.member_pages``) asks the database nothing.

What is kept is the row without its password: the session hash Django derives from the password
(``get_session_auth_hash``) stands in for it, so no password hash is written to the cache. The
``password`` field of a user read from the cache is deferred: code that needs it (a password
change, ``check_password``) loads it with one query, and saving the user never writes it back.
The key names the secret the hash was made with, so a process with another ``SECRET_KEY`` never
reads a hash it would not have made.

The cached row is used only when Django's own ``get_user`` would return that account as it is:
the session's backend is configured and loads users as ``ModelBackend`` does, the account may
sign in (``user_can_authenticate``: active), and the session's hash equals the account's. Anything
else (a changed password, a deactivated or deleted account, a hash from a fallback secret, no
hash) goes to ``django.contrib.auth.get_user``, which signs the session out or renews it exactly
as it always does. Every change to the account renews the cached row once it commits: the
members app's receivers call :func:`~pressclub.members.permissions.standing_changed` on each save
or deletion of an account (and of its membership, addresses, groups and permissions), and so
does any ``update()`` of accounts (:func:`accounts_changed`). The row is kept
``STANDING_CACHE_SECONDS`` at most, and only while the page cache is on.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.db import router
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import SimpleLazyObject

from pressclub.core.cache import cached_until_purge, cached_until_purge_keys

from .permissions import STANDING_CACHE_SECONDS, standing_changed, standing_key, standing_scope


def session_user_key(pk) -> str:
    """Return the cache key of account ``pk``'s row (changes with ``SECRET_KEY``: see the module)."""
    return f"pressclub:session-user:{pk}:{_secret_tag()}"


@functools.cache
def _secret_tag_for(secret: str) -> str:
    return salted_hmac("pressclub.members.session_user", "tag", secret=secret).hexdigest()[:16]


def _secret_tag() -> str:
    return _secret_tag_for(settings.SECRET_KEY)


@functools.cache
def _row_fields(model) -> tuple[str, ...]:
    # Every concrete field but the password, by attribute name (a foreign key's "<name>_id").
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname != "password")


def _load_row(model, pk):
    """Return ``(field names, values, session hash)`` of account ``pk`` (one query), or None without it."""
    user = model._default_manager.filter(pk=pk).first()
    if user is None:
        return None
    names = _row_fields(model)
    return names, tuple(getattr(user, name) for name in names), user.get_session_auth_hash()


def _cached_user(request):
    """Return the account of ``request``'s session from the cache when Django's checks would pass, else None."""
    session = request.session
    try:
        raw_pk, backend_path = session[SESSION_KEY], session[BACKEND_SESSION_KEY]
    except KeyError:
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    backend = load_backend(backend_path)
    if type(backend).get_user is not ModelBackend.get_user:
        return None
    model = auth.get_user_model()
    pk = model._meta.pk.to_python(raw_pk)
    row = cached_until_purge(session_user_key(pk), lambda: _load_row(model, pk), timeout=STANDING_CACHE_SECONDS,
                             scope=standing_scope(pk))
    if row is None:
        return None
    names, values, auth_hash = row
    if names != _row_fields(model) or not constant_time_compare(session_hash, auth_hash):
        return None
    user = model.from_db(router.db_for_read(model), names, values)
    return user if backend.user_can_authenticate(user) else None


def get_user(request):
    """Return the user of ``request``'s session, as ``django.contrib.auth.get_user`` does.

    The account comes from the cache (:func:`_cached_user`) when it holds it and Django's checks
    pass; otherwise from ``django.contrib.auth.get_user`` (one query, and the session signed out
    or renewed as Django decides). An ``AnonymousUser`` for a session without an account.
    """
    if not hasattr(request, "_cached_user"):
        if settings.PRESSCLUB_PAGE_CACHE_SECONDS and SESSION_KEY in request.session:
            request._cached_user = _cached_user(request) or auth.get_user(request)
        else:
            request._cached_user = auth.get_user(request)
    return request._cached_user


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware`` whose ``request.user`` comes from :func:`get_user`.

    ``request.auser`` (asynchronous code) is Django's own.
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


def accounts_changed(user_ids) -> None:
    """Renew what the cache keeps of the accounts ``user_ids`` (row, standing) once the transaction commits.

    For writes that send no ``post_save``: a queryset's ``update()`` of accounts.
    """
    standing_changed(user_ids)


def read_ahead_keys(user_id) -> list[str]:
    """Return the cache keys a member's page reads for account ``user_id``: its row and standing
    (registered with ``core.member_pages.register_read_ahead``)."""
    scope = standing_scope(user_id)
    return [
        *cached_until_purge_keys(session_user_key(user_id), scope),
        *cached_until_purge_keys(standing_key(user_id), scope),
    ]

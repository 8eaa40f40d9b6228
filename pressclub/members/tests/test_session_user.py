"""The signed-in account read from the cache: no query once kept, no password hash in the cache,
and every change to the account (password, active flag, deletion, fields, ``update()``s) seen once
it commits, Django's own session checks deciding whenever the kept row does not pass them."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from pressclub.comments.models import NotificationKind
from pressclub.comments.notifications import unsubscribe
from pressclub.members.models import User
from pressclub.members.session_user import get_user, session_user_key
from pressclub.members.signal_handlers import language_chosen_keep, language_on_sign_in
from pressclub.testing import factories


@pytest.fixture
def member(db):
    return factories.create_user("ana.ruiz@example.org", "Ana Ruiz", membership="active")


@pytest.fixture
def signed_in(client, member):
    """Return the test client signed in as ``member``."""
    client.force_login(member)
    return client


def request_of(client):
    """Return a new GET request carrying ``client``'s session (loaded: the session costs no query here)."""
    request = RequestFactory().get("/")
    request.session = client.session
    request.session.get(SESSION_KEY)
    return request


def test_the_account_is_read_once_then_kept(page_cache, signed_in, member, django_assert_num_queries):
    first_request, second_request = request_of(signed_in), request_of(signed_in)
    with django_assert_num_queries(1):
        first = get_user(first_request)
    with django_assert_num_queries(0):
        kept = get_user(second_request)
    assert (first.pk, kept.pk) == (member.pk, member.pk)
    assert (kept.email, kept.display_name, kept.is_active, kept.notify_replies, kept.last_login) == (
        "ana.ruiz@example.org", "Ana Ruiz", True, True, User.objects.get(pk=member.pk).last_login
    )
    assert kept.get_deferred_fields() == {"password"}


def test_the_cache_holds_no_password_hash(page_cache, signed_in, member):
    get_user(request_of(signed_in))
    names, values, session_hash = cache.get(session_user_key(member.pk))[1]
    assert "password" not in names
    assert member.password not in repr(values)
    assert session_hash == member.get_session_auth_hash()


def test_the_password_is_read_when_asked_and_never_written_back(page_cache, committed, signed_in, member,
                                                                  django_assert_num_queries):
    get_user(request_of(signed_in))
    user = get_user(request_of(signed_in))
    with django_assert_num_queries(1):
        assert user.check_password(factories.PASSWORD)
    user = get_user(request_of(signed_in))
    with committed():
        user.display_name = "Ana R."
        user.save()
    assert User.objects.get(pk=member.pk).check_password(factories.PASSWORD)
    assert get_user(request_of(signed_in)).display_name == "Ana R."


def test_a_new_password_signs_the_session_out_once_committed(page_cache, committed, signed_in, member):
    get_user(request_of(signed_in))
    with committed():
        member.set_password("a-new-long-passphrase")
        member.save()
    request = request_of(signed_in)
    assert get_user(request).is_authenticated is False
    assert SESSION_KEY not in request.session  # Django's check flushed it


def test_a_deactivated_account_is_signed_out(page_cache, committed, signed_in, member):
    get_user(request_of(signed_in))
    with committed():
        member.is_active = False
        member.save()
    assert get_user(request_of(signed_in)).is_authenticated is False


def test_a_deleted_account_is_signed_out(page_cache, committed, signed_in, member):
    get_user(request_of(signed_in))
    with committed():
        member.delete()
    assert get_user(request_of(signed_in)).is_authenticated is False


def test_a_staff_flag_is_seen_once_committed(page_cache, committed, signed_in, member):
    get_user(request_of(signed_in))
    with committed():
        member.is_staff = True
        member.save()
    assert get_user(request_of(signed_in)).is_staff is True


def test_an_unsubscribe_from_replies_is_seen_once_committed(page_cache, committed, signed_in, member):
    assert get_user(request_of(signed_in)).notify_replies is True
    with committed():
        unsubscribe(email="Ana.Ruiz@example.org", kind=NotificationKind.REPLIES)
    assert get_user(request_of(signed_in)).notify_replies is False


def test_a_chosen_language_is_seen_once_committed(page_cache, committed, signed_in, member):
    request = request_of(signed_in)
    request.user = get_user(request)
    with committed():
        language_chosen_keep(sender=None, request=request, language="ne")
    assert get_user(request_of(signed_in)).language == "ne"


def test_a_hash_of_a_fallback_secret_is_renewed_as_django_does(settings, page_cache, signed_in, member):
    get_user(request_of(signed_in))
    old_key = signed_in.session.session_key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-" + "x" * 50, [settings.SECRET_KEY]
    request = request_of(signed_in)
    user = get_user(request)
    assert user.pk == member.pk
    assert request.session.session_key != old_key  # cycled
    assert request.session[HASH_SESSION_KEY] == User.objects.get(pk=member.pk).get_session_auth_hash()


def test_a_backend_no_longer_configured_signs_the_session_out(page_cache, signed_in):
    get_user(request_of(signed_in))
    session = signed_in.session
    session[BACKEND_SESSION_KEY] = "pressclub.members.tests.NoSuchBackend"
    session.save()
    assert get_user(request_of(signed_in)).is_authenticated is False


def test_without_the_page_cache_each_request_reads_the_account(settings, signed_in, django_assert_num_queries):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    get_user(request_of(signed_in))
    request = request_of(signed_in)
    with django_assert_num_queries(1):
        assert get_user(request).is_authenticated is True


def test_a_language_taken_on_sign_in_is_seen_once_committed(page_cache, committed, signed_in, member):
    assert get_user(request_of(signed_in)).language == ""  # kept without one
    request = request_of(signed_in)
    request.COOKIES["pressclub_language"] = "ne"  # chosen with the footer's buttons before signing in
    with committed():
        language_on_sign_in(sender=User, request=request, user=User.objects.get(pk=member.pk))
    assert get_user(request_of(signed_in)).language == "ne"
    names, values, _hash = cache.get(session_user_key(member.pk))[1]
    assert values[names.index("language")] == "ne"


def test_signing_in_with_a_chosen_language_renews_the_kept_account(page_cache, client, member,
                                                                   django_assert_num_queries):
    client.force_login(member)
    assert get_user(request_of(client)).language == ""
    client.logout()
    client.cookies["pressclub_language"] = "hi"
    response = client.post("/accounts/login/", {"login": member.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    first, second = request_of(client), request_of(client)
    with django_assert_num_queries(1):  # the row kept before signing in was renewed: read again
        assert get_user(first).language == "hi"
    with django_assert_num_queries(0):
        assert get_user(second).language == "hi"


class TaggingBackend(ModelBackend):
    """A backend that loads users its own way (here: marks each user it loads)."""

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            user.loaded_by = "TaggingBackend"
        return user


TAGGING_BACKEND = f"{__name__}.TaggingBackend"


def test_a_backend_with_its_own_get_user_is_asked_each_time(settings, page_cache, client, member,
                                                            django_assert_num_queries):
    settings.AUTHENTICATION_BACKENDS = [TAGGING_BACKEND, *settings.AUTHENTICATION_BACKENDS]
    client.force_login(member, backend=TAGGING_BACKEND)
    for _ in range(2):  # nothing kept: each request goes to Django's get_user and the backend
        request = request_of(client)
        with django_assert_num_queries(1):
            user = get_user(request)
        assert (user.pk, user.loaded_by, user.get_deferred_fields()) == (member.pk, "TaggingBackend", set())
    assert cache.get(session_user_key(member.pk)) is None


def kept_row_as(member, **changes):
    """Rewrite the row the cache keeps of ``member`` with ``changes`` (field values), its hash left valid."""
    key = session_user_key(member.pk)
    generation, (names, values, session_hash), version = cache.get(key)
    values = tuple(changes.get(name, value) for name, value in zip(names, values, strict=True))
    cache.set(key, (generation, (names, values, session_hash), version))
    assert session_hash == member.get_session_auth_hash()


def test_a_kept_row_of_an_inactive_account_signs_no_one_in(page_cache, signed_in, member):
    get_user(request_of(signed_in))
    User.objects.filter(pk=member.pk).update(is_active=False)  # no signal: the kept row is not renewed
    kept_row_as(member, is_active=False)
    user = get_user(request_of(signed_in))
    assert (type(user), user.is_authenticated) == (AnonymousUser, False)


def test_a_kept_row_of_an_inactive_account_is_not_trusted(page_cache, signed_in, member, django_assert_num_queries):
    get_user(request_of(signed_in))
    kept_row_as(member, is_active=False)
    request = request_of(signed_in)
    with django_assert_num_queries(1):  # Django's get_user reads the account, active in the database
        user = get_user(request)
    assert (user.pk, user.is_active, user.get_deferred_fields()) == (member.pk, True, set())

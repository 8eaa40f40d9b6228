"""Fixtures of the comments tests: members with an active membership, and a comment factory."""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


def make_user(email, name, *, membership="active", verified=True):
    """Create an account; ``membership`` is a MembershipStatus value or None for no membership row."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from pressclub.members.models import Membership

    user = get_user_model().objects.create_user(email=email, password="correct horse 42", display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if membership:
        Membership.objects.create(user=user, status=membership)
    return user


@pytest.fixture
def club_member(member):
    """Return the ``member`` fixture (Ana Ruiz) with an active membership."""
    from pressclub.members.models import Membership

    Membership.objects.create(user=member, status="active")
    return member


@pytest.fixture
def other_member(db):
    """Return a second active member, Bikash Thapa."""
    return make_user("bikash@example.org", "Bikash Thapa")


@pytest.fixture
def make_comment(article):
    """Return a factory writing a Comment row directly (no policy, no signals)."""
    from pressclub.comments.models import Comment
    from pressclub.comments.text import render_body

    def factory(*, page=None, user=None, body=None, status="approved", parent=None, minutes=0, **extra):
        n = next(_seq)
        body = body if body is not None else f"Comment number {n}."
        return Comment.objects.create(
            page=page or article,
            user=user,
            author_name=extra.pop("author_name", "" if user else f"Reader {n}"),
            body=body,
            body_html=render_body(body),
            status=status,
            parent=parent,
            created_at=extra.pop(
                "created_at", dt.datetime(2026, 3, 15, 8, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes or n)
            ),
            **extra,
        )

    return factory


@pytest.fixture
def policy(home_page):
    """Return a function that saves the site's CommentPolicySettings with the given field values."""
    from wagtail.models import Site

    from pressclub.comments.models import CommentPolicySettings

    def set_policy(**values):
        settings_obj = CommentPolicySettings.for_site(Site.objects.get(is_default_site=True))
        for name, value in values.items():
            setattr(settings_obj, name, value)
        settings_obj.save()
        return settings_obj

    return set_policy


@pytest.fixture
def person(db):
    """Return a factory of accounts by standing: anonymous, unverified, registered, requested, member, banned,
    suspended."""
    from django.contrib.auth.models import AnonymousUser

    def factory(kind):
        if kind == "anonymous":
            return AnonymousUser()
        email = f"{kind}@example.org"
        if kind == "unverified":
            return make_user(email, "Una Verified", membership=None, verified=False)
        if kind == "registered":
            return make_user(email, "Reg Reader", membership=None)
        if kind == "member":
            return make_user(email, "Mina Member", membership="active")
        return make_user(email, kind.title(), membership=kind)

    return factory

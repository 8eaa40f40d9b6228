"""Fixtures of the comments tests: members with an active membership, people by standing, the policy.

``make_comment`` is in the root conftest.py.
"""

import pytest

from pressclub.testing.factories import create_user


@pytest.fixture
def club_member(member):
    """Return the ``member`` fixture (Ana Ruiz) with an active membership."""
    from pressclub.members.models import Membership

    Membership.objects.create(user=member, status="active")
    return member


@pytest.fixture
def other_member(db):
    """Return a second active member, Bikash Thapa."""
    return create_user("bikash@example.org", "Bikash Thapa", membership="active")


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
            return create_user(email, "Una Verified", verified=False)
        if kind == "registered":
            return create_user(email, "Reg Reader")
        if kind == "member":
            return create_user(email, "Mina Member", membership="active")
        return create_user(email, kind.title(), membership=kind)

    return factory

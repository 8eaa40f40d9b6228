import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from pressclub.members.models import Membership, MembershipStatus, User
from pressclub.members.permissions import forget, is_banned, is_member, membership_status


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_anonymous():
    anon = AnonymousUser()
    assert membership_status(anon) == "anonymous"
    assert is_member(anon) is False
    assert is_banned(anon) is False
    assert membership_status(None) == "anonymous"


@pytest.mark.django_db
def test_unverified_registered_requested_member(member):
    unverified = User.objects.create_user(email="new@example.org", password="x")
    assert membership_status(unverified) == "unverified"
    assert membership_status(fresh(member)) == "registered"
    Membership.objects.create(user=member, status=MembershipStatus.REQUESTED)
    assert membership_status(fresh(member)) == "requested"
    Membership.objects.filter(user=member).update(status=MembershipStatus.DECLINED)
    assert membership_status(fresh(member)) == "registered"
    Membership.objects.filter(user=member).update(status=MembershipStatus.ACTIVE)
    assert membership_status(fresh(member)) == "member"
    assert is_member(fresh(member)) is True


@pytest.mark.django_db
def test_ban_and_suspension(member):
    Membership.objects.create(user=member, status=MembershipStatus.BANNED)
    user = fresh(member)
    assert (is_banned(user), is_member(user), membership_status(user)) == (True, False, "banned")
    Membership.objects.filter(user=member).update(status=MembershipStatus.SUSPENDED)
    assert membership_status(fresh(member)) == "suspended"
    later = timezone.now() + dt.timedelta(days=2)
    Membership.objects.filter(user=member).update(suspended_until=later)
    assert membership_status(fresh(member)) == "suspended"
    Membership.objects.filter(user=member).update(suspended_until=timezone.now() - dt.timedelta(seconds=1))
    assert membership_status(fresh(member)) == "member"
    assert is_banned(fresh(member)) is False


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["Editors", "Reporters", "Moderators"])
def test_editorial_groups_are_members(group):
    user = User.objects.create_user(email="desk@example.org", password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    assert is_member(fresh(user)) is True


@pytest.mark.django_db
def test_other_group_is_not_member(member):
    member.groups.add(Group.objects.get_or_create(name="Subscribers")[0])
    assert is_member(fresh(member)) is False


@pytest.mark.django_db
def test_staff_superuser_and_author_are_members(author, moderator):
    staff = User.objects.create_user(email="staff@example.org", password="x", is_staff=True)
    boss = User.objects.create_superuser(email="boss@example.org", password="x")
    writer = User.objects.create_user(email="asha@example.org", password="x")
    author.user = writer
    author.save()
    assert [is_member(fresh(u)) for u in (staff, boss, writer, moderator)] == [True, True, True, True]


@pytest.mark.django_db
def test_banned_editor_is_not_member(moderator):
    Membership.objects.create(user=moderator, status=MembershipStatus.BANNED)
    assert is_member(fresh(moderator)) is False


@pytest.mark.django_db
def test_one_query_then_cached(member, django_assert_num_queries):
    user = fresh(member)
    with django_assert_num_queries(1):
        membership_status(user)
        is_member(user)
        is_banned(user)
    Membership.objects.create(user=member, status=MembershipStatus.ACTIVE)
    assert is_member(user) is False  # still the cached answer
    forget(user)
    with django_assert_num_queries(1):
        assert is_member(user) is True


@pytest.mark.django_db
def test_unverified_address_with_other_verified(member):
    EmailAddress.objects.filter(user=member).update(verified=False)
    assert membership_status(fresh(member)) == "unverified"

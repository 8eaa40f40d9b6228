"""The standing members' pages read from Django's cache: no query when kept, and renewed once any
change to it commits (membership granted, suspended or banned, groups, staff flag, verified
address, author link, deleted account); signing out and a new password end the shared pages."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission

from pressclub.members.models import Membership, User
from pressclub.members.permissions import reader_kind
from pressclub.members.services import (
    membership_ban,
    membership_grant,
    membership_request,
    membership_suspend,
)
from pressclub.people.models import Author
from pressclub.testing import factories


def kind(user):
    """Return the kind of reader of ``user`` as a new request sees it (a fresh user object)."""
    return reader_kind(User.objects.get(pk=user.pk))


@pytest.fixture
def member(db):
    return factories.create_user("ana.ruiz@example.org", "Ana Ruiz", membership="active")


@pytest.fixture
def registered(db):
    return factories.create_user("chandra@example.org", "Chandra K.C.")


def test_a_kept_standing_costs_no_query(page_cache, member, django_assert_num_queries):
    user = User.objects.get(pk=member.pk)
    assert reader_kind(user) == "member"
    user = User.objects.get(pk=member.pk)
    with django_assert_num_queries(0):
        assert reader_kind(user) == "member"


def test_without_the_page_cache_the_standing_is_read_each_time(settings, member, django_assert_num_queries):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    kind(member)
    user = User.objects.get(pk=member.pk)
    with django_assert_num_queries(1):
        assert reader_kind(user) == "member"


def test_ban_and_suspension_are_seen_once_committed(page_cache, committed, member, moderator):
    assert kind(member) == "member"
    with committed():
        membership_suspend(user=member, by=moderator, reason="Spam links")
    assert kind(member) == "suspended"
    with committed():
        membership_ban(user=member, by=moderator, reason="Spam links again")
    assert kind(member) == "banned"


def test_a_change_not_yet_committed_keeps_the_kept_standing(page_cache, django_capture_on_commit_callbacks,
                                                            member, moderator):
    assert kind(member) == "member"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        membership_ban(user=member, by=moderator, reason="Spam links")
        assert kind(member) == "member"  # other requests read the committed state
    for callback in callbacks:
        callback()
    assert kind(member) == "banned"


def test_a_granted_membership_is_seen_once_committed(page_cache, committed, registered, moderator):
    assert kind(registered) == "registered"
    with committed():
        membership = membership_request(user=registered)
    assert kind(registered) == "requested"
    with committed():
        membership_grant(membership=membership, by=moderator)
    assert kind(registered) == "member"
    with committed():
        Membership.objects.filter(user=registered).delete()
    assert kind(registered) == "registered"


def test_groups_staff_address_and_author_link_renew_it(settings, page_cache, committed, registered):
    settings.PRESSCLUB_MEMBER_GROUPS = ("Stringers",)  # an editorial group without Wagtail's admin
    assert kind(registered) == "registered"
    with committed():
        registered.groups.add(Group.objects.create(name="Stringers"))
    assert kind(registered) == "member"
    with committed():
        Group.objects.get(name="Stringers").user_set.clear()
    assert kind(registered) == "registered"

    with committed():
        user = User.objects.get(pk=registered.pk)
        user.is_staff = True
        user.save()
    assert kind(registered) == "member+staff"
    with committed():
        user.is_staff = False
        user.save()
        EmailAddress.objects.filter(user=registered).update(verified=False)  # no signal: not seen
        EmailAddress.objects.get(user=registered).save()  # saved through the model: seen
    assert kind(registered) == "unverified"

    with committed():
        author = Author.objects.create(name="Chandra K.C.", user=registered)
    assert kind(registered) == "member"
    other = factories.create_user("dev@example.org", "Dev Rai")
    assert kind(other) == "registered"
    with committed():
        author.user = other
        author.save()
    assert (kind(registered), kind(other)) == ("unverified", "member")


def test_admin_access_through_a_group_renews_its_members(page_cache, committed, registered):
    group = Group.objects.create(name="Desk")
    with committed():
        registered.groups.add(group)
    assert kind(registered) == "registered"
    with committed():
        group.permissions.add(Permission.objects.get(codename="access_admin"))
    assert kind(registered) is None  # Wagtail's userbar: their pages are their own
    with committed():
        group.permissions.clear()
    assert kind(registered) == "registered"


def test_a_deleted_account_has_no_kind(page_cache, committed, member):
    assert kind(member) == "member"
    user = User.objects.get(pk=member.pk)
    with committed():
        member.delete()
    assert reader_kind(user) is None


@pytest.mark.parametrize("ending", ["sign out", "new password"])
def test_signing_out_or_a_new_password_ends_the_members_pages(client, page_cache, committed, member, article,
                                                              ending):
    client.force_login(member)
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "member-hit"
    if ending == "sign out":
        client.post("/accounts/logout/")
    else:
        user = User.objects.get(pk=member.pk)
        with committed():
            user.set_password("a-new-long-passphrase")
            user.save()
    response = client.get(article.url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") not in ("member-hit", "member-miss")
    assert "Ana Ruiz" not in response.content.decode()

"""The membership pages in the Wagtail admin: who may see them, and each decision's effect."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pressclub.members import services
from pressclub.members.models import Invitation, Membership, MembershipStatus
from pressclub.members.permissions import is_banned, is_member, membership_status

User = get_user_model()


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def editor_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def request_from(member):
    return services.membership_request(user=member, note="I report on the ward <b>meetings</b>.")


@pytest.mark.django_db
def test_editors_group_has_the_permission(moderator):
    assert Group.objects.get(name="Editors").permissions.filter(codename="decide_membership").count() == 1
    assert fresh(moderator).has_perm("members.decide_membership") is True


@pytest.mark.django_db
def test_other_admin_users_are_turned_away(client, member):
    services.membership_request(user=member, note="secret note")
    user = User.objects.create_user(email="intern@example.org", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (reverse("memberships:index"), reverse("memberships:invitations")):
        response = client.get(url)
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(reverse("memberships:approve", args=[Membership.objects.get().pk]), {"reason": ""})
    assert response.status_code == 302
    assert Membership.objects.get().status == "requested"
    # Turned away before the lookup: an unknown id is not told apart from a known one.
    for url in (reverse("memberships:approve", args=[999999]), reverse("memberships:restrict", args=[999999])):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").text.count("Members") == 0


@pytest.mark.django_db
def test_requests_list(editor_client, request_from):
    response = editor_client.get(reverse("memberships:index"))
    assert response.status_code == 200
    assert "Requests (1)" in response.text
    assert "ana.ruiz@example.org" in response.text
    assert "I report on the ward &lt;b&gt;meetings&lt;/b&gt;." in response.text
    assert f'href="{reverse("memberships:approve", args=[request_from.pk])}"' in response.text
    assert (
        editor_client.get(reverse("memberships:index") + "?status=active").text.count("ana.ruiz@example.org")
        == 0
    )
    assert editor_client.get(reverse("memberships:index") + "?status=bogus&p=zz").status_code == 200


@pytest.mark.django_db
def test_approve(editor_client, request_from, member, moderator):
    url = reverse("memberships:approve", args=[request_from.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert Membership.objects.get().status == "requested"  # GET changes nothing
    mail.outbox.clear()
    response = editor_client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("memberships:index") + "?status=active"
    membership = Membership.objects.get()
    assert (membership.status, membership.decided_by) == ("active", moderator)
    assert is_member(fresh(member)) is True
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana.ruiz@example.org"], "Welcome to Valley Press Club News")
    ]


@pytest.mark.django_db
def test_decline_with_reason(editor_client, request_from, member):
    mail.outbox.clear()
    response = editor_client.post(
        reverse("memberships:decline", args=[request_from.pk]), {"reason": "Members must live in the valley."}
    )
    assert response.status_code == 302
    assert Membership.objects.get().reason == "Members must live in the valley."
    assert membership_status(fresh(member)) == "registered"
    assert "Their reason: Members must live in the valley." in mail.outbox[0].body
    # Declining twice is refused with a message, not a 500.
    response = editor_client.post(reverse("memberships:decline", args=[request_from.pk]), {"reason": "again"})
    assert response.status_code == 400
    assert "Only a pending request can be declined." in response.text


@pytest.mark.django_db
def test_ban_from_admin(editor_client, member):
    url = reverse("memberships:restrict", args=[member.pk])
    response = editor_client.post(url, {"action": "ban", "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.text
    response = editor_client.post(url, {"action": "ban", "reason": "Threats against a reporter."})
    assert response.status_code == 302
    user = fresh(member)
    assert (is_banned(user), is_member(user)) == (True, False)
    assert mail.outbox[-1].subject == "Your account at Valley Press Club News is banned"


@pytest.mark.django_db
def test_suspend_until_date_from_admin(editor_client, member):
    Membership.objects.create(user=member, status=MembershipStatus.ACTIVE)
    url = reverse("memberships:restrict", args=[member.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = editor_client.post(
        url, {"action": "suspend", "reason": "Cool off.", "until": yesterday.isoformat()}
    )
    assert response.status_code == 400
    assert "Choose a date after today." in response.text
    assert "Cool off." in response.text  # the reason typed stays
    later = timezone.localdate() + dt.timedelta(days=10)
    response = editor_client.post(
        url, {"action": "suspend", "reason": "Cool off.", "until": later.isoformat()}
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.status, membership.suspended_until.date()) == ("suspended", later)
    assert membership_status(fresh(member)) == "suspended"
    response = editor_client.post(reverse("memberships:reinstate", args=[membership.pk]), {"reason": ""})
    assert response.status_code == 302
    assert is_member(fresh(member)) is True


@pytest.mark.django_db
def test_find_account(editor_client, member):
    response = editor_client.get(reverse("memberships:find") + "?email=ANA.RUIZ@example.org")
    assert response["Location"] == reverse("memberships:restrict", args=[member.pk])
    response = editor_client.get(reverse("memberships:find") + "?email=nobody@example.org", follow=True)
    assert "No account has the address “nobody@example.org”." in response.text


@pytest.mark.django_db
def test_send_invitation_from_admin(editor_client, moderator):
    url = reverse("memberships:invitations")
    response = editor_client.post(url, {"email": "not an address", "note": "Welcome aboard"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert "Welcome aboard" in response.text
    response = editor_client.post(url, {"email": "Priya@Example.org", "note": ""})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by) == ("priya@example.org", moderator)
    assert mail.outbox[-1].to == ["priya@example.org"]
    assert "priya@example.org" in editor_client.get(url).text
    response = editor_client.post(url, {"email": "moderator@example.org"})
    assert response.status_code == 400
    assert "moderator@example.org is already a member." in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["999999/approve/", "999999/decline/", "account/999999/restrict/"])
def test_unknown_ids_404(editor_client, path):
    assert editor_client.get("/admin/members/" + path).status_code == 404


@pytest.mark.django_db
def test_nul_and_control_characters_in_admin_inputs(editor_client, member):
    response = editor_client.get(reverse("memberships:index") + "?q=ana%00%0b&status=requested")
    assert response.status_code == 200
    response = editor_client.get(reverse("memberships:find") + "?email=ana.ruiz%00@example.org")
    assert response["Location"] == reverse("memberships:restrict", args=[member.pk])
    response = editor_client.post(reverse("memberships:invitations"), {"email": "a\x00b@example.org"})
    assert response.status_code == 400

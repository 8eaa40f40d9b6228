"""The membership pages in the Wagtail admin: who may see them, and each decision's effect."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
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
    for url in (reverse("memberships:list"), reverse("invitations:index"), reverse("invitations:add")):
        response = client.get(url)
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(reverse("memberships:approve", args=[Membership.objects.get().pk]), {"reason": ""})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Membership.objects.get().status == "requested"
    # Turned away before the lookup: an unknown id is not told apart from a known one.
    for url in (reverse("memberships:approve", args=[999999]), reverse("memberships:restrict", args=[999999])):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").text.count("Members") == 0


@pytest.mark.django_db
def test_requests_list(editor_client, request_from):
    response = editor_client.get(reverse("memberships:list"))
    assert response.status_code == 200
    assert "Requested (1)" in response.text
    assert "ana.ruiz@example.org" in response.text
    assert "I report on the ward &lt;b&gt;meetings&lt;/b&gt;." in response.text
    assert f'href="{reverse("memberships:approve", args=[request_from.pk])}"' in response.text
    assert (
        editor_client.get(reverse("memberships:list") + "?status=active").text.count("ana.ruiz@example.org")
        == 0
    )
    assert editor_client.get(reverse("memberships:list") + "?status=bogus&p=zz").status_code == 200


@pytest.mark.django_db
def test_approve(editor_client, request_from, member, moderator):
    url = reverse("memberships:approve", args=[request_from.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert Membership.objects.get().status == "requested"  # GET changes nothing
    mail.outbox.clear()
    response = editor_client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("memberships:list") + "?status=active"
    membership = Membership.objects.get()
    assert (membership.status, membership.decided_by) == ("active", moderator)
    assert is_member(fresh(member)) is True
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana.ruiz@example.org"], "Welcome to Valley Press Club News")
    ]
    # The same form sent again (Back, then Approve): nothing changes and no second welcome.
    response = editor_client.post(url, {"reason": ""}, follow=True)
    assert "ana.ruiz@example.org is a member already. Nothing was changed or sent." in response.text
    assert len(mail.outbox) == 1
    assert Membership.objects.get().decided_by == moderator


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
    url = reverse("invitations:add")
    response = editor_client.post(url, {"email": "not an address", "note": "Welcome aboard"})
    assert response.status_code == 400
    assert "Enter a valid e-mail address, such as name@example.org." in response.text
    assert "Welcome aboard" in response.text
    response = editor_client.post(url, {"email": "Priya@Example.org", "note": ""})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by) == ("priya@example.org", moderator)
    assert mail.outbox[-1].to == ["priya@example.org"]
    assert "priya@example.org" in editor_client.get(reverse("invitations:index")).text
    response = editor_client.post(url, {"email": "moderator@example.org"})
    assert response.status_code == 400
    assert "moderator@example.org is already a member." in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["999999/approve/", "999999/decline/", "account/999999/restrict/"])
def test_unknown_ids_404(editor_client, path):
    assert editor_client.get("/admin/members/" + path).status_code == 404


@pytest.mark.django_db
def test_nul_and_control_characters_in_admin_inputs(editor_client, member):
    response = editor_client.get(reverse("memberships:list") + "?q=ana%00%0b&status=requested")
    assert response.status_code == 200
    response = editor_client.get(reverse("memberships:find") + "?email=ana.ruiz%00@example.org")
    assert response["Location"] == reverse("memberships:restrict", args=[member.pk])
    response = editor_client.post(reverse("invitations:add"), {"email": "a\x00b@example.org"})
    assert response.status_code == 400


@pytest.fixture
def three_requests(db):
    """Three verified readers waiting for a decision, oldest first: a@, b@ and c@example.org."""
    from allauth.account.models import EmailAddress

    memberships = []
    for letter in "abc":
        user = User.objects.create_user(
            email=f"{letter}@example.org", password="x", display_name=f"Reader {letter}"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        memberships.append(services.membership_request(user=user, note=f"Note {letter}"))
    return memberships


def bulk_url(action, *memberships):
    ids = "&".join(f"id={membership.pk}" for membership in memberships)
    return f"/admin/bulk/members/membership/{action}/?next=/admin/members/&{ids}"


@pytest.mark.django_db
def test_status_filter_counts_and_search(editor_client, three_requests):
    services.membership_grant(membership=three_requests[0], by=None)
    response = editor_client.get(reverse("memberships:list"))
    assert [label in response.text for label in ("Requested (2)", "Active (1)", "Banned (0)")] == [True] * 3
    requested = editor_client.get(reverse("memberships:list") + "?status=requested").text
    assert (requested.count("b@example.org"), requested.count("a@example.org")) == (1, 0)
    assert requested.index("b@example.org") < requested.index("c@example.org")  # oldest request first
    found = editor_client.get(reverse("memberships:list") + "?q=Reader+c").text
    assert (found.count("c@example.org"), found.count("b@example.org")) == (1, 0)


@pytest.mark.django_db
def test_bulk_approve_requests_only(editor_client, three_requests, moderator):
    services.membership_decline(membership=three_requests[2], by=None)
    url = bulk_url("approve", *three_requests)
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "Approve 2 requests? Each reader receives an e-mail." in page.text
    assert "c@example.org (declined)" in page.text  # listed as left alone
    mail.outbox.clear()
    response = editor_client.post(url, {"reason": ""})
    assert (response.status_code, response["Location"]) == (302, "/admin/members/")
    statuses = dict(Membership.objects.values_list("user__email", "status"))
    assert statuses == {"a@example.org": "active", "b@example.org": "active", "c@example.org": "declined"}
    assert Membership.objects.filter(status="active", decided_by=moderator).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert {m.subject for m in mail.outbox} == {"Welcome to Valley Press Club News"}
    assert "2 requests approved. We have e-mailed each reader." in editor_client.get("/admin/members/").text


@pytest.mark.django_db
def test_bulk_decline_with_reason(editor_client, three_requests):
    mail.outbox.clear()
    response = editor_client.post(
        bulk_url("decline", *three_requests[:2]), {"reason": "Members must live in the valley."}
    )
    assert response.status_code == 302
    assert list(Membership.objects.order_by("pk").values_list("status", flat=True)) == [
        "declined",
        "declined",
        "requested",
    ]
    assert len(mail.outbox) == 2
    assert all("Their reason: Members must live in the valley." in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_bulk_actions_turn_away_non_deciders_and_never_delete(editor_client, three_requests):
    user = User.objects.create_user(email="intern@example.org", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    for action in ("approve", "decline", "delete"):
        response = client.get(bulk_url(action, *three_requests))
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.post(bulk_url("approve", *three_requests), {"reason": ""})["Location"] == "/admin/"
    # Deciders may not delete either: a deleted row would silently lift a ban.
    assert editor_client.post(bulk_url("delete", *three_requests)).status_code == 302
    assert Membership.objects.filter(status="requested").count() == 3
    listing = editor_client.get(reverse("memberships:list")).text
    bulk_links = (listing.count("/admin/bulk/members/membership/approve/"), listing.count("membership/delete/"))
    assert bulk_links == (1, 0)


@pytest.mark.django_db
def test_no_editing_or_deleting_a_membership(editor_client, request_from):
    for name in ("edit", "delete"):
        response = editor_client.get(reverse(f"memberships:{name}", args=[request_from.pk]))
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    page = editor_client.get(reverse("memberships:inspect", args=[request_from.pk]))
    assert page.status_code == 200
    assert "I report on the ward &lt;b&gt;meetings&lt;/b&gt;." in page.text

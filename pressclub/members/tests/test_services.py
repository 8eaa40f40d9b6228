"""Membership services: each decision changes the row, sends its e-mail, and moves is_member."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import timezone

from pressclub.members import services
from pressclub.members.models import Invitation, Membership, MembershipStatus
from pressclub.members.permissions import forget, is_banned, is_member, membership_status
from pressclub.members.signals import member_leaving

User = get_user_model()


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def editor(moderator):
    return moderator


@pytest.mark.django_db
def test_request_mails_editors(member, editor, committed):
    with committed():
        membership = services.membership_request(user=member, note="  I write letters to the editor.  ")
    assert (membership.status, membership.request_note) == ("requested", "I write letters to the editor.")
    assert membership.requested_at is not None
    assert membership_status(member) == "requested"
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    assert mail.outbox[0].subject == "Membership request from ana.ruiz@example.org"
    assert "I write letters to the editor." in mail.outbox[0].body
    assert "http://localhost/admin/members/?status=requested" in mail.outbox[0].body


@pytest.mark.django_db
def test_request_refused_twice_and_for_members(member, editor):
    services.membership_request(user=member)
    with pytest.raises(services.MembershipError, match="already waiting"):
        services.membership_request(user=fresh(member))
    with pytest.raises(services.MembershipError, match="already a member"):
        services.membership_request(user=editor)


@pytest.mark.django_db
def test_request_refused_when_unverified(db):
    user = User.objects.create_user(email="new@example.org", password="x")
    with pytest.raises(services.MembershipError, match="Confirm your e-mail address first"):
        services.membership_request(user=user)
    assert Membership.objects.count() == 0


@pytest.mark.django_db
def test_grant(member, editor, committed):
    membership = services.membership_request(user=member)
    mail.outbox.clear()
    with committed():
        services.membership_grant(membership=membership, by=editor)
    membership.refresh_from_db()
    assert (membership.status, membership.decided_by, membership.reason) == ("active", editor, "")
    assert is_member(member) is True  # the service dropped the cached answer
    assert is_member(fresh(member)) is True
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana.ruiz@example.org"], "Welcome to Valley Press Club News")
    ]
    assert "http://localhost/accounts/profile/" in mail.outbox[0].body
    assert "A note from the editors" not in mail.outbox[0].body


@pytest.mark.django_db
def test_grant_mails_the_editors_reason(member, editor, committed):
    membership = services.membership_request(user=member)
    mail.outbox.clear()
    with committed():
        services.membership_grant(membership=membership, by=editor, reason="Welcome, and thanks for the radio reports.")
    assert "\nA note from the editors: Welcome, and thanks for the radio reports.\n" in mail.outbox[0].body
    assert mail.outbox[0].body.startswith("Hello Ana Ruiz,\n")


@pytest.mark.django_db
def test_decline_with_reason(member, editor, committed):
    membership = services.membership_request(user=member)
    mail.outbox.clear()
    with committed():
        services.membership_decline(membership=membership, by=editor, reason="We admit local residents only.")
    assert fresh(member).membership.status == "declined"
    assert is_member(fresh(member)) is False
    assert membership_status(fresh(member)) == "registered"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your membership request to Valley Press Club News"
    assert "Their reason: We admit local residents only." in mail.outbox[0].body
    with pytest.raises(services.MembershipError, match="Only a pending request"):
        services.membership_decline(membership=membership, by=editor)
    # A declined reader may ask again.
    assert services.membership_request(user=fresh(member)).status == "requested"


@pytest.mark.django_db
def test_no_mail_when_transaction_rolls_back(member, editor, committed):
    membership = services.membership_request(user=member)
    mail.outbox.clear()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.membership_decline(membership=membership, by=editor)
        raise RuntimeError("a later step fails")
    assert mail.outbox == []
    assert fresh(member).membership.status == "requested"


@pytest.mark.django_db
def test_ban(member, editor, committed):
    with committed():
        services.membership_ban(user=member, by=editor, reason="Repeated abuse of other readers.")
    user = fresh(member)
    assert (is_banned(user), is_member(user), membership_status(user)) == (True, False, "banned")
    assert mail.outbox[-1].subject == "Your account at Valley Press Club News is banned"
    assert "Reason: Repeated abuse of other readers." in mail.outbox[-1].body
    with pytest.raises(services.MembershipError, match="Give a reason"):
        services.membership_ban(user=member, by=editor, reason="  ")


@pytest.mark.django_db
def test_suspend_until_then_lapses(member, editor, committed):
    Membership.objects.create(user=member, status=MembershipStatus.ACTIVE)
    until = timezone.now() + dt.timedelta(days=7)
    with committed():
        services.membership_suspend(user=member, by=editor, reason="Cool off.", until=until)
    assert membership_status(fresh(member)) == "suspended"
    assert is_banned(fresh(member)) is False
    assert f"until {timezone.localtime(until):%-d %B %Y}" in mail.outbox[-1].body
    Membership.objects.filter(user=member).update(suspended_until=timezone.now() - dt.timedelta(minutes=1))
    assert is_member(fresh(member)) is True


@pytest.mark.django_db
def test_suspend_refuses_past_end_and_banned(member, editor):
    with pytest.raises(services.MembershipError, match="must be in the future"):
        services.membership_suspend(
            user=member, by=editor, reason="x", until=timezone.now() - dt.timedelta(days=1)
        )
    services.membership_ban(user=member, by=editor, reason="x")
    with pytest.raises(services.MembershipError, match="lift the ban"):
        services.membership_suspend(user=member, by=editor, reason="x")


@pytest.mark.django_db
def test_suspending_an_editor_takes_automatic_membership_away(editor, committed):
    assert is_member(fresh(editor)) is True
    with committed():
        services.membership_suspend(user=editor, by=None, reason="Leave of absence.")
    assert membership_status(fresh(editor)) == "suspended"


@pytest.mark.django_db
def test_reinstate_after_ban(member, editor):
    membership = services.membership_ban(user=member, by=editor, reason="x")
    services.membership_grant(membership=membership, by=editor, reason="Appeal accepted.")
    assert is_member(fresh(member)) is True


@pytest.mark.django_db
def test_invitation_send_and_renew(editor, committed):
    with committed():
        first = services.invitation_send(email=" Chitra.Sen@Example.org ", by=editor, note="Join us!")
    assert first.email == "chitra.sen@example.org"
    assert len(first.token) >= 40
    assert mail.outbox[0].to == ["chitra.sen@example.org"]
    assert mail.outbox[0].subject == "You are invited to join Valley Press Club News"
    assert f"/accounts/invite/{first.token}/" in mail.outbox[0].body
    assert "Desk Editor invites you" in mail.outbox[0].body
    with committed():
        second = services.invitation_send(email="CHITRA.SEN@example.org", by=editor)
    assert second.pk == first.pk
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_invitation_refused_for_members(editor):
    with pytest.raises(services.MembershipError, match="already a member"):
        services.invitation_send(email="Moderator@Example.org", by=editor)


@pytest.mark.django_db
def test_invitation_accept_checks(member, editor):
    invitation = services.invitation_send(email="someone@example.org", by=editor)
    with pytest.raises(services.MembershipError, match="sent to someone@example.org"):
        services.invitation_accept(invitation=invitation, user=member)
    other = services.invitation_send(email="ana.ruiz@example.org", by=editor)
    Invitation.objects.filter(pk=other.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.MembershipError, match="expired"):
        services.invitation_accept(invitation=other, user=member)
    Invitation.objects.filter(pk=other.pk).update(expires=timezone.now() + dt.timedelta(days=1))
    membership = services.invitation_accept(invitation=other, user=member)
    assert (membership.status, membership.invitation_id, membership.decided_by) == (
        "active",
        other.pk,
        editor,
    )
    with pytest.raises(services.MembershipError, match="already been accepted"):
        services.invitation_accept(invitation=other, user=member)


@pytest.mark.django_db
@pytest.mark.parametrize("remove", [True, False])
def test_account_delete_sends_signal_first(member, committed, remove):
    Membership.objects.create(user=member, status=MembershipStatus.ACTIVE)
    member_pk = member.pk
    seen = []

    def listener(sender, user, remove_comments, **kwargs):
        seen.append((user.pk, remove_comments, User.objects.filter(pk=user.pk).exists()))

    member_leaving.connect(listener)
    try:
        with committed():
            services.account_delete(user=member, remove_comments=remove)
    finally:
        member_leaving.disconnect(listener)
    assert seen == [(member_pk, remove, True)]
    assert User.objects.filter(email="ana.ruiz@example.org").count() == 0
    assert Membership.objects.count() == 0
    assert mail.outbox[-1].subject == "Your account at Valley Press Club News has been deleted"
    expected = "Your comments have been removed." if remove else 'shown as written by a "former member"'
    assert expected in mail.outbox[-1].body


@pytest.mark.django_db
def test_decisions_forget_the_standing_cached_on_the_user_passed_in(member, editor):
    Membership.objects.create(user=member, status=MembershipStatus.ACTIVE)
    assert membership_status(member) == "member"  # now cached on this object
    services.membership_suspend(user=member, by=editor, reason="Cool off.")
    assert membership_status(member) == "suspended"
    services.membership_ban(user=member, by=editor, reason="Abuse.")
    assert membership_status(member) == "banned"
    Membership.objects.filter(user=member).update(status=MembershipStatus.DECLINED)
    forget(member)
    assert membership_status(member) == "registered"
    invitation = services.invitation_send(email=member.email, by=editor)
    services.invitation_accept(invitation=invitation, user=member)
    assert membership_status(member) == "member"

"""Reader pages: profile, membership request, invitation, deleting one's account."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pressclub.members import services
from pressclub.members.models import Invitation, Membership
from pressclub.members.permissions import is_member, membership_status
from pressclub.members.signals import member_leaving

User = get_user_model()
PASSWORD = "correct horse 42"


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["members:profile", "members:membership", "members:account_delete"])
def test_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={reverse(name)}"


@pytest.mark.django_db
def test_profile_edit(client, member, home_page):
    client.force_login(member)
    page = client.get(reverse("members:profile"))
    assert page.status_code == 200
    assert 'name="display_name" value="Ana Ruiz"' in page.text
    assert 'name="notify_replies"' in page.text and "checked" in page.text
    response = client.post(
        reverse("members:profile"), {"display_name": "  Ana   R. \x0b", "bio": "Teacher in Lekhnath.\x0b"}
    )
    assert response.status_code == 302
    user = fresh(member)
    assert (user.display_name, user.bio, user.notify_replies) == ("Ana R.", "Teacher in Lekhnath.", False)


@pytest.mark.django_db
def test_profile_error_keeps_text(client, member, home_page):
    client.force_login(member)
    bio = "नमस्ते " * 200  # 1,400 characters: over the limit
    response = client.post(
        reverse("members:profile"), {"display_name": "", "bio": bio, "notify_replies": "on"}
    )
    assert response.status_code == 400
    assert "Enter the name to show with your comments." in response.text
    assert "Ensure this value has at most 1000 characters (it has 1399)." in response.text
    assert bio.strip() in response.text
    assert fresh(member).display_name == "Ana Ruiz"


@pytest.mark.django_db
def test_membership_request_page(client, member, moderator, home_page):
    client.force_login(member)
    page = client.get(reverse("members:membership"))
    assert 'data-status="registered"' in page.text
    assert 'name="note"' in page.text
    response = client.post(reverse("members:membership"), {"note": "Retired teacher, long-time reader."})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:membership")
    assert Membership.objects.get().request_note == "Retired teacher, long-time reader."
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    page = client.get(reverse("members:membership"))
    assert 'data-status="requested"' in page.text
    assert "Your request to join is waiting for an editor." in page.text
    assert "Thank you. Your request has been sent to the editors." in page.text
    assert 'name="note"' not in page.text
    # A second POST (double click, resent form) changes nothing and says why.
    response = client.post(reverse("members:membership"), {"note": "again"})
    assert response.status_code == 400
    assert "Your request is already waiting for an editor." in response.text
    assert Membership.objects.get().request_note == "Retired teacher, long-time reader."
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_membership_note_too_long_keeps_text(client, member, home_page):
    client.force_login(member)
    note = "বাংলা " * 250
    response = client.post(reverse("members:membership"), {"note": note})
    assert response.status_code == 400
    assert note.strip() in response.text
    assert Membership.objects.count() == 0


@pytest.mark.django_db
def test_request_then_editor_grants(client, member, moderator, home_page):
    client.force_login(member)
    client.post(reverse("members:membership"), {"note": ""})
    services.membership_grant(membership=Membership.objects.get(), by=moderator)
    page = client.get(reverse("members:membership"))
    assert 'data-status="member"' in page.text
    assert is_member(fresh(member)) is True


def confirm_link(message):
    return re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_invite_signup_verify_is_member(client, moderator, home_page):
    with_mail = client  # requests run their on-commit mail
    invitation = services.invitation_send(email="deepa.rai@example.org", by=moderator)
    page = with_mail.get(reverse("members:invitation_accept", kwargs={"token": invitation.token}))
    assert page.status_code == 200
    assert "Desk Editor invites you" in page.text
    signup_url = "/accounts/signup/?email=deepa.rai%40example.org"
    assert f'href="{signup_url}"' in page.text
    form = with_mail.get(signup_url)
    assert 'name="email" value="deepa.rai@example.org"' in form.text
    with_mail.post(
        signup_url, {"email": "Deepa.Rai@example.org", "display_name": "Asha Tamang", "password1": PASSWORD, "password2": PASSWORD}
    )
    user = User.objects.get(email="deepa.rai@example.org")
    assert membership_status(user) == "unverified"
    response = with_mail.post(confirm_link(mail.outbox[-1]))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:membership")
    assert is_member(fresh(user)) is True
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert mail.outbox[-1].subject == "Welcome to Valley Press Club News"
    page = with_mail.get(reverse("members:membership"))
    assert 'data-status="member"' in page.text


@pytest.mark.django_db
def test_invite_for_existing_account_accepts_by_post(client, member, moderator, home_page):
    invitation = services.invitation_send(email="ana.ruiz@example.org", by=moderator)
    url = reverse("members:invitation_accept", kwargs={"token": invitation.token})
    page = client.get(url)
    assert "You already have an account with this address." in page.text
    assert f'href="/accounts/login/?next={url.replace("/", "%2F")}"' in page.text
    client.force_login(member)
    page = client.get(url)
    assert "Accept and join</button>" in page.text
    assert Membership.objects.count() == 0  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert is_member(fresh(member)) is True
    used = client.get(url)
    assert used.status_code == 410
    assert "This invitation has already been accepted." in used.text


@pytest.mark.django_db
def test_invite_for_another_address(client, member, moderator, home_page):
    invitation = services.invitation_send(email="someone@example.org", by=moderator)
    client.force_login(member)
    url = reverse("members:invitation_accept", kwargs={"token": invitation.token})
    page = client.get(url)
    assert (
        "This invitation was sent to someone@example.org, but you are signed in as ana.ruiz@example.org."
        in page.text
    )
    response = client.post(url)
    assert response.status_code == 400
    assert "This invitation was sent to someone@example.org. Sign in with that address." in response.text
    assert Membership.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["nope", "x" * 500, "%00", "Robert'); DROP TABLE"])
def test_bad_invitation_token(client, home_page, token):
    response = client.get(f"/accounts/invite/{token}/")
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.text


@pytest.mark.django_db
def test_expired_invitation(client, moderator, home_page):
    invitation = services.invitation_send(email="late@example.org", by=moderator)
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() - dt.timedelta(days=1))
    response = client.get(reverse("members:invitation_accept", kwargs={"token": invitation.token}))
    assert response.status_code == 410
    assert "This invitation has expired." in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(("choice", "remove"), [("remove", True), ("keep", False)])
def test_delete_account(client, member, home_page, choice, remove):
    seen = []

    def listener(sender, user, remove_comments, **kwargs):
        seen.append((user.email, remove_comments))

    member_leaving.connect(listener)
    client.force_login(member)
    try:
        page = client.get(reverse("members:account_delete"))
        assert 'value="remove"' in page.text and 'value="keep"' in page.text
        response = client.post(reverse("members:account_delete"), {"comments": choice, "password": PASSWORD})
    finally:
        member_leaving.disconnect(listener)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert seen == [("ana.ruiz@example.org", remove)]
    assert User.objects.filter(email="ana.ruiz@example.org").exists() is False
    assert EmailAddress.objects.count() == 0
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_delete_account_wrong_password_or_no_choice(client, member, home_page):
    client.force_login(member)
    response = client.post(reverse("members:account_delete"), {"comments": "keep", "password": "wrong"})
    assert response.status_code == 400
    assert "That is not your password." in response.text
    assert 'value="keep" required id="id_comments_1" checked' in response.text
    response = client.post(
        reverse("members:account_delete"), {"comments": "everything", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Select a valid choice. everything is not one of the available choices." in response.text
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_delete_account_password_guessing_limited(client, member, home_page, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reauthenticate": "3/m/user"}
    client.force_login(member)
    for _ in range(3):
        response = client.post(reverse("members:account_delete"), {"comments": "keep", "password": "guess"})
        assert response.status_code == 400
    response = client.post(reverse("members:account_delete"), {"comments": "keep", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts. Wait a minute and try again." in response.text
    assert User.objects.filter(pk=member.pk).exists()

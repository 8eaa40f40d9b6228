"""The signed "Approve" link in the moderation e-mail: GET confirms, POST approves, bad tokens refused."""

import datetime as dt
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import signing

from pressclub.comments.models import Comment, CommentStatus, ModerationAction
from pressclub.comments.tokens import (
    SALT,
    LinkError,
    moderation_approve_url,
    moderation_token,
    moderation_token_read,
)

# One front page, section and article for the whole module; what each test writes is undone after it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_site")]


@pytest.fixture
def held(article, member):
    return Comment.objects.create(
        page=article, user=member, body="The bridge should have a footpath.\n\nAnd lights.",
        body_html="<p>The bridge should have a footpath.</p>", status=CommentStatus.PENDING,
        holds=[{"reason": "first_comment"}],
    )


def path_of(url):
    return url.removeprefix("http://localhost")


def test_url_is_absolute_on_the_site_address_and_names_the_comment(held):
    url = moderation_approve_url(held)
    assert url.startswith("http://localhost/admin/comments/approve/")
    assert url.endswith("/")
    token = url.rsplit("/", 2)[1]
    link = moderation_token_read(token)
    assert (link.comment_id, link.action) == (held.pk, "approve")


def test_url_follows_the_configured_base_url(held, settings):
    settings.PRESSCLUB_BASE_URL = "https://news.example.org"
    assert moderation_approve_url(held).startswith("https://news.example.org/admin/comments/approve/")


def test_get_shows_a_confirm_page_and_changes_nothing(client, moderator, held):
    client.force_login(moderator)
    response = client.get(path_of(moderation_approve_url(held)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>The bridge should have a footpath.</p>\n\n<p>And lights.</p>" in html
    assert "Council approves new footbridge over the Seti" in html
    assert "Ana Ruiz" in html
    assert "Held: first comment" in html
    assert '<button type="submit" class="button">Approve this comment</button>' in html
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.PENDING
    assert ModerationAction.objects.count() == 0


def test_post_approves_and_logs_the_email_channel(client, moderator, held):
    client.force_login(moderator)
    response = client.post(path_of(moderation_approve_url(held)))
    assert response.status_code == 302
    assert response["Location"] == "/admin/comments/"
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.APPROVED
    assert ModerationAction.objects.values_list("comment_id", "moderator_id", "verb", "channel", "from_status",
                                                "to_status").get() == (
        held.pk, moderator.pk, "approve", "email", "pending", "approved"
    )


def test_post_on_an_already_decided_comment_changes_nothing(client, moderator, held):
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.REJECTED)
    client.force_login(moderator)
    url = path_of(moderation_approve_url(held))
    get = client.get(url)
    assert "This comment is no longer awaiting moderation: it is rejected. Nothing was changed." in get.content.decode()
    assert "Approve this comment" not in get.content.decode()
    response = client.post(url)
    assert response.status_code == 409
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.REJECTED
    assert ModerationAction.objects.count() == 0


def test_anonymous_is_sent_to_login_first(client, held):
    url = path_of(moderation_approve_url(held))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/comments/approve/")
    assert client.post(url).status_code == 302
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.PENDING


def test_admin_user_who_may_not_moderate_cannot_approve(client, held):
    group = Group.objects.create(name="Photo desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = get_user_model().objects.create_user(email="photo@example.org", password="x", is_staff=True)
    user.groups.add(group)
    client.force_login(user)
    response = client.post(path_of(moderation_approve_url(held)))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.PENDING


def _tampered(token: str) -> str:
    payload, stamp, signature = token.split(":")
    return f"{payload}:{stamp}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize(
    "make_token",
    [
        _tampered,
        lambda token: token[:-5],
        lambda token: "not-a-token",
        # Someone else's comment id with this comment's signature.
        lambda token: signing.dumps({"c": 999, "a": "approve"}, salt="another-salt"),
    ],
    ids=["changed-signature", "cut-short", "garbage", "other-salt"],
)
def test_tampered_tokens_get_a_400_page(client, moderator, held, make_token):
    client.force_login(moderator)
    bad = make_token(moderation_token(held))
    for response in (client.get(f"/admin/comments/approve/{bad}/"), client.post(f"/admin/comments/approve/{bad}/")):
        assert response.status_code == 400
        assert "This approval link is not valid: it may have been cut short or changed." in response.content.decode()
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.PENDING


def test_expired_token_gets_a_400_page(client, moderator, held):
    eight_days_ago = time.time() - dt.timedelta(days=8).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        old = moderation_token(held)
    client.force_login(moderator)
    response = client.post(f"/admin/comments/approve/{old}/")
    assert response.status_code == 400
    assert "This approval link has expired." in response.content.decode()
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.PENDING
    # Six days old still works.
    six_days_ago = time.time() - dt.timedelta(days=6).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=six_days_ago):
        recent = moderation_token(held)
    assert client.get(f"/admin/comments/approve/{recent}/").status_code == 200


def test_token_for_a_deleted_comment_gets_a_400_page(client, moderator, held):
    token = moderation_token(held)
    held.delete()
    client.force_login(moderator)
    response = client.get(f"/admin/comments/approve/{token}/")
    assert response.status_code == 400
    assert "The comment this link names has been deleted." in response.content.decode()


def test_a_signed_payload_of_the_wrong_shape_is_refused():
    token = signing.dumps({"c": "7", "a": "approve"}, salt=SALT)
    with pytest.raises(LinkError, match="does not name a comment"):
        moderation_token_read(token)
    with pytest.raises(LinkError, match="does not name a comment"):
        moderation_token_read(signing.dumps({"c": 7, "a": "delete"}, salt=SALT))


def test_xss_in_the_comment_renders_inert_on_the_confirm_page(client, moderator, article):
    comment = Comment.objects.create(
        page=article, author_name="<img src=x onerror=alert(1)>", body="<script>alert(1)</script>",
        status=CommentStatus.PENDING,
    )
    client.force_login(moderator)
    html = client.get(path_of(moderation_approve_url(comment))).content.decode()
    assert "<img src=x onerror=alert(1)>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_moderation_email_link_approves_end_to_end(
    client, moderator, article, member, mailoutbox, django_capture_on_commit_callbacks
):
    import re

    from pressclub.comments.services import comment_submit
    from pressclub.members.models import Membership

    Membership.objects.create(user=member, status="active")
    type(article).objects.filter(pk=article.pk).update(comment_moderation="always")
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        result = comment_submit(user=member, page=article, body="Please add lights.", idempotency_key="k-1")
    assert result.comment.status == CommentStatus.PENDING
    [email] = [m for m in mailoutbox if m.to == ["moderator@example.org"]]
    [url] = re.findall(r"http://localhost/admin/comments/approve/\S+/", email.body)

    client.force_login(moderator)
    assert "Please add lights." in client.get(path_of(url)).content.decode()
    assert client.post(path_of(url)).status_code == 302
    assert Comment.objects.get(pk=result.comment.pk).status == CommentStatus.APPROVED
    assert ModerationAction.objects.values_list("channel", flat=True).get() == "email"

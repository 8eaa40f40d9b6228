"""Comment e-mail: who gets a reply notification, moderators on flags, and the unsubscribe links."""

import pytest
from django.core import mail

from pressclub.comments.models import Comment, NotificationOptOut
from pressclub.comments.notifications import confirmation_send, reply_notification_send
from pressclub.comments.services import comment_flag
from pressclub.comments.tokens import LinkError, unsubscribe_token, unsubscribe_token_read
from pressclub.testing.factories import create_user

# One front page, section and article for the whole module; what each test writes is undone after it.
# Every test is a database test, so pytest-django runs them all before the transactional ones (the
# browser test), which empty the tables the module's pages live in.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_site")]


def _comment(page, user=None, parent=None, notify=True, **extra):
    return Comment.objects.create(page=page, user=user, parent=parent, body="Words.", body_html="<p>Words.</p>",
                                  status=extra.pop("status", "approved"), notify_on_reply=notify, **extra)


@pytest.mark.parametrize(
    "notify_on_reply,notify_replies,opted_out,same_author,sent",
    [
        (True, True, False, False, 1),
        (False, True, False, False, 0),  # the comment did not ask for replies
        (True, False, False, False, 0),  # the account turned reply e-mail off
        (True, True, True, False, 0),  # the address unsubscribed by link
        (True, True, False, True, 0),  # answering oneself
    ],
)
def test_reply_notification_rules(article, club_member, other_member, notify_on_reply, notify_replies, opted_out,
                                  same_author, sent):
    club_member.notify_replies = notify_replies
    club_member.save()
    if opted_out:
        NotificationOptOut.objects.create(email=club_member.email, kind="replies")
    parent = _comment(article, user=club_member, notify=notify_on_reply)
    reply = _comment(article, user=club_member if same_author else other_member, parent=parent)
    assert reply_notification_send(reply.pk) == sent
    assert len(mail.outbox) == sent


def test_pending_reply_notifies_nobody(article, club_member, other_member):
    parent = _comment(article, user=club_member)
    reply = _comment(article, user=other_member, parent=parent, status="pending")
    assert reply_notification_send(reply.pk) == 0


def test_flags_past_threshold_email_moderators(article, club_member, moderator, django_capture_on_commit_callbacks):
    comment = _comment(article, user=club_member)
    flaggers = [create_user(f"f{i}@example.org", f"F {i}", membership="active") for i in range(3)]
    for flagger in flaggers[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            comment_flag(comment=comment, user=flagger, reason="Rude")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_flag(comment=comment, user=flaggers[2], reason="Rude")
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    assert "Held because: flagged by 3 members" in mail.outbox[0].body


def test_moderators_who_unsubscribed_get_nothing(article, club_member, moderator,
                                                 django_capture_on_commit_callbacks):
    from pressclub.comments.services import comment_edit

    NotificationOptOut.objects.create(email=moderator.email, kind="moderation")
    comment = _comment(article, user=club_member)
    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment=comment, user=club_member, body="You moron.", now=comment.created_at)
    assert Comment.objects.get(pk=comment.pk).status == "pending"
    assert mail.outbox == []


def test_confirmation_email_has_one_click_unsubscribe(article):
    comment = _comment(article, author_name="Guest", author_email="guest@example.org", status="pending",
                       holds=[{"reason": "email_unconfirmed"}])
    assert confirmation_send(comment.pk) == 1
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    email, kind = unsubscribe_token_read(headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1])
    assert (email, kind) == ("guest@example.org", "all")
    NotificationOptOut.objects.create(email="guest@example.org", kind="all")
    assert confirmation_send(comment.pk) == 0


def test_unsubscribe_tokens_cannot_be_forged():
    token = unsubscribe_token(email="ana.ruiz@example.org", kind="replies")
    assert unsubscribe_token_read(token) == ("ana.ruiz@example.org", "replies")
    with pytest.raises(LinkError):
        unsubscribe_token_read(token[:-2] + "xx")


def test_held_comment_emails_each_moderating_account_once(article, club_member):
    from django.contrib.auth.models import Group, Permission

    from pressclub.comments.notifications import moderator_notification_send

    # Like the demo's editor: staff, in the Editors group only.
    editor = create_user("editor@example.org", "Demo Editor")
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    # In both moderating groups and a superuser: still one e-mail.
    chief = create_user("chief@example.org", "Chief")
    chief.is_superuser = True
    chief.save()
    chief.groups.add(Group.objects.get_or_create(name="Editors")[0], Group.objects.get_or_create(name="Moderators")[0])
    holder = create_user("holder@example.org", "Holder")
    holder.user_permissions.add(Permission.objects.get(codename="moderate_comments", content_type__app_label="comments"))
    gone = create_user("gone@example.org", "Gone")
    gone.is_active = False
    gone.save()
    gone.groups.add(Group.objects.get(name="Editors"))
    comment = _comment(article, user=club_member, status="pending", holds=[{"reason": "first_comment"}])

    assert moderator_notification_send(comment.pk) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["chief@example.org", "editor@example.org", "holder@example.org"]

"""The demo loader: members with active memberships and an approved thread, loaded once."""

import pytest
from django.core.management import call_command

from pressclub.comments.models import Comment
from pressclub.demo.comments import COMMENTS, STEPS
from pressclub.members.permissions import is_member

pytestmark = pytest.mark.slow


def test_load_demo_comments_is_idempotent(section, capsys):
    from pressclub.news.models import ArticlePage

    page = section.add_child(instance=ArticlePage(title="Steps", slug=STEPS))
    page.save_revision().publish()
    call_command("load_demo_comments")
    assert "Loaded demo comments: 4 member(s), 5 comment(s) on 1 article(s)." in capsys.readouterr().out
    call_command("load_demo_comments")
    assert capsys.readouterr().out == "Demo comments already loaded.\n"
    comments = list(Comment.objects.order_by("created_at"))
    assert len(comments) == len([c for c in COMMENTS if c.article == STEPS]) == 5
    assert {c.status for c in comments} == {"approved"}
    assert [c.parent_id for c in comments] == [None, comments[0].pk, comments[1].pk, None, comments[3].pk]
    assert all(is_member(c.user) for c in comments)


def test_held_comment_emails_the_demo_editor(article, member):
    from django.core import mail

    from pressclub.comments.notifications import moderator_notification_send
    from pressclub.demo import content
    from pressclub.demo.services import _editor_account
    from pressclub.members.models import Membership

    Membership.objects.create(user=member, status="active")
    _editor_account()
    comment = Comment.objects.create(page=article, user=member, body="Words.", body_html="<p>Words.</p>",
                                     status="pending", notify_on_reply=True, holds=[{"reason": "first_comment"}])

    assert moderator_notification_send(comment.pk) == 1
    assert [m.to for m in mail.outbox] == [[content.EDITOR_EMAIL]]

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
    assert (
        "Loaded demo comments: 4 members, 1 request to join, 6 comments on 1 story." in capsys.readouterr().out
    )
    call_command("load_demo_comments")
    assert capsys.readouterr().out == "Demo comments already loaded.\n"
    comments = list(Comment.objects.order_by("created_at"))
    assert len(comments) == len([c for c in COMMENTS if c.article == STEPS]) == 6
    assert {c.status for c in comments} == {"approved"}
    assert [c.parent_id for c in comments] == [None, comments[0].pk, comments[1].pk, None, comments[3].pk, None]
    assert all(is_member(c.user) for c in comments)
    # One shown comment carries two members' flags, with their reasons, for the moderator to see.
    assert [(c.flag_count, [f.reason for f in c.flags.all()]) for c in comments if c.flag_count] == [
        (2, ["Off topic: the story says the budget is approved.", "Off topic"])
    ]
    # One reader's request to join waits for an editor.
    from pressclub.members.models import Membership

    assert list(Membership.objects.filter(status="requested").values_list("user__display_name", flat=True)) == [
        "Kiran Gurung"
    ]


def test_held_comment_emails_the_demo_editor_and_moderator(article, member):
    from django.core import mail

    from pressclub.comments.notifications import moderator_notification_send
    from pressclub.demo import content
    from pressclub.demo.services import _editor_account
    from pressclub.members.models import Membership

    Membership.objects.create(user=member, status="active")
    _editor_account()
    comment = Comment.objects.create(page=article, user=member, body="Words.", body_html="<p>Words.</p>",
                                     status="pending", notify_on_reply=True, holds=[{"reason": "first_comment"}])

    assert moderator_notification_send(comment.pk) == 2  # the demo editor and the demo moderator
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        s.email for s in content.STAFF if s.group in ("Editors", "Moderators")
    )

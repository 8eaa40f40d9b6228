"""The admin dashboard's panels of pending work: held comments and membership requests."""

import pytest

from pressclub.comments.models import Comment, CommentStatus
from pressclub.testing.factories import create_user

pytestmark = pytest.mark.django_db


def test_moderators_see_held_comments_with_a_link_to_the_queue(client, moderator, article, member):
    for n in range(6):
        Comment.objects.create(page=article, user=member, body=f"Held {n}", body_html=f"<p>Held {n}</p>",
                               status=CommentStatus.PENDING, holds=[{"reason": "too_many_links", "detail": "3"}])
    Comment.objects.create(page=article, user=member, body="Shown", body_html="<p>Shown</p>",
                           status=CommentStatus.APPROVED)
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "Comments awaiting moderation" in html
    assert '<a href="/admin/comments/">6 comments to moderate</a> (the 5 oldest below)' in html
    assert html.count("too many links: 3") == 5
    assert "Held 5" not in html and "Shown" not in html


def test_editors_see_membership_requests(client, moderator):
    create_user("kiran@example.org", "Kiran Gurung", membership="requested")
    client.force_login(moderator)  # in Editors too: decides memberships
    html = client.get("/admin/").content.decode()
    assert "Membership requests" in html
    assert '<a href="/admin/members/?status=requested">1 request to join, waiting for an editor</a>' in html
    assert "<strong>Kiran Gurung</strong> (kiran@example.org)" in html


def test_panels_stay_away_when_nothing_waits_or_for_others(client, article, member):
    Comment.objects.create(page=article, user=member, body="Held", body_html="<p>Held</p>", status=CommentStatus.PENDING)
    create_user("kiran@example.org", "Kiran Gurung", membership="requested")
    reporter = create_user("beat@example.org", "Beat Reporter", is_staff=True, groups=("Reporters",))
    client.force_login(reporter)
    html = client.get("/admin/").content.decode()
    assert "Comments awaiting moderation" not in html and "Membership requests" not in html

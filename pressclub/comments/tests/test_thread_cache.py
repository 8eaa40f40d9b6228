"""The cached comment thread: what each reader gets from it, and what makes it render afresh."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pressclub.comments.services import (
    comment_approve,
    comment_delete,
    comment_edit,
    comment_mark_spam,
    comment_reject,
    thread_forget,
)
from pressclub.members.signals import member_leaving

from .test_comments_tags import comment_ids, section_html

# One front page, section and article for the whole module; what each test writes is undone after it.
# Every test is a database test, so pytest-django runs them all before the transactional ones (the
# browser test), which empty the tables the module's pages live in.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_site")]


def actions(html: str, pk: int) -> list[str]:
    """Return the link texts of comment ``pk``'s action line ([] when it has none)."""
    item = html[html.index(f'<li id="comment-{pk}">'):]
    item = item[:re.search(r"</li>|<ol", item).start()]
    line = re.search(r'<p class="act">(.*?)</p>', item)
    return re.findall(r">(\w+)</a>", line.group(1)) if line else []


def comment_queries(captured) -> int:
    return sum('FROM "comments_comment"' in q["sql"] for q in captured.captured_queries)


def test_thread_is_cached_until_forgotten(client, article, make_comment):
    first = make_comment(body="First words.")
    assert comment_ids(section_html(client.get(article.url))) == [first.pk]
    second = make_comment(body="Written behind the services' back.")  # no signal: the cached thread stays
    html = section_html(client.get(article.url))
    assert comment_ids(html) == [first.pk]
    assert "1 Response to" in html
    thread_forget(page_id=article.pk)
    html = section_html(client.get(article.url))
    assert comment_ids(html) == [first.pk, second.pk]
    assert "2 Responses to" in html


def test_approving_a_comment_shows_it(client, article, make_comment, moderator):
    first = make_comment(body="First words.")
    held = make_comment(body="Held words.", status="pending")
    assert comment_ids(section_html(client.get(article.url))) == [first.pk]
    comment_approve(comment=held, moderator=moderator)
    html = section_html(client.get(article.url))
    assert comment_ids(html) == [first.pk, held.pk]
    assert "Held words." in html
    assert "2 Responses to" in html


@pytest.mark.parametrize("hide", [comment_reject, comment_mark_spam])
def test_rejecting_or_marking_spam_hides_it(client, article, make_comment, moderator, hide):
    kept = make_comment(body="Kept words.")
    gone = make_comment(body="Unwanted words.")
    assert comment_ids(section_html(client.get(article.url))) == [kept.pk, gone.pk]
    hide(comment=gone, moderator=moderator)
    html = section_html(client.get(article.url))
    assert comment_ids(html) == [kept.pk]
    assert "Unwanted words." not in html
    assert "1 Response to" in html


def test_editing_shows_the_new_text_and_deleting_removes_it(client, article, make_comment, club_member):
    mine = make_comment(user=club_member, body="First try.", created_at=timezone.now())
    client.force_login(club_member)
    assert "First try." in section_html(client.get(article.url))
    comment_edit(comment=mine, user=club_member, body="Second, better try.")
    html = section_html(client.get(article.url))
    assert "Second, better try." in html
    assert "First try." not in html
    assert "<span>edited</span>" in html
    comment_delete(comment=mine, user=club_member)
    html = section_html(client.get(article.url))
    assert comment_ids(html) == []
    assert "No responses yet" in html


def test_a_leaving_members_comments_go(client, article, make_comment, club_member):
    mine = make_comment(user=club_member, body="Soon gone.")
    assert comment_ids(section_html(client.get(article.url))) == [mine.pk]
    member_leaving.send(sender=type(club_member), user=club_member, remove_comments=True)
    assert comment_ids(section_html(client.get(article.url))) == []


def test_each_reader_gets_their_own_links_from_one_cached_thread(client, article, make_comment, club_member,
                                                                 other_member):
    anas = make_comment(user=club_member, body="Ana's words.", created_at=timezone.now())
    bikashs = make_comment(user=other_member, body="Bikash's words.", created_at=timezone.now())
    old = make_comment(user=club_member, body="Ana, long ago.")  # past the edit window
    client.force_login(club_member)
    with CaptureQueriesContext(connection) as cold:
        html = section_html(client.get(article.url))
    assert actions(html, anas.pk) == ["Reply", "Edit", "Delete"]
    assert actions(html, bikashs.pk) == ["Reply", "Flag"]
    assert actions(html, old.pk) == ["Reply", "Delete"]
    client.force_login(other_member)
    with CaptureQueriesContext(connection) as warm:
        html = section_html(client.get(article.url))
    assert actions(html, anas.pk) == ["Reply", "Flag"]
    assert actions(html, bikashs.pk) == ["Reply", "Edit", "Delete"]
    assert actions(html, old.pk) == ["Reply", "Flag"]
    # Cold: the rows (approved and own pending) at once; warm: only "any of mine awaiting moderation?".
    assert (comment_queries(cold), comment_queries(warm)) == (1, 1)
    client.logout()
    html = section_html(client.get(article.url))
    assert [actions(html, pk) for pk in (anas.pk, bikashs.pk, old.pk)] == [[], [], []]
    assert comment_ids(html) == [old.pk, anas.pk, bikashs.pk]
    with CaptureQueriesContext(connection) as anonymous:  # the anonymous variant is cached now
        assert section_html(client.get(article.url)) == html
    assert comment_queries(anonymous) == 0


def test_own_pending_reply_shows_nested_for_its_author_only(client, article, make_comment, club_member,
                                                            other_member):
    parent = make_comment(author_name="Asha")
    client.force_login(other_member)
    assert comment_ids(section_html(client.get(article.url))) == [parent.pk]  # cached now
    reply = make_comment(user=club_member, parent=parent, body="My held reply.", status="pending")
    client.force_login(club_member)
    html = section_html(client.get(article.url))
    assert f'<li id="comment-{parent.pk}">' in html
    assert f'<ol class="thread"><li id="comment-{reply.pk}">' in html
    assert "Your comment is awaiting moderation." in html
    assert actions(html, parent.pk) == ["Reply", "Flag"]
    assert "1 Response to" in html
    client.force_login(other_member)
    assert "My held reply." not in section_html(client.get(article.url))


def test_reply_target_from_the_cached_thread(client, article, make_comment, club_member):
    parent = make_comment(author_name="Asha")
    gone = make_comment(author_name="Gone", status="rejected")
    client.force_login(club_member)
    client.get(article.url)
    html = section_html(client.get(article.url, {"replyto": parent.pk}))
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in html
    assert f'Replying to <a href="#comment-{parent.pk}"><bdi>Asha</bdi></a>' in html
    html = section_html(client.get(article.url, {"replyto": gone.pk}))
    assert '<input type="hidden" name="parent" value="">' in html
    assert "Replying to" not in html


def test_comment_markup_is_small_and_labelled(client, article, make_comment):
    c = make_comment(author_name="Asha", body="Short.", created_at=dt.datetime(2026, 3, 15, 8, 10, tzinfo=dt.UTC))
    html = section_html(client.get(article.url))
    assert "<style" not in html
    assert (f'<ol class="thread"><li id="comment-{c.pk}"><h3>Asha</h3> <a href="#comment-{c.pk}">'
            '<time datetime="2026-03-15T08:10Z">15 March 2026, 08:10 UTC</time></a><p>Short.</p>\n</li></ol>') in html


def test_a_changed_policy_shows_at_once(client, article, policy, make_comment, club_member):
    make_comment(body="Old words.")
    client.force_login(club_member)
    assert "<form" in section_html(client.get(article.url))
    policy(state="closed")
    html = section_html(client.get(article.url))
    assert "Comments are closed on this story." in html
    assert "<form" not in html
    policy(state="hidden")
    assert 'id="comments"' not in client.get(article.url).content.decode()

"""The comment section under articles: counts, order, threading, placeholders, inert text, query counts."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pressclub.comments.models import Comment
from pressclub.comments.templatetags.comments_tags import response_count_label
from pressclub.comments.text import render_body
from pressclub.comments.thread import build_thread

# One front page, section and article for the whole module; what each test writes is undone after it.
# Every test is a database test, so pytest-django runs them all before the transactional ones (the
# browser test), which empty the tables the module's pages live in.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_site")]

XSS_NAME = "<img src=x onerror=alert(1)>"


def section_html(response) -> str:
    html = response.content.decode()
    return html[html.index('<section id="comments"'):html.index("</main>")]


def comment_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<li id="comment-(\d+)"', html)]


@pytest.mark.parametrize("count,label", [(0, "No responses yet"), (1, "1 Response"), (2, "2 Responses"),
                                         (500, "500 Responses")])
def test_response_count_label(count, label):
    assert response_count_label(count) == label


def test_only_approved_comments_are_counted_and_listed(client, article, make_comment, other_member):
    approved = make_comment(body="Approved words.")
    make_comment(body="Pending words.", status="pending")
    make_comment(body="Rejected words.", status="rejected")
    make_comment(body="Spam words.", status="spam")
    make_comment(body="Pending reply.", status="pending", parent=approved)
    html = section_html(client.get(article.url))
    assert "<h2 id=\"comments-title\">1 Response to “Council approves new footbridge over the Seti”</h2>" in html
    assert comment_ids(html) == [approved.pk]
    for hidden in ("Pending words.", "Rejected words.", "Spam words.", "Pending reply."):
        assert hidden not in html


def test_two_responses_oldest_first(client, article, make_comment):
    newer = make_comment(body="Second.", minutes=20)
    older = make_comment(body="First.", minutes=10)
    html = section_html(client.get(article.url))
    assert "2 Responses to “Council approves new footbridge over the Seti”" in html
    assert comment_ids(html) == [older.pk, newer.pk]
    assert f'<a href="#comment-{older.pk}"><time datetime="2026-03-15T08:10Z">15 March 2026, 08:10 UTC</time>' in html


def test_authors_own_pending_comment_is_shown_marked(client, article, make_comment, club_member):
    make_comment(body="Someone else's pending.", status="pending")
    mine = make_comment(user=club_member, body="My pending words.", status="pending")
    client.force_login(club_member)
    html = section_html(client.get(article.url))
    assert comment_ids(html) == [mine.pk]
    assert "Your comment is awaiting moderation." in html
    assert "No responses yet" in html
    assert "Someone else's pending." not in html


def test_threading_nests_three_levels_then_flattens(article, make_comment):
    a = make_comment(author_name="Asha")
    b = make_comment(parent=a, author_name="Bikash")
    c = make_comment(parent=b, author_name="Chandra")
    d = make_comment(parent=c, author_name="Dipa")
    e = make_comment(parent=d, author_name="Esha")
    f = make_comment(author_name="Farida")
    nodes, count = build_thread(list(Comment.objects.order_by("created_at", "pk")))
    assert count == 6
    assert [(n.comment.pk, n.depth) for n in nodes] == [(a.pk, 0), (b.pk, 1), (c.pk, 2), (d.pk, 2), (e.pk, 2),
                                                        (f.pk, 0)]
    assert [n.in_reply_to.display_name if n.in_reply_to else None for n in nodes] == [
        None, None, None, "Chandra", "Dipa", None
    ]


def test_thread_html_is_well_nested(client, article, make_comment):
    a = make_comment(author_name="Asha")
    b = make_comment(parent=a, author_name="Bikash")
    c = make_comment(parent=b, author_name="Chandra")
    d = make_comment(parent=c, author_name="Dipa")
    make_comment(author_name="Farida")
    html = section_html(client.get(article.url))
    assert html.count("<ol") == html.count("</ol>") == 3
    assert html.count("<li ") == html.count("</li>") == 5
    assert f'<span>in reply to <a href="#comment-{c.pk}"><bdi>Chandra</bdi></a></span>' in html
    assert html.index(f'id="comment-{d.pk}"') > html.index(f'id="comment-{c.pk}"')


def test_deleted_comment_with_replies_shows_placeholder(client, article, make_comment):
    gone = make_comment(body="", is_deleted=True)
    reply = make_comment(parent=gone, body="Still here.")
    make_comment(body="", is_deleted=True)  # no replies: not shown at all
    html = section_html(client.get(article.url))
    assert comment_ids(html) == [gone.pk, reply.pk]
    assert html.count("This comment was deleted by its author.") == 1
    assert "1 Response to" in html


def test_edited_marker(client, article, make_comment):
    make_comment(edited_at=timezone.now())
    assert "<span>edited</span>" in section_html(client.get(article.url))


def test_names_websites_and_bodies_render_inert(client, article, make_comment):
    body = "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>"
    make_comment(author_name=XSS_NAME, author_url="javascript:alert(4)", body=body)
    make_comment(author_name="Site", author_url='https://ok.example/"><script>alert(5)</script>', body="Fine.")
    html = section_html(client.get(article.url))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert ('<a href="https://ok.example/&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;" '
            'rel="nofollow ugc noopener">Site</a>') in html


def test_long_unbroken_word_is_kept(article, make_comment):
    comment = make_comment(body="a" * 5000)
    assert comment.body_html == f"<p>{'a' * 5000}</p>\n"


def test_reason_shown_instead_of_form_for_anonymous(client, article):
    html = section_html(client.get(article.url))
    assert "<h2 id=\"respond-title\">Post a Comment</h2>" in html
    assert ("Only members of this site may post a comment. Register with your e-mail address, then ask to join.") in html
    assert "<form" not in html
    assert '<a href="/accounts/signup/?next=' in html


def test_member_sees_form_and_reply_link_targets_parent(client, article, make_comment, club_member):
    parent = make_comment(author_name="Asha")
    client.force_login(club_member)
    html = section_html(client.get(article.url))
    assert f'action="/comments/post/{article.pk}/"' in html
    assert f'<a href="?replyto={parent.pk}#respond"' in html
    assert '<input type="hidden" name="parent" value="">' in html
    html = section_html(client.get(article.url, {"replyto": parent.pk}))
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in html
    assert f'Replying to <a href="#comment-{parent.pk}"><bdi>Asha</bdi></a>' in html


def test_hidden_comments_render_nothing(client, article, policy, make_comment):
    policy(state="hidden")
    make_comment(body="Not to be seen.")
    html = client.get(article.url).content.decode()
    assert 'id="comments"' not in html
    assert "Not to be seen." not in html


def test_closed_comments_stay_visible(client, article, policy, make_comment, club_member):
    policy(state="closed")
    make_comment(body="Old words.")
    client.force_login(club_member)
    html = section_html(client.get(article.url))
    assert "Old words." in html
    assert "Comments are closed on this story." in html
    assert "<form" not in html


def _bulk_comments(article, users, n):
    start = dt.datetime(2026, 3, 15, 8, 0, tzinfo=dt.UTC)
    rows = []
    for i in range(n):
        body = f"Comment {i} on the bridge, with *emphasis*."
        rows.append(Comment(page=article, user=users[i % len(users)], body=body, body_html=render_body(body),
                            status="approved", created_at=start + dt.timedelta(minutes=i)))
    Comment.objects.bulk_create(rows)
    # Every fourth comment replies to the one before it.
    ids = list(Comment.objects.order_by("pk").values_list("pk", flat=True))
    for j in range(3, len(ids), 4):
        Comment.objects.filter(pk=ids[j]).update(parent_id=ids[j - 1])


def test_article_page_queries_do_not_grow_with_comments(client, article, club_member, other_member,
                                                        django_assert_max_num_queries):
    client.force_login(club_member)
    _bulk_comments(article, [club_member, other_member], 5)
    client.get(article.url)  # warm Wagtail's site-root cache
    cache.clear()  # the rows were written without the services' signals: render the thread afresh
    with CaptureQueriesContext(connection) as five:
        response = client.get(article.url)
    assert "5 Responses" in response.content.decode()
    Comment.objects.all().delete()
    _bulk_comments(article, [club_member, other_member], 500)
    cache.clear()
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(article.url)
    assert "500 Responses" in response.content.decode()
    assert response.content.decode().count('<li id="comment-') == 100  # the thread's first page of five
    assert "(page 1 of 5)" in response.content.decode()
    with django_assert_max_num_queries(len(five.captured_queries)):  # the cached thread: no more queries
        response = client.get(article.url)
    assert "500 Responses" in response.content.decode()
    assert response.content.decode().count('<li id="comment-') == 100


def test_most_commented_on_home_page(client, home_page, article, make_comment):
    make_comment(created_at=timezone.now())
    make_comment(created_at=timezone.now())
    make_comment(created_at=timezone.now(), status="pending")
    html = client.get("/").content.decode()
    assert '<h2 id="most-commented-title">Most commented</h2>' in html
    assert f'<a href="{article.url}">Council approves new footbridge over the Seti</a> ' \
           '<span class="small">(2 comments)</span>' in html


def test_unsaved_page_preview_renders_no_section(section, rf):
    from django.template import Context, Template

    from pressclub.news.models import ArticlePage

    request = rf.get("/")
    html = Template("{% load comments_tags %}[{% comment_section page %}]").render(
        Context({"page": ArticlePage(title="Draft"), "request": request})
    )
    assert html == "[\n]"


def test_most_commented_counts_the_comments_of_the_window(settings, home_page, section, make_comment):
    from pressclub.comments.templatetags.comments_tags import most_commented_articles, most_commented_totals
    from pressclub.news.models import ArticlePage
    from pressclub.testing.factories import publish_article, utc

    settings.PRESSCLUB_MOST_COMMENTED_DAYS = 30
    now = timezone.now()
    old, recent = now - dt.timedelta(days=40), now - dt.timedelta(hours=1)
    a, b, c = (publish_article(section, title=f"Story {name}", when=utc(2026, 3, 1 + n)) for n, name in enumerate("ABC"))
    for _ in range(5):
        make_comment(page=a, created_at=old)
    make_comment(page=a, created_at=recent)
    for _ in range(2):
        make_comment(page=b, created_at=recent)
    for _ in range(3):
        make_comment(page=c, created_at=old)
    make_comment(page=c, created_at=recent, status="pending")
    stories = ArticlePage.objects.descendant_of(home_page).published()

    assert most_commented_totals(stories) == [(b.pk, 2), (a.pk, 1)]
    assert [(page.pk, page.comment_total) for page in most_commented_articles(stories)] == [(b.pk, 2), (a.pk, 1)]
    assert most_commented_totals(stories, days=0) == [(a.pk, 6), (c.pk, 3), (b.pk, 2)]
    assert [(page.pk, page.comment_total) for page in most_commented_articles(stories, days=0)] == [
        (a.pk, 6), (c.pk, 3), (b.pk, 2)
    ]

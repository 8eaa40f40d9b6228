"""A viral thread (over 300 comments) is split into pages of about 100 comments, only between
top-level threads."""

import datetime as dt
import re

import pytest

from pressclub.comments.models import Comment, CommentStatus
from pressclub.comments.thread import comment_pages, pages_of_rows, split_pages
from pressclub.testing.factories import utc


def test_split_pages_keeps_each_top_level_thread_whole():
    assert split_pages([60, 30, 20, 150, 5, 100]) == [1, 1, 2, 3, 4, 5]
    assert split_pages([100, 1, 250]) == [1, 2, 3]
    assert split_pages([99, 1, 1, 250]) == [1, 1, 2, 3]
    assert split_pages([100, 100, 100]) == [1, 1, 1]  # up to 300 comments the thread stays whole
    assert split_pages([]) == []
    assert pages_of_rows([(1, None, False), (2, 1, True), (3, 2, False), (4, None, True)], per_page=2) == {
        1: 1, 2: 1, 3: 1,  # a deleted comment with a shown reply stays, as a placeholder
    }


@pytest.fixture
def long_thread(article):
    """250 top-level comments; every tenth has 4 replies: 350 comments, 98 on each of the first three pages."""
    start = utc(2026, 3, 15, 8, 0)
    roots = Comment.objects.bulk_create(
        Comment(page=article, author_name=f"Reader {i}", body=f"Root {i}.", body_html=f"<p>Root {i}.</p>",
                status=CommentStatus.APPROVED, created_at=start + dt.timedelta(minutes=i))
        for i in range(250)
    )
    replies = Comment.objects.bulk_create(
        Comment(page=article, parent=root, author_name=f"Replier {i}.{k}", body="Reply.", body_html="<p>Reply.</p>",
                status=CommentStatus.APPROVED, created_at=start + dt.timedelta(days=1, minutes=i * 5 + k))
        for i, root in enumerate(roots) for k in range(4 if i % 10 == 0 else 0)
    )
    return roots, replies


def _shown_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]


def test_pages_break_between_whole_threads(client, article, long_thread):
    roots, replies = long_thread
    assert len(replies) == 100
    pages = comment_pages([article.pk])[article.pk]
    assert len(pages) == 350
    firsts = {number: min(i for i, root in enumerate(roots) if pages[root.pk] == number) for number in (1, 2, 3, 4)}
    assert firsts == {1: 0, 2: 70, 3: 140, 4: 210}
    assert {pages[r.pk] for r in replies if r.parent_id == roots[140].pk} == {3}
    assert [sum(1 for n in pages.values() if n == number) for number in (1, 2, 3, 4)] == [98, 98, 98, 56]

    first = client.get(article.url).content.decode()
    assert "350 Responses to" in first
    assert 'id="respond"' in first
    ids = _shown_ids(first)
    assert len(ids) == 98 and ids[0] == roots[0].pk and ids[-1] != roots[70].pk and roots[70].pk not in ids
    assert f'href="{article.url}?comments=2#comments" rel="next"' in first
    assert 'rel="prev"' not in first

    second = client.get(f"{article.url}?comments=2").content.decode()
    assert "Responses to" not in second
    assert 'id="respond"' not in second
    assert "page 2 of 4" in second
    ids = _shown_ids(second)
    assert len(ids) == 98 and ids[0] == roots[70].pk and roots[140].pk not in ids
    assert f'href="{article.url}#comments" rel="prev"' in second
    assert f'href="{article.url}?comments=3#comments" rel="next"' in second
    assert second.count('<ol class="thread">') == second.count("</ol>")

    last = client.get(f"{article.url}?comments=99").content.decode()
    assert len(_shown_ids(last)) == 56 and _shown_ids(last)[0] == roots[210].pk and 'rel="next"' not in last
    assert _shown_ids(client.get(f"{article.url}?comments=x").content.decode())[0] == roots[0].pk


def test_comment_links_land_on_the_right_page(client, article, long_thread):
    roots, replies = long_thread
    reply = next(r for r in replies if r.parent_id == roots[140].pk)
    reply = Comment.objects.select_related("page").get(pk=reply.pk)
    assert reply.get_absolute_url() == f"{article.url}?comments=3#comment-{reply.pk}"
    assert Comment.objects.get(pk=roots[69].pk).get_absolute_url() == f"{article.url}#comment-{roots[69].pk}"
    feed = client.get(f"/comments/feed/{article.pk}/").content.decode()
    newest = max(replies, key=lambda r: r.created_at)  # a reply to root 240: page 4
    assert f"{article.url}?comments=4#comment-{newest.pk}" in feed

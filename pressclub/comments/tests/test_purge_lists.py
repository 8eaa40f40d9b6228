"""What a comment's approval, edit or removal purges: exact URL lists, and other pages staying cached."""

import datetime as dt

import pytest
from django.utils import timezone

from pressclub.comments import services
from pressclub.comments.models import Comment, CommentStatus
from pressclub.core.models import StandardPage
from pressclub.core.purge_lists import purge_list
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db

SITE = "http://localhost"
STORY = f"{SITE}/local/council-approves-new-footbridge-over-the-seti/"


def comment_urls(page_id: int) -> list[str]:
    """The URLs an approved comment on the footbridge story shows on, sorted."""
    return sorted([
        f"{SITE}/",  # "Most commented"
        f"{SITE}/comments/feed/",
        f"{SITE}/comments/feed/atom/",
        f"{SITE}/comments/feed/{page_id}/",
        f"{SITE}/comments/feed/{page_id}/atom/",
        STORY,
    ])


@pytest.mark.parametrize("event", ["comment_approved", "comment_edited"])
def test_a_comment_approved_or_edited_purges_its_story_its_feeds_and_the_front_page(article, make_comment, event):
    comment = make_comment(body="The bridge is long overdue.")

    purged = purge_list(event, comment=comment)

    assert (purged.everything, purged.sorted_urls) == (False, comment_urls(article.pk))
    assert purged.scopes == frozenset()


def test_a_comment_removed_also_purges_the_thread_page_after_the_last(article, make_comment):
    comment = make_comment(body="The bridge is long overdue.", status="rejected")

    assert purge_list("comment_removed", comment=comment).sorted_urls == sorted(
        [*comment_urls(article.pk), f"{STORY}?comments=2"]
    )


def test_a_comment_on_a_long_thread_purges_each_of_its_pages(article):
    start = utc(2026, 3, 15, 8, 0)
    Comment.objects.bulk_create(
        Comment(page=article, author_name=f"Reader {i}", body=f"Root {i}.", body_html=f"<p>Root {i}.</p>",
                status=CommentStatus.APPROVED, created_at=start + dt.timedelta(minutes=i))
        for i in range(350)
    )
    comment = Comment.objects.filter(page=article).last()

    assert purge_list("comment_approved", comment=comment).sorted_urls == sorted(
        [*comment_urls(article.pk), f"{STORY}?comments=2", f"{STORY}?comments=3", f"{STORY}?comments=4"]
    )


def _commented_stories(section, totals):
    """Publish one story per entry of ``totals`` with that many approved comments from today."""
    for n, total in enumerate(totals):
        story = publish_article(section, title=f"Busy story {n}", when=utc(2026, 3, 1 + n, 8, 0))
        Comment.objects.bulk_create(
            Comment(page=story, author_name=f"Reader {i}", body="Yes.", body_html="<p>Yes.</p>",
                    status=CommentStatus.APPROVED, created_at=timezone.now())
            for i in range(total)
        )


@pytest.mark.parametrize(("own", "front_purged"), [(1, False), (2, True), (4, True)])
def test_the_front_page_goes_only_when_most_commented_may_change(article, section, make_comment, own, front_purged):
    # Five stories with 3 comments fill the list. One comment more or less on a story with 1 cannot
    # bring it in; at 2 it may tie the last entry, at 4 it is on the list (its count shows).
    _commented_stories(section, [3, 3, 3, 3, 3])
    comments = [make_comment(body=f"Comment {i}.", created_at=timezone.now()) for i in range(own)]

    purged = purge_list("comment_approved", comment=comments[-1])

    expected = comment_urls(article.pk)
    assert purged.sorted_urls == (expected if front_purged else [url for url in expected if url != f"{SITE}/"])


def test_a_story_hidden_by_a_view_restriction_leaves_most_commented_for_the_purge_too(article, section, make_comment):
    # The five busy stories fill the list; once one of them is restricted, the list has a place
    # free and one comment more shows the story there.
    from wagtail.models import PageViewRestriction

    from pressclub.news.models import ArticlePage

    _commented_stories(section, [3, 3, 3, 3, 3])
    comment = make_comment(body="First.", created_at=timezone.now())
    assert f"{SITE}/" not in purge_list("comment_approved", comment=comment).sorted_urls

    PageViewRestriction.objects.create(page=ArticlePage.objects.get(title="Busy story 0"), restriction_type="login")

    assert f"{SITE}/" in purge_list("comment_approved", comment=comment).sorted_urls


@pytest.mark.parametrize(("days", "front_purged"), [(30, False), (0, True)])
def test_old_comments_count_for_the_front_page_when_every_comment_counts(settings, article, section, make_comment,
                                                                         days, front_purged):
    # The story's two comments of last year count only when "Most commented" counts every comment:
    # then a third may tie the last entry (3).
    settings.PRESSCLUB_MOST_COMMENTED_DAYS = days
    _commented_stories(section, [3, 3, 3, 3, 3])
    make_comment(body="Old one.", created_at=timezone.now() - dt.timedelta(days=400))
    make_comment(body="Old two.", created_at=timezone.now() - dt.timedelta(days=400))
    comment = make_comment(body="New.", created_at=timezone.now())

    assert (f"{SITE}/" in purge_list("comment_approved", comment=comment).sorted_urls) is front_purged


def test_a_comment_on_a_standard_page_leaves_the_front_page(home_page, make_comment):
    about = home_page.add_child(instance=StandardPage(title="About the club", slug="about"))
    comment = make_comment(page=about, body="When do you meet?")

    assert purge_list("comment_approved", comment=comment).sorted_urls == sorted([
        f"{SITE}/about/",
        f"{SITE}/comments/feed/",
        f"{SITE}/comments/feed/atom/",
        f"{SITE}/comments/feed/{about.pk}/",
        f"{SITE}/comments/feed/{about.pk}/atom/",
    ])


def test_a_story_with_comments_also_purges_its_comment_feeds(article, make_comment):
    from django.core.cache import cache

    make_comment(body="The bridge is long overdue.")
    cache.clear()

    urls = purge_list("story_edited", page=article).sorted_urls

    assert [url for url in urls if "/comments/" in url] == sorted([
        f"{SITE}/comments/feed/",
        f"{SITE}/comments/feed/atom/",
        f"{SITE}/comments/feed/{article.pk}/",
        f"{SITE}/comments/feed/{article.pk}/atom/",
    ])


def test_approving_a_comment_purges_its_pages_and_no_other(
    client, page_cache, section, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    other = publish_article(section, title="Ward office opens", when=utc(2026, 2, 2))
    held = make_comment(body="Who pays for the upkeep?", status="pending")
    kept = ["/local/", other.url, "/feeds/rss/", "/label/infrastructure/", "/2026/03/"]
    purged = ["/", article.url, "/comments/feed/", f"/comments/feed/{article.pk}/"]
    for path in kept + purged:
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=held, moderator=moderator)

    assert {path: client.get(path)["X-Page-Cache"] for path in kept + purged} == {
        **dict.fromkeys(kept, "hit"),
        **dict.fromkeys(purged, "miss"),
    }
    assert "Who pays for the upkeep?" in client.get(article.url).content.decode()


def test_a_purge_reaches_every_query_string_of_the_page(
    client, page_cache, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    held = make_comment(body="Who pays for the upkeep?", status="pending")
    paths = [article.url, f"{article.url}?utm_source=newsletter", f"{article.url}?comments=1"]
    for path in paths:
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=held, moderator=moderator)

    assert [client.get(path)["X-Page-Cache"] for path in paths] == ["miss", "miss", "miss"]

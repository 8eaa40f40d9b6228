"""Blogger's old addresses after an import: posts, pages, labels, feeds, "Older posts", the comment feed.

Every one answers with a permanent redirect (301) to what the site has now, or 404.
"""

from pathlib import Path
from urllib.parse import quote

import pytest

from pressclub.comments.models import Comment
from pressclub.importers.models import ImportedItem
from pressclub.importers.services import blogger_import
from pressclub.testing.factories import publish_article, utc

LEGACY = Path(__file__).parent / "fixtures" / "legacy.xml"
P = "tag:blogger.com,1999:blog-100."

pytestmark = pytest.mark.django_db


def redirect(response):
    return response.status_code, response.get("Location")


@pytest.fixture
def stories(section, article):
    """The fixture article (2026-03-14, "Infrastructure") plus stories in 2012 labelled "Press Freedom"."""
    may = publish_article(section, title="Editors meet", when=utc(2012, 5, 20), labels=["Press Freedom"])
    may2 = publish_article(section, title="Reporter freed", when=utc(2012, 5, 3), labels=["Press Freedom"])
    nov = publish_article(section, title="Court rules", when=utc(2012, 11, 2), labels=["प्रेस"])
    draft = publish_article(section, title="Withdrawn", when=utc(2012, 7, 1))
    draft.unpublish()
    return {"may": may, "may2": may2, "nov": nov}


@pytest.fixture
def labelled(section, article):
    """Stories labelled "Infrastructure" and "सडक" (one of them unpublished)."""
    older = publish_article(section, title="Old bridge closes", when=utc(2026, 2, 10), labels=["Infrastructure"])
    ne = publish_article(section, title="सडक निर्माण", when=utc(2026, 3, 20), labels=["सडक", "Infrastructure"])
    hidden = publish_article(section, title="Withdrawn story", when=utc(2026, 3, 21), labels=["Infrastructure"])
    hidden.unpublish()
    return {"older": older, "ne": ne}


@pytest.fixture
def imported(home_page):
    blogger_import(source=LEGACY)
    return {item.source_id: item.target.specific for item in ImportedItem.objects.filter(kind__in=["post", "page"])}


@pytest.mark.parametrize("query", ["", "?m=1", "?m=0", "?showComment=1"])
def test_old_post_urls_redirect_permanently(client, imported, query):
    response = client.get("/2013/02/agm-notes.html" + query)

    assert response.status_code == 301
    assert response["Location"] == "/archive/agm-notes/"


def test_show_comment_points_at_the_comment(client, imported):
    comment = Comment.objects.get(source_id=P + "post-3001")

    response = client.get("/2013/02/agm-notes.html?showComment=1396153800250")

    assert response.status_code == 301
    assert response["Location"] == f"/archive/agm-notes/#comment-{comment.pk}"


def test_old_page_urls_redirect(client, imported):
    response = client.get("/p/about-the-club.html?m=1")

    assert response.status_code == 301
    assert response["Location"] == "/about-the-club/"
    assert client.get("/2013/03/agm-notes.html")["Location"] == "/archive/agm-notes-2/"


def test_redirect_target_is_the_live_article(client, imported):
    article = imported[P + "post-1001"]

    response = client.get("/2013/02/agm-notes.html")

    assert response["Location"] == article.get_url()
    assert article.live and article.url_path.endswith("/archive/agm-notes/")


def test_unknown_old_urls_are_not_found(client, imported):
    assert client.get("/2013/02/never-written.html").status_code == 404
    assert client.get("/p/nothing.html?m=1").status_code == 404


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/feeds/posts/default/-/Press%20Freedom", "/feeds/label/press-freedom/atom/"),
        ("/feeds/posts/default/-/Press%20Freedom?alt=rss", "/feeds/label/press-freedom/rss/"),
        ("/feeds/posts/default/-/press_freedom/", "/feeds/label/press-freedom/atom/"),
        ("/feeds/posts/summary/-/PRESS-FREEDOM?alt=RSS", "/feeds/label/press-freedom/rss/"),
        (f"/feeds/posts/default/-/{quote('प्रेस')}", f"/feeds/label/{quote('प्रेस')}/atom/"),
        ("/feeds/posts/summary", "/feeds/atom/"),
        ("/feeds/posts/summary?alt=rss", "/feeds/rss/"),
        ("/feeds/posts/default", "/feeds/atom/"),
    ],
)
def test_blogger_feed_paths_redirect_permanently(client, stories, path, location):
    assert redirect(client.get(path)) == (301, location)


def test_blogger_feed_of_unknown_label_is_404(client, stories):
    assert client.get("/feeds/posts/default/-/Nothing%20Here").status_code == 404
    assert client.get("/feeds/posts/summary/-/Nothing?alt=rss").status_code == 404


@pytest.mark.parametrize(
    ("query", "location"),
    [
        # Newest story before 2012-06-01 is "Editors meet" of 20 May.
        ("updated-max=2012-06-01T10:00:00%2B05:45&max-results=7", "/2012/05/"),
        # An unescaped "+" arrives as a space and is read as the offset sign.
        ("updated-max=2012-11-02T17:45:00+05:45&max-results=7", "/2012/05/"),
        ("updated-max=2012-11-02T12:01:00Z&max-results=7", "/2012/11/"),
        ("updated-max=2026-12-01T00:00:00.000-08:00", "/2026/03/"),
        # Nothing older, a garbled date: the home page.
        ("updated-max=2001-01-01T00:00:00Z&max-results=7", "/"),
        ("updated-max=yesterday", "/"),
        ("updated-max=2012-13-45T00:00:00Z", "/"),
    ],
)
def test_blogger_older_posts_redirect_to_the_month_of_the_next_story(client, stories, query, location):
    assert redirect(client.get(f"/search?{query}")) == (301, location)
    assert redirect(client.get(f"/search/?{query}")) == (301, location)


def test_search_without_slash_keeps_its_query(client, stories):
    assert redirect(client.get("/search?q=court")) == (301, "/search/?q=court")
    assert redirect(client.get("/search")) == (301, "/search/")


def test_search_with_a_query_and_updated_max_still_searches(client, stories):
    assert client.get("/search/?q=court&updated-max=2012-01-01T00:00:00Z").status_code == 200


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/feeds/posts/default", "/feeds/atom/"),
        ("/feeds/posts/default/", "/feeds/atom/"),
        ("/feeds/posts/default?alt=rss", "/feeds/rss/"),
        ("/feeds/posts/default?alt=atom", "/feeds/atom/"),
    ],
)
def test_blogger_feed_path_redirects_permanently(client, home_page, url, location):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == location


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/search/label/Infrastructure", "/label/infrastructure/"),
        ("/search/label/INFRASTRUCTURE", "/label/infrastructure/"),
        ("/search/label/infrastructure/", "/label/infrastructure/"),
        (f"/search/label/{quote('सडक')}", f"/label/{quote('सडक')}/"),
    ],
)
def test_blogger_label_path_redirects_permanently(client, labelled, path, location):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == location


def test_blogger_label_path_with_space_in_name(client, section):
    publish_article(section, title="Rain", when=utc(2026, 3, 1), labels=["Local News"])
    response = client.get("/search/label/Local%20News")
    assert (response.status_code, response["Location"]) == (301, "/label/local-news/")


def test_blogger_path_for_unknown_label_is_404(client, labelled):
    assert client.get("/search/label/Nothing").status_code == 404


def test_blogger_comment_feed_redirects_permanently(client, home_page):
    response = client.get("/feeds/comments/default")
    assert (response.status_code, response["Location"]) == (301, "/comments/feed/atom/")

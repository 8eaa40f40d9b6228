"""Old Blogger addresses: label feeds, summary feeds, "Older posts", year archives, label spellings."""

from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def stories(module_site, module_db):
    """The fixture article (2026-03-14, "Infrastructure") plus stories in 2012 labelled "Press Freedom",
    built once for the module (the tests only read them)."""
    section = module_site.section
    with module_db():
        publish_article(section, title="Editors meet", when=utc(2012, 5, 20), labels=["Press Freedom"])
        publish_article(section, title="Reporter freed", when=utc(2012, 5, 3), labels=["Press Freedom"])
        publish_article(section, title="Court rules", when=utc(2012, 11, 2), labels=["प्रेस"])
        draft = publish_article(section, title="Withdrawn", when=utc(2012, 7, 1))
        draft.unpublish()


def redirect(response):
    return response.status_code, response.get("Location")


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


def test_year_archive_lists_months_with_stories(client, stories):
    response = client.get("/2012/")
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//h1/text()") == ["Stories from 2012"]
    assert [li.text_content() for li in doc.xpath("//ul[@class='months']/li")] == [
        "May 2012 (2 stories)",
        "November 2012 (1 story)",
    ]
    assert doc.xpath("//ul[@class='months']//a/@href") == ["/2012/05/", "/2012/11/"]


@pytest.mark.parametrize("path", ["/2013/", "/2011/", "/0000/"])
def test_year_without_stories_is_404(client, stories, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/label/Press-Freedom/", "/label/PRESS_FREEDOM/", "/label/Press%20Freedom/", "/label/pressfreedom/"],
)
def test_label_spellings_redirect_to_the_canonical_slug(client, stories, path):
    assert redirect(client.get(path)) == (301, "/label/press-freedom/")


def test_canonical_label_page_is_served_and_unknown_is_404(client, stories):
    assert client.get("/label/press-freedom/").status_code == 200
    assert client.get("/label/press-freedom-2/").status_code == 404
    assert client.get("/search/label/PRESS_FREEDOM").get("Location") == "/label/press-freedom/"

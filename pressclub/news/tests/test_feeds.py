import calendar
from urllib.parse import quote

import feedparser
import pytest
from wagtail.models import Page

from pressclub.news.models import ArticlePage
from pressclub.people.models import Author
from pressclub.testing.factories import NUL, add_section, publish_article, utc

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def feed_stories(module_site, module_db):
    """Build once for the module: section Hills with a Nepali story, and a story in Local whose dek
    holds control characters and ampersands; return their page ids."""
    with module_db():
        hills = add_section(module_site.home_page, title="Hills", slug="hills")
        ne = publish_article(hills, title="प्रेस क्लब की बैठक", when=utc(2026, 3, 16), language="ne",
                             authors=[module_site.author], labels=["सभा"], dek="बैठक सम्पन्न")
        ampersand = publish_article(module_site.section, title="Roads & bridges", when=utc(2026, 3, 15),
                                    dek=f"Cuts\x0b and {NUL}delays & more", labels=["Infrastructure"],
                                    updated_at=utc(2026, 3, 17, 6, 0))
    return {"ne": ne.pk, "amp": ampersand.pk, "hills": hills.pk}


@pytest.fixture
def stories(feed_stories, article):
    """Return this test's copies of the module's stories: ``ne``, ``amp``, ``article`` and section ``hills``."""
    pages = {name: Page.objects.get(pk=pk).specific for name, pk in feed_stories.items()}
    return {**pages, "article": article}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, feedparser.parse(response.content)


def test_site_rss_lists_published_articles_newest_first(client, stories):
    response, feed = parse(client, "/feeds/rss/")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert feed.bozo == 0
    assert feed.version == "rss20"
    assert feed.feed.title == "Valley Press Club News"
    assert [e.title for e in feed.entries] == [
        "प्रेस क्लब की बैठक", "Roads & bridges", "Council approves new footbridge over the Seti"
    ]
    slug = quote("प्रेस-क्लब-की-बैठक")
    assert feed.entries[0].link == f"http://testserver/hills/{slug}/"
    assert feed.entries[0].author == "Asha Gurung"
    assert [t.term for t in feed.entries[0].tags] == ["सभा"]
    assert feed.entries[0].published_parsed[:5] == (2026, 3, 16, 12, 0)
    assert feed.entries[2].summary == "Work is to start after the monsoon, the ward chair said."


def test_site_atom_has_updated_dates_and_authors(client, stories):
    response, feed = parse(client, "/feeds/atom/")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.bozo == 0
    assert feed.version == "atom10"
    assert len(feed.entries) == 3
    amp = feed.entries[1]
    assert amp.title == "Roads & bridges"
    assert calendar.timegm(amp.updated_parsed) == utc(2026, 3, 17, 6, 0).timestamp()
    assert calendar.timegm(amp.published_parsed) == utc(2026, 3, 15).timestamp()
    assert feed.entries[2].author == "Asha Gurung"


def test_feeds_strip_control_characters_and_escape_titles_once_and_the_dek_as_html(client, stories):
    # The title is text (an RSS title without markup is left as typed); the dek goes into an
    # element readers take for HTML, so its "&" is escaped for HTML, then for XML.
    for url in ("/feeds/rss/", "/feeds/atom/"):
        response, feed = parse(client, url)
        body = response.content.decode()
        assert "\x0b" not in body and NUL not in body
        assert body.count("Roads &amp; bridges") == 1 and "Roads &amp;amp;" not in body
        assert body.count("Cuts and delays &amp;amp; more") == 1
        assert feed.entries[1].title == "Roads & bridges"
        assert feed.entries[1].summary_detail.type == "text/html"
        assert feed.entries[1].summary == "Cuts and delays &amp; more"


def test_unicode_links_are_percent_encoded_in_feeds(client, stories):
    for url in ("/feeds/rss/", "/feeds/atom/"):
        body = client.get(url).content.decode()
        assert "प्रेस-क्लब" not in body.split("<title>")[0]
        assert f"/hills/{quote('प्रेस-क्लब-की-बैठक')}/" in body
        assert "/hills/प्रेस" not in body


def test_section_label_and_author_feeds(client, stories, author):
    _, feed = parse(client, "/feeds/section/local/rss/")
    assert feed.feed.title == "Local — Valley Press Club News"
    assert feed.feed.link == "http://testserver/local/"
    assert [e.title for e in feed.entries] == ["Roads & bridges", "Council approves new footbridge over the Seti"]
    _, feed = parse(client, "/feeds/label/infrastructure/atom/")
    assert feed.feed.title == "Label: Infrastructure — Valley Press Club News"
    assert [e.title for e in feed.entries] == ["Roads & bridges", "Council approves new footbridge over the Seti"]
    _, feed = parse(client, f"/feeds/label/{quote('सभा')}/rss/")
    assert [e.title for e in feed.entries] == ["प्रेस क्लब की बैठक"]
    _, feed = parse(client, "/feeds/author/asha-gurung/rss/")
    assert feed.feed.title == "Asha Gurung — Valley Press Club News"
    assert [e.title for e in feed.entries] == ["प्रेस क्लब की बैठक", "Council approves new footbridge over the Seti"]
    Author.objects.create(name="Nobody Yet")
    _, feed = parse(client, "/feeds/author/nobody-yet/atom/")
    assert feed.entries == []


@pytest.mark.parametrize(
    "url", ["/feeds/section/nowhere/rss/", "/feeds/label/no-such-label/atom/", "/feeds/author/no-one/rss/"]
)
def test_feeds_for_unknown_targets_are_404(client, stories, url):
    assert client.get(url).status_code == 404


def test_a_private_section_has_no_feed_and_its_stories_stay_out_of_the_site_feed(client, stories):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=stories["hills"], restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/feeds/section/hills/rss/").status_code == 404
    assert client.get("/feeds/section/local/rss/").status_code == 200
    _, feed = parse(client, "/feeds/rss/")
    assert [e.title for e in feed.entries] == ["Roads & bridges", "Council approves new footbridge over the Seti"]


def test_unpublished_articles_stay_out_of_feeds(client, stories):
    stories["amp"].unpublish()
    _, feed = parse(client, "/feeds/rss/")
    assert [e.title for e in feed.entries] == ["प्रेस क्लब की बैठक", "Council approves new footbridge over the Seti"]
    assert ArticlePage.objects.published().count() == 2


def test_feed_item_count_is_capped(client, settings, stories):
    settings.PRESSCLUB_FEED_ITEMS = 2
    _, feed = parse(client, "/feeds/rss/")
    assert len(feed.entries) == 2


def test_empty_site_feed_is_valid(client, home_page):
    _, feed = parse(client, "/feeds/atom/")
    assert feed.bozo == 0 and feed.entries == []


def test_wire_stories_credit_their_source_in_rss_and_atom(client, stories):
    wire = stories["amp"]
    wire.source_outlet = "The Associated Press"
    wire.original_url = "https://apnews.com/article/roads-bridges-5a1b"
    wire.save_revision().publish()

    response, feed = parse(client, "/feeds/rss/")
    body = response.content.decode()
    assert body.count('<source url="https://apnews.com/">The Associated Press</source>') == 1
    assert body.count('<atom:link href="https://apnews.com/article/roads-bridges-5a1b" rel="via"') == 1
    entry = feed.entries[1]
    assert (entry.source.title, entry.source.href) == ("The Associated Press", "https://apnews.com/")
    assert [(link.rel, link.href) for link in entry.links if link.rel == "via"] == [
        ("via", "https://apnews.com/article/roads-bridges-5a1b")
    ]
    assert "source" not in feed.entries[0] and "source" not in feed.entries[2]

    response, feed = parse(client, "/feeds/atom/")
    entry = feed.entries[1]
    assert entry.source.title == "The Associated Press"
    assert [(link.rel, link.href) for link in entry.source.links] == [("alternate", "https://apnews.com/")]
    assert [(link.rel, link.href) for link in entry.links] == [
        ("alternate", f"http://testserver{wire.url}"), ("via", "https://apnews.com/article/roads-bridges-5a1b")
    ]
    assert "source" not in feed.entries[0]
    _, feed = parse(client, "/feeds/section/local/atom/")
    assert feed.entries[0].source.title == "The Associated Press"


def test_source_credit_names_the_host_without_an_outlet_and_refuses_other_schemes():
    from pressclub.core.feeds import source_credit

    assert source_credit("", "https://www.reuters.com/world/x") == {
        "source_name": "www.reuters.com", "source_home": "https://www.reuters.com/",
        "via_url": "https://www.reuters.com/world/x",
    }
    assert source_credit("Reuters", "javascript:alert(1)") == {"source_name": "Reuters", "source_home": "", "via_url": ""}
    assert source_credit("", "") == {}

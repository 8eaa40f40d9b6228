"""Every article feed shows cheat-sheet XSS payloads in headlines, deks, bylines and labels as text.

Each payload is one story's headline, dek, author and label. The feed is parsed as a reader
parses it (feedparser): a field typed HTML must hold no element and show the payload as its text;
a field typed text must be the payload itself.
"""

import feedparser
import pytest

from pressclub.core.tests.xss import ALL, elements, html_text
from pressclub.people.models import Author
from pressclub.testing.factories import publish_article, utc

SITE = "Valley Press Club News"


def shown(detail):
    """Return the text a reader shows for a feedparser ``*_detail`` dict; fail if it holds markup."""
    if detail["type"] in ("text/html", "application/xhtml+xml"):
        assert elements(detail["value"]) == [], detail
        return html_text(detail["value"])
    assert detail["type"] == "text/plain", detail
    return detail["value"]


@pytest.fixture
def payload_stories(section, settings):
    settings.PRESSCLUB_FEED_ITEMS = len(ALL)
    stories = []
    for n, payload in enumerate(ALL):
        author = Author.objects.create(name=payload, slug=f"payload-{n}")
        stories.append(
            publish_article(section, title=payload, slug=f"payload-{n}", dek=payload, when=utc(2026, 1, 1 + n // 60, minute=n % 60),
                            authors=[author], labels=[payload])
        )
    return stories


def check_site_and_section_feeds(client, stories, kind):
    for url in (f"/feeds/{kind}/", f"/feeds/section/local/{kind}/"):
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, url
        assert len(feed.entries) == 62, url
        newest_first = list(reversed(ALL))
        assert [shown(e.title_detail) for e in feed.entries] == newest_first, url
        assert [shown(e.summary_detail) for e in feed.entries] == newest_first, url
        assert [e.author for e in feed.entries] == newest_first, url
        # Labels merge case-insensitively ("<IMG …>" joins "<img …>"): each keeps its first spelling.
        labels = [[label.name for label in story.labels.all()] for story in reversed(stories)]
        assert [[t.term for t in e.tags] for e in feed.entries] == labels, url


def check_label_feeds(client, kind):
    from pressclub.news.models import Label

    labels = Label.objects.order_by("pk")
    assert labels.count() == 60  # 62 payloads; two differ from others only in case
    for label in labels:
        url = f"/feeds/label/{label.slug}/{kind}/"
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, url
        assert shown(feed.feed.title_detail) == f"Label: {label.name} — {SITE}", url
        tagged = [p for p in reversed(ALL) if p.lower() == label.name.lower()]
        assert [shown(e.title_detail) for e in feed.entries] == tagged, url
        assert [shown(e.summary_detail) for e in feed.entries] == tagged, url


def check_author_feeds(client, kind):
    for n, payload in enumerate(ALL):
        url = f"/feeds/author/payload-{n}/{kind}/"
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, url
        assert shown(feed.feed.title_detail) == f"{payload} — {SITE}", url
        assert [shown(e.title_detail) for e in feed.entries] == [payload], url
        assert [shown(e.summary_detail) for e in feed.entries] == [payload], url
        assert [e.author for e in feed.entries] == [payload], url


def test_every_article_feed_shows_every_payload_as_text(client, payload_stories):
    assert len(ALL) == 62
    for kind in ("rss", "atom"):
        check_site_and_section_feeds(client, payload_stories, kind)
        check_label_feeds(client, kind)
        check_author_feeds(client, kind)

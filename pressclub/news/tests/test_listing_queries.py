"""Listing pages, feeds, search and the sitemap run the same number of queries whatever the number
of stories they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressclub.people.models import Author
from pressclub.testing.factories import publish_article, utc

LISTINGS = [
    "/",
    "/local/",
    "/label/infrastructure/",
    "/authors/asha-gurung/",
    "/2026/",
    "/2026/03/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/label/infrastructure/rss/",
    "/feeds/author/asha-gurung/atom/",
    "/search/?q=water",
    "/sitemap.xml",
    "/sitemap-pages.xml",
]


def _queries(client, path):
    client.get(path)  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", LISTINGS)
def test_listing_query_count_does_not_grow_with_stories(client, section, author, article, path):
    def add_story(n):
        other = Author.objects.create(name=f"Reporter {n}")
        publish_article(section, title=f"Water story {n}", when=utc(2026, 3, 2 + n), authors=[author, other],
                        labels=["Infrastructure", f"Extra {n}"], dek="Water for the ward.",
                        lead_image_url=f"https://example.org/{n}.jpg", lead_image_alt="A tap")

    add_story(0)
    before = _queries(client, path)
    for n in range(1, 5):
        add_story(n)
    assert _queries(client, path) == before

"""Every reader page type costs the same, small number of queries with 2 sections or 8.

The site has ``n`` sections of three stories each; every story has two bylines, two labels and a
lead image with its thumbnails and reader renditions made, and the article read has approved
comments, one of them the member's. Each page is measured two ways, on the cache the site runs
with (local memory here; ``PRESSCLUB_PAGE_CACHE_SECONDS = 300``):

- "cold": an anonymous reader after the whole cache was emptied (a purge, a restart);
- "member": a signed-in member, the cache warm from an earlier request of theirs (served from the
  shared member copy, ``core.member_pages``).

The counts are exact: the same figure for 2 and for 8 sections shows no query per section, label,
byline or story.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from pressclub.core.renditions import image_renditions_make
from pressclub.news.models import THUMBNAIL_SPECS
from pressclub.people.models import Author
from pressclub.testing.factories import add_section, create_comment, create_user, publish_article, utc

PAGES = {
    "front": "/",
    "section": "/s1/",
    "label": "/label/water/",
    "author": "/authors/asha-gurung/",
    "archive year": "/2026/",
    "archive month": "/2026/03/",
    "article": "/s1/water-story-1-0/",
    "search": "/search/?q=water",
    "feed rss": "/feeds/rss/",
    "feed atom": "/feeds/atom/",
    "section feed": "/feeds/section/s1/rss/",
    "label feed": "/feeds/label/water/atom/",
    "author feed": "/feeds/author/asha-gurung/rss/",
    "comments feed": "/comments/feed/",
}

# (anonymous cold, member) per page type. Cold pages read the masthead bundle, the view-restriction
# list and Wagtail's site root paths once. A member is served from the shared member copy
# (core.member_pages): the session, the user and their standing (the kind of reader they are), and on
# the article one query more for their comments awaiting moderation. Search is not kept: it renders
# for them.
EXPECTED = {
    "front": (13, 3),
    "section": (10, 3),
    "label": (9, 3),
    "author": (9, 3),
    "archive year": (7, 3),
    "archive month": (8, 3),
    "article": (18, 4),
    # On PostgreSQL the search budget (search.budget) sets statement_timeout: one query more.
    "search": (13, 10) if connection.vendor == "postgresql" else (12, 9),
    "feed rss": (10, 3),
    "feed atom": (10, 3),
    "section feed": (12, 3),
    "label feed": (11, 3),
    "author feed": (11, 3),
    "comments feed": (6, 3),  # one batched query finds each comment's page of its thread
}


def build_site(home_page, sections: int):
    """Add ``sections`` sections of three stories each (bylines, labels, lead images); return the member."""
    asha = Author.objects.create(name="Asha Gurung", role="Staff reporter")
    image = Image.objects.create(title="Tap", file=get_test_image_file(size=(1600, 900)))
    image_renditions_make(image)
    image.get_renditions(*THUMBNAIL_SPECS)
    member = create_user("ana.ruiz@example.org", "Ana Ruiz", membership="active")
    for s in range(1, sections + 1):
        section = add_section(home_page, title=f"Section {s}", slug=f"s{s}")
        for n in range(3):
            other = Author.objects.create(name=f"Reporter {s}-{n}")
            page = publish_article(
                section, title=f"Water story {s}-{n}", when=utc(2026, 3, 1 + s, 8 + n), authors=[asha, other],
                labels=["Water", f"Ward {s}"], dek="Water for the ward.", lead_image=image, lead_image_alt="A tap",
                body=[("paragraph", "<p>The tanker came on Tuesday.</p>")],
            )
            if (s, n) == (1, 0):
                for minutes in range(3):
                    create_comment(page, minutes=minutes + 1)
                create_comment(page, user=member, minutes=5)
    return member


def count_queries(client, path) -> int:
    """Return the number of SQL queries of one GET of ``path``; fail unless it answers 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def measure(client, member) -> dict[str, tuple[int, int]]:
    """Return {page type: (anonymous cold, member)} query counts."""
    client.get("/")  # the site's settings rows are written on the first read of all
    client.get(PAGES["search"])  # the search backend's once-per-process set-up
    counts = {}
    for name, path in PAGES.items():
        client.logout()
        cache.clear()
        cold = count_queries(client, path)
        client.force_login(member)
        client.get(path)
        warm = count_queries(client, path)
        counts[name] = (cold, warm)
    return counts


@pytest.mark.parametrize("sections", [2, 8])
def test_reader_pages_cost_the_same_queries_whatever_the_number_of_sections(client, settings, home_page, sections):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    member = build_site(home_page, sections)
    assert measure(client, member) == EXPECTED

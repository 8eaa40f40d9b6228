"""Every reader page type costs the same, small number of queries with 2 sections or 7.

The site has ``n`` sections of three stories each; every story has three bylines, four labels
(twelve or more on the site) and a lead image with its thumbnails and reader renditions made, and
the article read has approved comments, one of them the member's. Each page is measured three
ways:

- "off": the page cache off (``PRESSCLUB_PAGE_CACHE_SECONDS = 0``): no copy of any page, and
  nothing of the page's own content kept; the site-wide parts every page reads (the request's
  site, routes, masthead, view restrictions, breaking news, comment policy) stay in Django's cache
  until a purge, read once before. An anonymous reader, then a signed-in member (their session,
  account and standing, and on the article their comments awaiting moderation);
- "cold": the page cache on (300 s) and every cache emptied first (a restart with an empty
  Redis), an anonymous reader;
- "member": a signed-in member, the page cache warm from an earlier request of theirs (served
  from the shared member copy, ``core.member_pages``).

The counts are exact: the same figure for 2 and for 7 sections shows no query per section, label,
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

# (off: anonymous, off: member, cold, member) per page type (see the module's docstring). With the
# page cache off, a Wagtail page costs the page itself (its route is kept) and what it lists; other
# views what they list. A member adds their session, account and standing (three queries), and on
# the article whether they have comments awaiting moderation. Cold pages also read the sites with
# their root paths (one query), the route, the masthead, the view-restriction list and the breaking stories. A member
# served from the shared copy costs the session alone: their account, standing and, on the article,
# the pages where they have comments awaiting moderation come from the cache.
EXPECTED = {
    "front": (6, 9, 12, 1),
    "section": (3, 6, 9, 1),
    "label": (3, 6, 8, 1),
    "author": (3, 6, 8, 1),
    "archive year": (1, 4, 6, 1),
    "archive month": (2, 5, 7, 1),
    "article": (5, 9, 14, 1),
    # On PostgreSQL the search budget (search.budget) sets statement_timeout: one query more. Search
    # is not kept for members: it renders for them.
    "search": (7, 10, 12, 8) if connection.vendor == "postgresql" else (6, 9, 11, 7),
    "feed rss": (4, 5, 9, 1),
    "feed atom": (4, 5, 9, 1),
    "section feed": (5, 6, 10, 1),
    "label feed": (5, 6, 10, 1),
    "author feed": (5, 6, 10, 1),
    "comments feed": (3, 4, 5, 1),  # one batched query finds each comment's page of its thread
}


def build_site(home_page, sections: int):
    """Add ``sections`` sections of three stories each (three bylines, four labels, a lead image); return
    the member."""
    asha = Author.objects.create(name="Asha Gurung", role="Staff reporter")
    image = Image.objects.create(title="Tap", file=get_test_image_file(size=(1600, 900)))
    image_renditions_make(image)
    image.get_renditions(*THUMBNAIL_SPECS)
    member = create_user("ana.ruiz@example.org", "Ana Ruiz", membership="active")
    for s in range(1, sections + 1):
        section = add_section(home_page, title=f"Section {s}", slug=f"s{s}")
        for n in range(3):
            others = [Author.objects.create(name=f"Reporter {s}-{n}-{k}") for k in range(2)]
            page = publish_article(
                section, title=f"Water story {s}-{n}", when=utc(2026, 3, 1 + s, 8 + n), authors=[asha, *others],
                labels=["Water", f"Ward {s}", f"Beat {n}", f"Season {(s + n) % 4}"], dek="Water for the ward.",
                lead_image=image, lead_image_alt="A tap",
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


def measure(client, settings, member) -> dict[str, tuple[int, int, int, int]]:
    """Return {page type: (off: anonymous, off: member, cold, member)} query counts."""
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    client.get("/")  # the site's settings rows are written on the first read of all
    client.get(PAGES["search"])  # the search backend's once-per-process set-up
    client.get(PAGES["article"])  # the comment policy's settings row, written on its first read
    counts = {}
    for name, path in PAGES.items():
        settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
        client.logout()
        client.get(path)
        off = count_queries(client, path)
        client.force_login(member)
        client.get(path)
        off_member = count_queries(client, path)
        settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
        client.logout()
        cache.clear()
        cold = count_queries(client, path)
        client.force_login(member)
        client.get(path)
        warm = count_queries(client, path)
        counts[name] = (off, off_member, cold, warm)
    return counts


@pytest.mark.parametrize("sections", [2, 7])
def test_reader_pages_cost_the_same_queries_whatever_the_number_of_sections(client, settings, home_page, sections):
    member = build_site(home_page, sections)
    counts = measure(client, settings, member)
    assert counts == EXPECTED
    # The budget: with the page cache off, no reader page takes more than ten queries.
    assert max(max(off, off_member) for off, off_member, _cold, _member in counts.values()) <= 10

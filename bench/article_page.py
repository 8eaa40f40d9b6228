#!/usr/bin/env python
"""Measure the article page: SQL queries, server time (cold and warm), HTML and CSS weight.

Builds a throw-away site in a test database (Django's test database machinery, test settings;
in-memory SQLite, or the PostgreSQL server of ``DATABASE_URL`` with ``--postgres``), with one
article carrying three bylines, three labels, a lead image, a dateline and a body of eight
paragraphs, a heading and a pull quote, and for each ``--comments`` count that many approved
comments (every fifth a reply to the one before), then requests it ``--runs`` times per row.

Rows: "member" is a signed-in member (may reply and flag), whom the anonymous page cache never
answers; "anonymous" is a reader without a session with the page cache off (the site-wide parts
every page reads, site, route, masthead, view restrictions, breaking news and comment policy, are
still kept until a purge). "cold" clears the app's caches (Django's cache, Wagtail's site-root
paths) before each request, "warm" keeps them.
"page cache hit" is an anonymous reader served a stored copy. Times are milliseconds for the
whole request through the middleware: wall clock (median, p95) and CPU time of this process
(median), which other work on the machine disturbs less. Queries are counted on one request.
Bytes: the HTML as that reader gets it, plus site.css without comments.

    .venv/bin/python bench/article_page.py [--runs 200] [--comments 0 200] [--postgres]
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")
if "--postgres" not in sys.argv:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from wagtail.images.models import Image  # noqa: E402
from wagtail.images.tests.utils import get_test_image_file  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

PARAGRAPH = (
    "<p>The municipal council voted 14 to 3 on Tuesday to build a steel footbridge over the river, "
    "replacing the wooden crossing that washed away last monsoon. Ward members said the bridge "
    "would cut the walk to the school by forty minutes for children from the far bank.</p>"
)


def build_site(comments: int):
    """Create the front page, a section and one article; return the article."""
    from pressclub.news.models import ArticleAuthor, ArticlePage, HomePage, SectionPage
    from pressclub.people.models import Author

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    Site.objects.all().delete()
    home = root.add_child(instance=HomePage(title="Valley Press Club News", slug="home"))
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True,
                        site_name="Valley Press Club News")
    for name in ("Hills", "India", "World", "Opinion"):
        home.add_child(instance=SectionPage(title=name))
    section = home.add_child(instance=SectionPage(title="Local", slug="local"))
    image = Image.objects.create(title="Bridge", file=get_test_image_file(size=(1600, 900)))
    page = ArticlePage(
        title="Council approves new footbridge over the Seti",
        kicker="Infrastructure",
        dek="Work is to start after the monsoon, the ward chair said.",
        byline_credit="with inputs from agencies",
        dateline="POKHARA",
        lead_image=image,
        lead_image_alt="The washed-away wooden crossing",
        lead_image_caption="What is left of the old crossing.",
        lead_image_credit="Photo: Ram Thapa",
        sign_off="— Reporting by the Hills desk",
        body=[("paragraph", PARAGRAPH)] * 4
        + [("heading", {"text": "What happens next", "level": "h2"})]
        + [("pull_quote", {"quote": "Our children will no longer wade across.", "attribution": "Ward chair"})]
        + [("paragraph", PARAGRAPH)] * 4,
    )
    for n, name in enumerate(("Asha Gurung", "Bikash Rai", "Sita Lama")):
        page.byline_links.add(ArticleAuthor(author=Author.objects.create(name=name), sort_order=n))
    section.add_child(instance=page)
    for label in ("Infrastructure", "Pokhara", "Monsoon"):
        page.labels.add(label)
    page.save_revision().publish()
    page.refresh_from_db()
    add_comments(page, comments)
    return page


def add_comments(page, comments: int) -> None:
    """Replace ``page``'s comments by ``comments`` approved ones, every fifth replying to the one before."""
    from pressclub.comments.models import Comment
    from pressclub.comments.services import thread_forget

    Comment.objects.filter(page=page).delete()
    Comment.objects.bulk_create(
        Comment(page=page, author_name=f"Reader {n}", author_email=f"r{n}@example.org",
                body=f"Comment number {n}.", body_html=f"<p>Comment number {n}.</p>", status="approved",
                created_at=page.published_at + dt.timedelta(minutes=n))
        for n in range(comments)
    )
    ids = list(Comment.objects.filter(page=page).order_by("pk").values_list("pk", flat=True))
    for j in range(4, len(ids), 5):
        Comment.objects.filter(pk=ids[j]).update(parent_id=ids[j - 1])
    thread_forget(page_id=page.pk)  # written without the services' signals


def count_queries(func) -> int:
    """Return how many SQL statements ``func()`` runs."""
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured.captured_queries)


def timed(client, url, runs, *, cold):
    """Return (median wall ms, p95 wall ms, median CPU ms) of ``runs`` GETs of ``url``."""
    wall, cpu = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
            Site.clear_site_root_paths_cache()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    wall.sort()
    return statistics.median(wall), wall[max(0, int(len(wall) * 0.95) - 1)], statistics.median(cpu)


def make_member():
    """Return a signed-in Client of a verified member with an active membership."""
    from allauth.account.models import EmailAddress

    from pressclub.members.models import Membership

    user = get_user_model().objects.create_user(email="reader@example.org", password="x", display_name="Reader")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, status="active")
    client = Client()
    client.force_login(user)
    return client


def measure(client, url, runs, *, cold: bool):
    """Return (queries, median, p95, cpu median, bytes) for ``client`` getting ``url``."""
    cache.clear()
    Site.clear_site_root_paths_cache()
    if cold:
        queries = count_queries(lambda: client.get(url))
    else:
        client.get(url)
        queries = count_queries(lambda: client.get(url))
    size = len(client.get(url).content)
    return (queries, *timed(client, url, runs, cold=cold), size)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--comments", type=int, nargs="+", default=[0, 200],
                        help="approved comment counts to measure (default 0 200)")
    parser.add_argument("--postgres", action="store_true", help="use the database of DATABASE_URL")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        page = build_site(0)
        url = page.url
        member = make_member()
        anonymous = Client()
        anonymous.get(url)  # create the renditions once, as the first reader would
        css = open(finders.find("css/site.css"), "rb").read()
        css_bytes = len(re.sub(rb"/\*.*?\*/", b"", css, flags=re.S))
        print(f"article page {url} on {connection.vendor}, {args.runs} runs a row; "
              f"site.css {css_bytes} bytes without comments (file {len(css)})")
        print(f"{'comments':>8} {'reader':<10} {'caches':<6} {'queries':>7} {'median ms':>9} {'p95 ms':>7} "
              f"{'CPU ms':>7} {'HTML B':>7} {'HTML+CSS KB':>11}")
        for comments in args.comments:
            add_comments(page, comments)
            settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300  # as deployed: it never answers a member
            rows = [("member", cold, measure(member, url, args.runs, cold=cold)) for cold in (True, False)]
            settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0  # no copies; the site-wide parts stay until a purge
            rows += [("anonymous", cold, measure(anonymous, url, args.runs, cold=cold)) for cold in (True, False)]
            for reader, cold, (queries, median, p95, cpu, size) in rows:
                print(f"{comments:>8} {reader:<10} {'cold' if cold else 'warm':<6} {queries:>7} {median:>9.2f} "
                      f"{p95:>7.2f} {cpu:>7.2f} {size:>7} {(size + css_bytes) / 1024:>11.1f}")
            settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
            anonymous.get(url)
            hit_queries = count_queries(lambda: anonymous.get(url))
            median, p95, cpu = timed(anonymous, url, args.runs, cold=False)
            print(f"{comments:>8} {'anonymous':<10} {'page cache hit':<14} {hit_queries:>0} q {median:>9.2f} "
                  f"{p95:>7.2f} {cpu:>7.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Measure the article page: SQL queries, server time (cold and warm), HTML and CSS weight.

Builds a throw-away site in an in-memory SQLite database (Django's test database machinery, test
settings), with one article carrying three bylines, three labels, a lead image, a dateline and a
body of eight paragraphs, a heading and a pull quote, then renders it N times with Django's test
Client as an anonymous reader.

"Cold" and "warm" are requests of a signed-in member, which the anonymous page cache never
answers: cold clears the app's caches (Django's cache, Wagtail's site-root paths) before each
request, warm keeps them. "Page cache hit" is an anonymous reader served a stored copy.
Times are wall-clock milliseconds for the whole request through the middleware.

    .venv/bin/python bench/article_page.py [--runs 200] [--comments 0]
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
from django.test.utils import setup_test_environment  # noqa: E402
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
    if comments:
        from pressclub.comments.models import Comment

        Comment.objects.bulk_create(
            Comment(page=page, author_name=f"Reader {n}", author_email=f"r{n}@example.org",
                    body=f"Comment number {n}.", body_html=f"<p>Comment number {n}.</p>", status="approved",
                    created_at=page.published_at + dt.timedelta(minutes=n))
            for n in range(comments)
        )
    return page


def count_queries(func) -> int:
    """Return how many SQL statements ``func()`` runs (Django resets ``connection.queries`` per request)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        func()
    return count


def timed(client, url, runs, *, cold):
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
            Site.clear_site_root_paths_cache()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--comments", type=int, default=0, help="approved comments to add (default 0)")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        page = build_site(args.comments)
        settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
        url = page.url
        anonymous = Client()
        anonymous.get(url)  # create the renditions once, as the first reader would
        html = anonymous.get(url).content
        hit = timed(anonymous, url, args.runs, cold=False)
        hit_queries = count_queries(lambda: anonymous.get(url))
        member = Client()
        member.force_login(
            get_user_model().objects.create_user(email="reader@example.org", password="x", display_name="Reader")
        )
        cache.clear()
        Site.clear_site_root_paths_cache()
        cold_queries = count_queries(lambda: member.get(url))
        warm_queries = count_queries(lambda: member.get(url))
        cold = timed(member, url, args.runs, cold=True)
        warm = timed(member, url, args.runs, cold=False)
        css = open(finders.find("css/site.css"), "rb").read()
        css_bytes = len(re.sub(rb"/\*.*?\*/", b"", css, flags=re.S))
        print(f"article page {url} with {args.comments} approved comments, {args.runs} runs each")
        print(f"SQL queries (signed-in member): {cold_queries} cold, {warm_queries} warm")
        print(f"server time cold: median {cold[0]:.2f} ms, p95 {cold[1]:.2f} ms")
        print(f"server time warm: median {warm[0]:.2f} ms, p95 {warm[1]:.2f} ms")
        print(f"anonymous page cache hit: median {hit[0]:.2f} ms, p95 {hit[1]:.2f} ms, {hit_queries} queries")
        print(f"HTML bytes (anonymous): {len(html)}")
        print(f"CSS bytes (without comments): {css_bytes} (file {len(css)})")
        print(f"HTML + CSS: {len(html) + css_bytes} bytes ({(len(html) + css_bytes) / 1024:.1f} KB)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

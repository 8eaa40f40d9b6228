"""Benchmark a site with years behind it: cold time and queries per reader page type at N stories.

Generates a site of ``--stories`` N stories (7 sections, 40 labels, 10 authors, about 5 approved
comments a story with a few stories at 250, publication dates over N/10 days, a quarter in Nepali,
Hindi or Bengali) with bulk inserts (pages, bylines, labels and comments written in batches of
1,000 rows; Wagtail's tree paths computed here), then requests each reader page type through
Django's test client with every cache emptied before each request ("cold"), and prints the median
of ``--runs`` requests in milliseconds, the number of SQL queries and the response size in KB.
The search index is not filled (a search page shows no result here; ``bench/search.py`` measures
search).

    .venv/bin/python bench/archive.py --stories 1000 [--stories 10000 …] [--database-url postgres://…]
    .venv/bin/python bench/archive.py --database-url postgres://… --reuse

``--reuse`` measures the site a previous run left in the database (after migrating it), to compare
a change without generating the site again; its size is read from the database (``--stories`` is
not needed, and when given must match it).

Without ``--database-url`` each size gets a fresh SQLite file in a temporary folder; with one, the
database named is emptied (migrations run, every page but the tree root deleted) before each size.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 1000
SECTIONS = ["Local", "Nation", "World", "Business", "Sport", "Culture", "Opinion"]
WORDS = ("council ward road bridge school monsoon budget member club press report hill valley market water "
         "election committee meeting festival health clinic farmers teachers river landslide highway").split()
SCRIPTS = {
    "ne": "नगरपालिका सडक पुल विद्यालय बजेट पहिरो बाढी चुनाव बैठक",
    "hi": "नगर परिषद सड़क पुल विद्यालय बजट भूस्खलन चुनाव बैठक",
    "bn": "পৌরসভা সড়ক সেতু বিদ্যালয় বাজেট ভূমিধস নির্বাচন সভা",
}


def setup(database_url: str) -> None:
    """Set Django up on ``database_url`` (test settings) once per process."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressclub.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def reset_database() -> None:
    """Migrate and remove every page but the tree root, the sites, comments, labels and authors."""
    from django.core.management import call_command
    from wagtail.models import Page, Site

    from pressclub.comments.models import Comment
    from pressclub.news.models import Label
    from pressclub.people.models import Author

    call_command("migrate", verbosity=0)
    Comment.objects.all().delete()
    root = Page.get_first_root_node()
    Page.objects.filter(depth__gt=1).delete()
    root.numchild = 0
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Label.objects.all().delete()
    Author.objects.all().delete()


def _sentence(rng: random.Random, n: int, lang: str = "en") -> str:
    words = WORDS if lang == "en" else SCRIPTS[lang].split()
    return " ".join(rng.choice(words) for _ in range(n))


def generate(stories: int, seed: int = 20261206) -> dict:
    """Write the site; return what the page list needs (URLs of one of each kind) and row counts."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from pressclub.comments.models import Comment, CommentStatus
    from pressclub.core.text import slugify
    from pressclub.news.models import ArticleAuthor, ArticleLabel, ArticlePage, Label
    from pressclub.people.models import Author
    from pressclub.testing.factories import add_section, build_home_page

    rng = random.Random(seed)
    home = build_home_page()
    sections = [add_section(home, title=title, slug=title.lower()) for title in SECTIONS]
    authors = [Author.objects.create(name=f"Reporter {n}", slug=f"reporter-{n}") for n in range(10)]
    labels = Label.objects.bulk_create(Label(name=f"Topic {n}", slug=f"topic-{n}") for n in range(40))
    ct = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    end = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    span = dt.timedelta(days=max(stories // 10, 1))
    per_section = [0] * len(sections)
    pages, extra = [], []
    for i in range(stories):
        s = i % len(sections)
        section = sections[s]
        per_section[s] += 1
        lang = "en" if i % 4 != 3 else ("ne", "hi", "bn")[(i // 4) % 3]
        title = f"{_sentence(rng, 6, lang)} {i}"
        slug = slugify(title, fallback="story")
        when = end - span * (i / stories)
        pages.append(Page(
            title=title, draft_title=title, slug=slug, content_type=ct, live=True, has_unpublished_changes=False,
            url_path=f"{section.url_path}{slug}/", path=ArticlePage._get_path(section.path, section.depth + 1, per_section[s]),
            depth=section.depth + 1, numchild=0, first_published_at=when, last_published_at=when,
            latest_revision_created_at=when, locale=locale, translation_key=uuid.uuid4(),
        ))
        extra.append({"dek": _sentence(rng, 20, lang), "language": lang,
                      "body": [("paragraph", f"<p>{_sentence(rng, 60, lang)}</p>") for _ in range(4)]})
    started = time.perf_counter()
    for start in range(0, stories, BATCH):
        batch = Page.objects.bulk_create(pages[start:start + BATCH])
        rows = []
        for page, fields in zip(batch, extra[start:start + BATCH], strict=True):
            article = ArticlePage(page_ptr_id=page.pk, **fields)
            article.__dict__.update({f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
            rows.append(article)
        ArticlePage._base_manager._insert(rows, fields=ArticlePage._meta.local_concrete_fields)
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(page_id=page.pk, author=authors[(page.pk * 7) % 10], sort_order=0) for page in batch)
        ArticleLabel.objects.bulk_create(
            ArticleLabel(content_object_id=page.pk, tag=label) for page in batch
            for label in rng.sample(labels, 2))
    for section, count in zip(sections, per_section, strict=True):
        Page.objects.filter(pk=section.pk).update(numchild=count)
    page_ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    viral = viral_story(page_ids)
    heavy = set(page_ids[:: max(len(page_ids) // 5, 1)]) | {viral}  # a few stories at 250 comments
    comment_rows = []
    for pk in page_ids:
        n = 250 if pk in heavy else rng.randint(0, 9)
        roots = []
        for k in range(n):
            created = end - span * rng.random()
            body = _sentence(rng, 25)
            c = Comment(page_id=pk, author_name=f"Reader {k % 97}", body=body, body_html=f"<p>{body}</p>",
                        status=CommentStatus.APPROVED, created_at=created)
            if roots and k % 5 == 4:
                c.parent = rng.choice(roots)
            comment_rows.append(c)
            if c.parent is None:
                roots.append(c)
    top = [c for c in comment_rows if c.parent is None]
    for start in range(0, len(top), BATCH):
        Comment.objects.bulk_create(top[start:start + BATCH])
    replies = [c for c in comment_rows if c.parent is not None]
    for c in replies:
        c.parent_id = c.parent.pk
    for start in range(0, len(replies), BATCH):
        Comment.objects.bulk_create(replies[start:start + BATCH])
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum (or ANALYZE) would give
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "comments": len(comment_rows), "urls": page_urls()}


def viral_story(page_ids: list[int]) -> int:
    """Return the id of the story given 250 comments for certain: the middle one of ``page_ids``
    (the site's story ids in ascending order)."""
    return page_ids[len(page_ids) // 2]


def page_urls() -> dict:
    """Return ``{page type: URL}`` of the generated site in the database (one story of each kind),
    whatever its number of stories."""
    from django.db.models import Max, Min

    from pressclub.news.models import ArticlePage, SectionPage

    page_ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    story = ArticlePage.objects.get(pk=page_ids[1])
    viral = ArticlePage.objects.get(pk=viral_story(page_ids))
    listed = len(page_ids) + len(SECTIONS) + 1  # the sitemap's pages: stories, sections, front page
    section = SectionPage.objects.order_by("path").first()
    dates = ArticlePage.objects.aggregate(first=Min("first_published_at"), last=Max("first_published_at"))
    middle = dates["last"] - (dates["last"] - dates["first"]) / 2
    return {
        "front page": "/",
        "section": section.url,
        "section, page 20": f"{section.url}?page=20",
        "label": "/label/topic-7/",
        "author": "/authors/reporter-3/",
        "archive month": f"/{middle:%Y}/{middle:%m}/",
        "article (~5 comments)": story.url,
        "article (250 comments)": viral.url,
        "article (250), comments p. 2": f"{viral.url}?comments=2",
        "search": "/search/?q=council",
        "stories feed": "/feeds/rss/",
        "comments feed": "/comments/feed/",
        "sitemap index": "/sitemap.xml",
        "sitemap page (last full)": f"/sitemap-pages.xml?p={max(listed // 1000, 1)}",
    }


def measure(urls: dict, runs: int) -> list[tuple[str, float, int, float, int]]:
    """Return ``(name, median ms, queries, KB, status)`` for each URL, every cache emptied before each request."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    out = []
    for name, url in urls.items():
        times, queries, size, status = [], 0, 0, 0
        for _ in range(runs):
            for alias in caches:
                caches[alias].clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries, size, status = len(captured), len(response.content) / 1024, response.status_code
        out.append((name, statistics.median(times), queries, size, status))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, action="append",
                        help="site size(s); default 1000 and 10000 (with --reuse: the site's, read from it)")
    parser.add_argument("--database-url", default="", help="a database to empty and fill (default: fresh SQLite)")
    parser.add_argument("--runs", type=int, default=5, help="cold requests per page (the median is printed)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the site already in --database-url (migrated first) instead of generating one")
    args = parser.parse_args()
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url (the database holding the site)")
    sizes = args.stories or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="pressclub-bench-") as tmp:
        setup(args.database_url or f"sqlite:///{tmp}/archive.sqlite3")
        from django.db import connection

        results = {}
        if args.reuse:
            from django.core.management import call_command

            from pressclub.news.models import ArticlePage

            call_command("migrate", verbosity=0)
            stories = ArticlePage.objects.count()
            if args.stories and args.stories != [stories]:
                parser.error(f"the site in --database-url has {stories:,} stories")
            sizes = [stories]
            results[stories] = measure(page_urls(), args.runs)
        else:
            for stories in sizes:
                reset_database()
                site = generate(stories)
                print(f"{connection.vendor}: {stories} stories, {site['comments']} comments generated in "
                      f"{site['seconds']:.1f} s", flush=True)
                results[stories] = measure(site["urls"], args.runs)
        print(f"\ncold requests ({connection.vendor}; median of {args.runs}; ms / queries / KB)")
        print(f"{'page':32}" + "".join(f"{n:>26,}" for n in sizes))
        for row in range(len(results[sizes[0]])):
            name = results[sizes[0]][row][0]
            cells = []
            for stories in sizes:
                _, ms, queries, kb, status = results[stories][row]
                cells.append(f"{ms:8.1f} ms {queries:3d} q {kb:6.1f} KB" + ("" if status == 200 else f" {status}"))
            print(f"{name:32}" + "".join(f"{cell:>26}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())

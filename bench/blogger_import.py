"""Benchmark the Blogger import: a generated Takeout export of 10,000 posts and 50,000 comments.

Writes the export to a temporary file, imports it into a fresh temporary SQLite database (opened as
production settings open SQLite: WAL, synchronous=NORMAL, immediate transactions) or into the
empty scratch database ``--database-url`` names (e.g. a PostgreSQL one made with ``createdb``), and
prints the file size, elapsed seconds, the CPU seconds of this process (on a shared machine the
steadier figure; a PostgreSQL server's own CPU is not in it) and peak memory (resident set size of the process, from
``resource.getrusage``), then imports it a second time (nothing changes) and prints that time and CPU too.
The time spent adding pages to the search and reference indexes (a task, run inline by the immediate task
backend, by a worker elsewhere) is printed apart. Budget (DESIGN.md): at most 45 s on SQLite and 60 s on PostgreSQL, under 500 MB.

    .venv/bin/python bench/blogger_import.py [--posts 10000] [--comments 50000] [--database-url URL]
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
BLOG = "tag:blogger.com,1999:blog-777"
WORDS = (
    "council ward road bridge school monsoon budget member club press report hill valley market water "
    "election committee meeting festival health clinic farmers teachers river landslide highway"
).split()
LABELS = [f"Topic {n}" for n in range(150)] + ["प्रेस क्लब", "পাহাড়", "Roads & Bridges", "local-news", "Local News"]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(path: Path, *, posts: int, comments: int, seed: int = 20261130) -> None:
    """Write a Takeout ``feed.atom`` with ``posts`` posts (10% drafts) and ``comments`` comments.

    Comments come first (as in real Takeout files); every fifth comment replies to an earlier one
    on the same post; 3% are spam. Post bodies are about 1.5 KB of HTML with a link and an image.
    """
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='utf-8'?>\n")
        out.write("<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>\n")
        out.write(f"  <id>{BLOG}</id>\n  <title>Bench Valley News</title>\n")
        per_post: dict[int, list[int]] = {}
        for c in range(comments):
            post = rng.randrange(posts)
            earlier = per_post.setdefault(post, [])
            reply_to = f"{BLOG}.post-c{rng.choice(earlier)}" if earlier and c % 5 == 0 else ""
            earlier.append(c)
            status = "SPAM_COMMENT" if c % 33 == 0 else "LIVE"
            name = "" if c % 3 == 0 else f"Reader {c % 997}"
            body = escape(_sentence(rng, 25) + "\n\n" + _sentence(rng, 12) + "<BR/>" + _sentence(rng, 8))
            stamp = f"2012-{1 + c % 12:02d}-{1 + c % 28:02d}T{c % 24:02d}:{c % 60:02d}:{(c // 60) % 60:02d}.{c % 1000:03d}Z"
            out.write(
                f"  <entry>\n    <id>{BLOG}.post-c{c}</id>\n    <blogger:parent>{BLOG}.post-p{post}</blogger:parent>\n"
                f"    <blogger:inReplyTo>{reply_to}</blogger:inReplyTo>\n    <blogger:type>COMMENT</blogger:type>\n"
                f"    <blogger:status>{status}</blogger:status>\n"
                f"    <author><name>{escape(name)}</name><blogger:type>BLOGGER</blogger:type></author>\n"
                f"    <content type='html'>{body}</content>\n"
                f"    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n    <blogger:trashed/>\n  </entry>\n"
            )
        for p in range(posts):
            draft = p % 10 == 9
            title = _sentence(rng, 7)[:-1]
            paragraphs = "".join(f"<p>{_sentence(rng, 30)}</p>" for _ in range(5))
            html = (
                f"{paragraphs}<p>See <a href='https://example.org/{p}' onclick='x()'>the notice</a>.</p>"
                f"<p><img src='https://img.example.org/{p}.jpg' alt='Photo {p}'></p><script>track()</script>"
            )
            labels = "".join(f"    <category term={quoteattr(label)}/>\n" for label in rng.sample(LABELS, 3))
            stamp = f"20{10 + p % 10}-{1 + p % 12:02d}-{1 + p % 28:02d}T{p % 24:02d}:{p % 60:02d}:00.000Z"
            filename = "" if draft else f"/20{10 + p % 10}/{1 + p % 12:02d}/story-{p}.html"
            out.write(
                f"  <entry>\n    <id>{BLOG}.post-p{p}</id>\n    <blogger:type>POST</blogger:type>\n"
                f"    <blogger:status>{'DRAFT' if draft else 'LIVE'}</blogger:status>\n"
                f"    <author><name>Author {p % 12}</name><blogger:type>BLOGGER</blogger:type></author>\n"
                f"    <title>{escape(title)}</title>\n    <content type='html'>{escape(html)}</content>\n"
                f"    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n{labels}"
                f"    <blogger:filename>{filename}</blogger:filename>\n    <blogger:trashed/>\n  </entry>\n"
            )
        out.write("</feed>\n")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB



def bench_site(tmp, database_url: str = ""):
    """Set up Django on ``database_url`` (default: a fresh SQLite database in the folder ``tmp``),
    migrate it and give it a front page.

    Return the HomePage, the default site's root ("Bench Valley News" at ``localhost``). Django is
    set up once per process, so call this once.
    """
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressclub.settings.test"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page, Site

    from pressclub.news.models import HomePage

    if connection.vendor == "sqlite":
        # As a production site opens SQLite (settings.base.SQLITE_OPTIONS: WAL, synchronous=NORMAL,
        # immediate transactions), not as the test settings' default journal, which syncs the disk
        # several times per commit. Set before the first query: Django runs the options'
        # init_command on every connection it opens. The dictionary Django's connections were
        # configured with is this same object.
        from django.conf import settings

        from pressclub.settings.base import SQLITE_OPTIONS

        settings.DATABASES["default"].update(OPTIONS=SQLITE_OPTIONS)
    call_command("migrate", verbosity=0)
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    Site.objects.all().delete()
    home = root.add_child(instance=HomePage(title="Bench Valley News", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--database-url", default="", help="an empty scratch database (default: fresh SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pressclub-bench-") as tmp:
        export = Path(tmp) / "feed.atom"
        started = time.perf_counter()
        generate(export, posts=args.posts, comments=args.comments)
        print(f"export: {args.posts} posts, {args.comments} comments, {export.stat().st_size / 1e6:.1f} MB, "
              f"generated in {time.perf_counter() - started:.1f} s")

        bench_site(tmp, args.database_url)
        from django.db import connection
        from modelsearch.backends.base import BaseSearchBackend

        from pressclub.importers.services import blogger_import

        # Search and reference indexing is a background task in production; time it apart.
        indexing = {"seconds": 0.0}
        add_bulk = BaseSearchBackend.add_bulk

        def timed_add_bulk(self, model, obj_list):
            started = time.perf_counter()
            try:
                return add_bulk(self, model, obj_list)
            finally:
                indexing["seconds"] += time.perf_counter() - started

        BaseSearchBackend.add_bulk = timed_add_bulk
        from pressclub.importers import tasks

        reference = tasks.reference_index_update_bulk

        def timed_reference(objects):
            started = time.perf_counter()
            try:
                return reference(objects)
            finally:
                indexing["seconds"] += time.perf_counter() - started

        tasks.reference_index_update_bulk = timed_reference

        rss_before = _rss_mb()
        cpu = _cpu_seconds()
        started = time.perf_counter()
        report = blogger_import(source=export)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu
        rss_after = _rss_mb()
        print(f"first import ({connection.vendor}): {elapsed:.1f} s ({cpu:.1f} s CPU), of which {indexing['seconds']:.1f} s updating the search and reference "
              f"indexes (a background task where a worker runs tasks); peak RSS {rss_after:.0f} MB "
              f"(process before import: {rss_before:.0f} MB)")
        print(f"  posts {report.posts} (drafts {report.drafts}), labels {report.labels}, comments shown "
              f"{report.comments}, hidden {report.hidden_comments}, replies {report.replies}, "
              f"redirects {report.redirects}, skipped {len(report.skipped)}")

        cpu = _cpu_seconds()
        started = time.perf_counter()
        again = blogger_import(source=export)
        print(f"second import (nothing changed): {time.perf_counter() - started:.1f} s ({_cpu_seconds() - cpu:.1f} s CPU); "
              f"created {again.created}, "
              f"updated {again.updated}, unchanged {again.unchanged}, comments created {again.comments_created}; "
              f"peak RSS {_rss_mb():.0f} MB")
        budget = 45 if connection.vendor == "sqlite" else 60
        ok = elapsed <= budget and rss_after < 500
        print(f"within budget (<= {budget} s, < 500 MB):", "yes" if ok else "NO")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

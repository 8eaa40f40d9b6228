"""Benchmark reader search over many stories in four scripts: p50/p95 of ten kinds of query.

Generates a Blogger export of ``--articles`` stories (half English, the rest Nepali, Hindi and
Bengali, made of this file's own word lists), imports it into a fresh database (a temporary SQLite
file, or the empty PostgreSQL database ``--database-url`` names), then asks ``/search/?q=…``
through Django's test client, with the time budget and everything else as in production, ``--runs``
times per kind of query after one warm-up. Prints per kind the status, the result count and the
p50/p95 wall-clock milliseconds of the search itself (the result page's stories and the count, as
the view asks for them, within its time budget) and of the whole request (rate limit, budget, template). Then prints the database's plan for the
common word's page and count queries. Targets (DESIGN.md): p95 ≤ 100 ms at 20,000 stories on
SQLite, ≤ 50 ms at 100,000 on PostgreSQL.

    .venv/bin/python bench/search.py [--articles 20000] [--runs 30]
    .venv/bin/python bench/search.py --articles 100000 --database-url postgres://postgres@127.0.0.1/pc_bench
    .venv/bin/python bench/search.py --reuse --database-url postgres://postgres@127.0.0.1/pc_bench   # measure again

The count is the one the search page shows: capped at ``PRESSCLUB_SEARCH_COUNT_LIMIT`` ("1000+").
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
BLOG = "tag:blogger.com,1999:blog-778"

# Word lists written for this benchmark (newsroom words; the inflected forms are as each language writes them).
ENGLISH = (
    "ward road bridge school budget member club report hill valley market water election committee meeting "
    "festival health clinic farmers teachers river landslide highway mayor rain harvest bus traders police "
    "hospital students village district office minister flood power supply price rice tea cooperative"
).split()
NEPALI = (
    "सरकार नगरपालिका वडा सडक पुल विद्यालय बजेट सदस्य बजार पानी निर्वाचन समिति बैठक चाड स्वास्थ्य किसान "
    "शिक्षक नदी पहिरो राजमार्ग मेयर वर्षा बाली बस व्यापारी प्रहरी अस्पताल विद्यार्थी गाउँ जिल्ला कार्यालय "
    "मन्त्री बाढी बिजुली भाउ चामल चिया सहकारी बजारमा बजारको सडकमा पुलको गाउँमा किसानहरू शिक्षकहरूले"
).split()
HINDI = (
    "सरकार नगर वार्ड सड़क पुल विद्यालय बजट सदस्य बाज़ार पानी चुनाव समिति बैठक त्योहार स्वास्थ्य किसान "
    "शिक्षक नदी भूस्खलन राजमार्ग महापौर बारिश फसल बस व्यापारी पुलिस अस्पताल छात्र गाँव ज़िला दफ़्तर "
    "मंत्री बाढ़ बिजली दाम चावल चाय किसानों शिक्षकों सड़कों गाँवों लड़कियाँ"
).split()
BENGALI = (
    "সরকার পৌরসভা ওয়ার্ড সড়ক সেতু বিদ্যালয় বাজেট সদস্য বাজার পানি নির্বাচন কমিটি সভা উৎসব স্বাস্থ্য কৃষক "
    "শিক্ষক নদী ভূমিধস মহাসড়ক মেয়র বৃষ্টি ফসল বাস ব্যবসায়ী পুলিশ হাসপাতাল ছাত্র গ্রাম জেলা দপ্তর "
    "মন্ত্রী বন্যা বিদ্যুৎ দাম চাল চা বাজারে সেতুটি গ্রামের কৃষকদের"
).split()
LANGUAGES = [("en", ENGLISH)] * 5 + [("ne", NEPALI)] * 2 + [("hi", HINDI)] * 2 + [("bn", BENGALI)]
COMMON = "council"  # in every English story: over 20 % of all
RARE = "kestrel"  # in one story in a thousand
PHRASE = "ward office"  # in about one English story in four, word for word

QUERIES = [
    ("one English word", {"q": "landslide"}),
    ("two words", {"q": "bridge budget"}),
    ("a quoted phrase", {"q": f'"{PHRASE}"'}),
    ("a rare word", {"q": RARE}),
    ("a word in > 20 % of stories", {"q": COMMON}),
    ("Devanagari, vowel signs", {"q": "विद्यालय"}),
    ("Bengali word", {"q": "সেতু"}),
    ("inflected Nepali form", {"q": "बजारमा"}),
    ("no match", {"q": "zyxwvut"}),
    ("page 20 of a common word", {"q": COMMON, "page": "20"}),
]


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    # Zipf-like: early words of the list come up far more often than late ones.
    picked = [words[min(int(rng.paretovariate(1.2)) - 1, len(words) - 1)] if rng.random() < 0.5
              else rng.choice(words) for _ in range(n)]
    return " ".join(picked)


def story(rng: random.Random, number: int) -> tuple[str, str]:
    """Return the headline and the HTML body of generated story ``number``."""
    language, words = LANGUAGES[number % len(LANGUAGES)]
    title = _sentence(rng, words, 6)
    paragraphs = [_sentence(rng, words, 30) for _ in range(5)]
    if language == "en":
        paragraphs[0] = f"The {COMMON} met on {_sentence(rng, words, 3)}. " + paragraphs[0]
        if rng.random() < 0.25:
            paragraphs[1] += f" The {PHRASE} said so."
    if rng.random() < 0.001:
        paragraphs[2] += f" {RARE}"
    return title.capitalize(), "".join(f"<p>{escape(p)}.</p>" for p in paragraphs)


def generate(path: Path, *, articles: int, seed: int = 20261206) -> None:
    """Write a Takeout ``feed.atom`` of ``articles`` live posts (no comments), see :func:`story`."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='utf-8'?>\n")
        out.write("<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>\n")
        out.write(f"  <id>{BLOG}</id>\n  <title>Bench Valley News</title>\n")
        for p in range(articles):
            title, html = story(rng, p)
            stamp = f"20{10 + p % 10}-{1 + p % 12:02d}-{1 + p % 28:02d}T{p % 24:02d}:{p % 60:02d}:00.000Z"
            out.write(
                f"  <entry>\n    <id>{BLOG}.post-p{p}</id>\n    <blogger:type>POST</blogger:type>\n"
                f"    <blogger:status>LIVE</blogger:status>\n"
                f"    <author><name>Author {p % 12}</name><blogger:type>BLOGGER</blogger:type></author>\n"
                f"    <title>{escape(title)}</title>\n    <content type='html'>{escape(html)}</content>\n"
                f"    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n"
                f"    <blogger:filename>/20{10 + p % 10}/{1 + p % 12:02d}/story-{p}.html</blogger:filename>\n"
                f"    <blogger:trashed/>\n  </entry>\n"
            )
        out.write("</feed>\n")


def setup_site(database_url: str, *, reuse: bool = False):
    """Set up Django on ``database_url`` (an empty database), migrate it and give it a front page;
    with ``reuse``, only set up Django and migrate (the site is already there)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressclub.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Page, Site

    from pressclub.news.models import HomePage

    call_command("migrate", verbosity=0)
    if reuse:
        return None
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    Site.objects.all().delete()
    home = root.add_child(instance=HomePage(title="Bench Valley News", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def percentile(values: list[float], fraction: float) -> float:
    """Return the ``fraction`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def show_plans(query: str) -> None:
    """Print the database's plan (with timings) of the page and count queries of a search for ``query``,
    run as the view runs them (within the search's time budget)."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pressclub.search.budget import time_budget
    from pressclub.search.query import search_articles
    from pressclub.search.views import capped_count

    with time_budget(settings.PRESSCLUB_SEARCH_TIME_BUDGET):
        with CaptureQueriesContext(connection) as captured:
            results = search_articles(query)
            list(results[:10])
            capped_count(results, settings.PRESSCLUB_SEARCH_COUNT_LIMIT)
        for sql in [q["sql"] for q in captured.captured_queries if "indexentry" in q["sql"]]:
            print(f"  {sql[:160]}…")
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
                    lines = [row[0] for row in cursor.fetchall()]
                else:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    lines = [row[-1] for row in cursor.fetchall()]
            for line in lines:
                print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per kind of query")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the stories already in --database-url (imported by an earlier run)")
    args = parser.parse_args()
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url")

    with tempfile.TemporaryDirectory(prefix="pressclub-bench-") as tmp:
        export = Path(tmp) / "feed.atom"
        if not args.reuse:
            generate(export, articles=args.articles)
        setup_site(args.database_url or f"sqlite:///{tmp}/bench.sqlite3", reuse=args.reuse)
        from django.db import connection
        from django.test import Client

        from pressclub.importers.services import blogger_import
        from pressclub.news.models import ArticlePage

        started = time.perf_counter()
        if not args.reuse:
            blogger_import(source=export)
        live = ArticlePage.objects.live().count()
        print(f"{connection.vendor}: {live} live stories {'found' if args.reuse else 'imported'} in "
              f"{time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql" and not args.reuse:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

        from django.conf import settings

        from pressclub.search.budget import time_budget
        from pressclub.search.query import clean_query, search_articles
        from pressclub.search.views import capped_count

        client = Client()
        per_page = settings.PRESSCLUB_SEARCH_RESULTS_PER_PAGE
        limit = settings.PRESSCLUB_SEARCH_COUNT_LIMIT
        print("search: the page's results and the count (database and Python); request: the whole /search/ page")
        print(f"{'query':<28} {'q':<14} {'status':>6} {'results':>8} {'search p50':>10} {'p95 ms':>7} "
              f"{'request p50':>11} {'p95 ms':>7}")
        worst = {"search": 0.0, "request": 0.0}
        for name, params in QUERIES:
            response = client.get("/search/", params)  # warm-up
            start = (int(params.get("page", 1)) - 1) * per_page
            searches, requests = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                with time_budget(settings.PRESSCLUB_SEARCH_TIME_BUDGET):  # as the view runs it
                    results = search_articles(clean_query(params["q"]))
                    list(results[start:start + per_page])
                    count = capped_count(results, limit)
                searches.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                response = client.get("/search/", params)
                requests.append((time.perf_counter() - started) * 1000)
            worst["search"] = max(worst["search"], percentile(searches, 0.95))
            worst["request"] = max(worst["request"], percentile(requests, 0.95))
            shown = f"{limit}+" if count > limit else str(count)
            print(f"{name:<28} {params['q'][:14]:<14} {response.status_code:>6} {shown:>8} "
                  f"{statistics.median(searches):>10.1f} {percentile(searches, 0.95):>7.1f} "
                  f"{statistics.median(requests):>11.1f} {percentile(requests, 0.95):>7.1f}")
        print(f"worst p95 over {live} stories ({connection.vendor}, {args.runs} runs per query): "
              f"search {worst['search']:.1f} ms, whole request {worst['request']:.1f} ms")
        print(f"plans for '{COMMON}':")
        show_plans(COMMON)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark a search for a common word over many stories on SQLite, with and without the time budget.

Generates a Blogger export of ``--posts`` stories (bench/blogger_import.py's generator: every post
is made of the same 25 newsroom words, so "council" is in nearly all of them), imports it into a
fresh temporary SQLite database, then asks ``/search/?q=council`` through Django's test client,
first with the budget lifted (as before the budget existed) and then with
``PRESSCLUB_SEARCH_TIME_BUDGET`` (2 s). Prints the wall-clock seconds and status of each answer.

    .venv/bin/python bench/search.py [--posts 10000] [--query council] [--skip-unbudgeted]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--query", default="council")
    parser.add_argument("--skip-unbudgeted", action="store_true", help="only time the budgeted search")
    args = parser.parse_args()

    from blogger_import import bench_site, generate

    with tempfile.TemporaryDirectory(prefix="pressclub-bench-") as tmp:
        export = Path(tmp) / "feed.atom"
        generate(export, posts=args.posts, comments=0)
        bench_site(tmp)
        from django.conf import settings
        from django.test import Client

        from pressclub.importers.services import blogger_import
        from pressclub.news.models import ArticlePage
        started = time.perf_counter()
        blogger_import(source=export)
        print(f"{ArticlePage.objects.live().count()} live stories imported in {time.perf_counter() - started:.1f} s")

        client = Client()
        budget = settings.PRESSCLUB_SEARCH_TIME_BUDGET
        rows = [("with the budget", budget)]
        if not args.skip_unbudgeted:
            rows.insert(0, ("without a budget (before)", 24 * 3600.0))
        for name, seconds in rows:
            settings.PRESSCLUB_SEARCH_TIME_BUDGET = seconds
            started = time.perf_counter()
            response = client.get("/search/", {"q": args.query})
            elapsed = time.perf_counter() - started
            print(f"{name}: /search/?q={args.query} answered {response.status_code} in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

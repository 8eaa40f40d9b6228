#!/usr/bin/env python
"""Measure a page cache hit: our middleware against wagtail-cache's, on the same article page.

Builds the article of ``bench/article_page.py`` in a throw-away test database (test settings,
in-memory SQLite), stores the page once for an anonymous reader, then requests it ``--runs``
times through the whole middleware stack with Django's test client. Rows:

- "pressclub": ``PageCacheMiddleware`` as shipped (``PRESSCLUB_PAGE_CACHE_SECONDS = 300``), the
  hottest pages in process memory (each hit reads only the shared generation and the path's version);
- "pressclub-shared": the same with ``PRESSCLUB_PAGE_CACHE_LOCAL_PAGES = 0`` (each hit reads the
  generation, the path's version and the page from the shared cache in one ``get_many``);
- "wagtail-cache": the same stack with ours removed and wagtail-cache's
  ``UpdateCacheMiddleware`` first and ``FetchFromCacheMiddleware`` last, as its documentation
  places them, with its ``X-Wagtail-Cache`` header. Shown only when the ``wagtailcache`` package
  can be imported: wagtail-cache 3.0.0 declares ``wagtail<8``, so it is not a dependency of
  ours; install it beside the project with ``pip install --no-deps wagtail-cache`` to compare.

The "member" rows measure a signed-in member (an active membership, sessions in ``cached_db``)
on the same article with ``--member-comments`` approved comments (200 by default): "member-full"
renders the page for them as before (``MemberPageMiddleware`` removed; the comment thread still
comes from its cache), "member-shared" serves them the shared member copy with their own parts
filled in (``core.member_pages``); each plain and gzipped (``Accept-Encoding: gzip``, compressed
per member since the page holds their CSRF token).

Each row is measured on Django's local-memory cache and, with ``--redis URL`` (e.g.
``redis://127.0.0.1:6379/4``), on Redis through Django's ``RedisCache``. Times are milliseconds
per request: wall clock (median and p95) and this process's CPU time (median). SQL queries are
counted on one hit.

    .venv/bin/python bench/page_cache_hit.py [--runs 2000] [--redis redis://127.0.0.1:6379/4]
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")
os.environ.pop("DATABASE_URL", None)

from article_page import build_site  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

OURS = "pressclub.core.middleware.PageCacheMiddleware"
MEMBER_PAGES = "pressclub.core.member_pages.MemberPageMiddleware"


def middleware_stacks() -> dict[str, tuple[list[str], str]]:
    """Return {row name: (MIDDLEWARE, name of the header that says "hit")}."""
    stacks = {
        "pressclub": (list(settings.MIDDLEWARE), "X-Page-Cache"),
        "pressclub-shared": (list(settings.MIDDLEWARE), "X-Page-Cache"),
    }
    if importlib.util.find_spec("wagtailcache") is not None:
        others = [name for name in settings.MIDDLEWARE if name != OURS]
        update = "wagtailcache.cache.UpdateCacheMiddleware"
        fetch = "wagtailcache.cache.FetchFromCacheMiddleware"
        stacks["wagtail-cache"] = ([update, *others, fetch], "X-Wagtail-Cache")
    return stacks


def time_hits(url: str, runs: int, header: str, *, client=None, hit="hit", **extra) -> tuple[int, float, float, float]:
    """Return (queries on one hit, median wall ms, p95 wall ms, median CPU ms) of ``runs`` hits.

    ``client`` (a signed-in test client) and ``extra`` (request headers) are given to each request;
    ``hit`` is the value of ``header`` expected on a hit (None: expect no header, a full render).
    """
    client = client or Client()
    client.get(url, **extra)
    response = client.get(url, **extra)
    if response.get(header) != hit:
        raise SystemExit(f"expected {hit!r}, got {header}: {response.get(header)!r}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url, **extra)
    queries = len(captured.captured_queries)  # now: each request's start empties Django's query log
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, **extra)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    assert response.get(header) == hit
    wall.sort()
    p95 = wall[max(0, int(len(wall) * 0.95) - 1)]
    return queries, statistics.median(wall), p95, statistics.median(cpu)


def main():
    """Print one line per cache backend and middleware."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--redis", help="also measure on this Redis URL (its database is flushed)")
    parser.add_argument("--member-comments", type=int, default=200, help="approved comments on the member rows' article")
    args = parser.parse_args()

    backends = {"locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
    if args.redis:
        backends["redis"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": args.redis}
    stacks = middleware_stacks()
    if "wagtail-cache" not in stacks:
        print("wagtail-cache is not installed: only our middleware is measured")

    from pressclub.core.cache import page_cache_local_clear

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        url = build_site(0).url
        print(f"page cache hits of {url}, {args.runs} runs a row")
        print(f"{'cache':<7} {'middleware':<14} {'queries':>7} {'median ms':>9} {'p95 ms':>7} {'CPU ms':>7}")
        for backend, config in backends.items():
            for name, (middleware, header) in stacks.items():
                with override_settings(
                    CACHES={"default": config},
                    MIDDLEWARE=middleware,
                    PRESSCLUB_PAGE_CACHE_SECONDS=300,
                    PRESSCLUB_PAGE_CACHE_LOCAL_PAGES=0 if name == "pressclub-shared" else settings.PRESSCLUB_PAGE_CACHE_LOCAL_PAGES,
                    WAGTAIL_CACHE=True,
                ):
                    caches["default"].clear()
                    page_cache_local_clear()
                    queries, median, p95, cpu = time_hits(url, args.runs, header)
                    caches["default"].clear()
                    page_cache_local_clear()
                print(f"{backend:<7} {name:<14} {queries:>7} {median:>9.3f} {p95:>7.3f} {cpu:>7.3f}")
        member_rows(backends, args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def member_rows(backends: dict, args) -> None:
    """Print the signed-in member's rows: full render against the shared member copy, plain and gzipped."""
    from pressclub.core.cache import page_cache_local_clear
    from pressclub.testing import factories

    url = build_site(args.member_comments).url
    member = factories.create_user("bench.member@example.org", "Bench Member", membership="active")
    print(f"signed-in member on {url} with {args.member_comments} comments, {args.runs} runs a row")
    print(f"{'cache':<7} {'member':<20} {'queries':>7} {'median ms':>9} {'p95 ms':>7} {'CPU ms':>7}")
    full = [name for name in settings.MIDDLEWARE if name != MEMBER_PAGES]
    for backend, config in backends.items():
        for name, middleware, hit in (("member-full", full, None),
                                      ("member-shared", list(settings.MIDDLEWARE), "member-hit")):
            for encoding in ("identity", "gzip"):
                with override_settings(
                    CACHES={"default": config},
                    MIDDLEWARE=middleware,
                    PRESSCLUB_PAGE_CACHE_SECONDS=300,
                    SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
                ):
                    caches["default"].clear()
                    page_cache_local_clear()
                    client = Client()
                    client.force_login(member)
                    queries, median, p95, cpu = time_hits(
                        url, args.runs, "X-Page-Cache", client=client, hit=hit, HTTP_ACCEPT_ENCODING=encoding
                    )
                    caches["default"].clear()
                    page_cache_local_clear()
                row = f"{name} {encoding}"
                print(f"{backend:<7} {row:<20} {queries:>7} {median:>9.3f} {p95:>7.3f} {cpu:>7.3f}")


if __name__ == "__main__":
    main()

"""The page cache's hit rate under anonymous load while one comment a second is approved.

Usage::

    python bench/purge_hit_rate.py [--seconds 20] [--workers 2] [--connections 32] [--port 8110]
        [--redis-url redis://127.0.0.1:6379/N] [--database-url postgres://…/DB]

The bench migrates a new site (SQLite in a new directory unless ``--database-url`` names a scratch
PostgreSQL database; Redis as the cache with ``--redis-url``, else the production default, the
database cache), builds a front page, a section and five stories, and holds pending comments on the
first story. It starts ``pressclub serve`` with the production settings and keeps ``wrk`` (anonymous
readers, gzip, ``--connections`` connections on two threads) on the front page and the five stories
in turn, while another process approves one comment a second on the first story through the
moderation service, as a moderator does. Each answer's ``X-Page-Cache`` header (hit or miss) is
counted by wrk's Lua script.

Two runs on the same server (``--modes``), each ``--seconds`` long after ``--warmup`` seconds of load:

- "precise": the shipped purge (``core.purge_lists``: the story's page, its comment feeds, the
  site's comment feeds, the front page);
- "everything": as before precise purges, every approval also empties the whole page cache (a new
  generation), for comparison.

Prints, per run: requests, hits, misses, others (not cacheable), the hit rate, requests per second,
and the approvals made.
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from production_site import (
    add_site_arguments,
    make_var_dir,
    pressclub_command,
    production_env,
    run_step,
    serving,
)

REPO = Path(__file__).resolve().parents[1]

WRK_SCRIPT = """
local paths = {%s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; misses = 0; other = 0; n = 0 end
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
response = function(status, headers, body)
  local state = headers["X-Page-Cache"] or headers["x-page-cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses"); o = o + t:get("other") end
  io.write(string.format("COUNTS %%d %%d %%d %%d\\n", h, m, o, summary.requests))
end
"""


def _env(options) -> dict:
    return production_env(options, "purge-hit-rate", drop=("PRESSCLUB_CACHE_PURGE_URL",))


def _run(options, *args, inside: bool = False) -> str:
    command = [sys.executable, __file__, "--inside", *args] if inside else pressclub_command(*args)
    return run_step(_env(options), options.var_dir, command, " ".join(args))


def inside(args: list[str]) -> dict:
    """Steps run under the production settings: ``setup PORT`` (the site; returns the paths) and
    ``approve SECONDS MODE`` (one approval a second; returns how many were made)."""
    import django

    django.setup()
    from django.db import transaction
    from wagtail.models import Site

    from pressclub.comments import services
    from pressclub.comments.models import Comment, CommentStatus
    from pressclub.core.cache import page_cache_purge
    from pressclub.news.models import ArticlePage
    from pressclub.testing import factories

    step = args[0]
    if step == "setup":
        home = factories.build_home_page()
        Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=int(args[1]))
        section = factories.add_section(home)
        author = factories.create_author()
        stories = [
            factories.publish_article(section, title=f"Council meeting, day {n}", when=factories.utc(2026, 3, 10 + n),
                                      authors=[author], labels=["Council"],
                                      body=[("paragraph", f"<p>The council met for the {n}th day.</p>")])
            for n in range(1, 6)
        ]
        for n in range(40):
            factories.create_comment(stories[0], body=f"Approved comment {n}.")
        for n in range(2000):
            factories.create_comment(stories[0], body=f"Waiting comment {n}.", status="pending")
        factories.create_user("moderator@example.org", "Desk Editor", verified=None, is_staff=True,
                              groups=("Moderators", "Editors"))
        return {"paths": ["/", *[story.url for story in stories]]}
    if step == "approve":
        from django.contrib.auth import get_user_model

        seconds, mode = float(args[1]), args[2]
        moderator = get_user_model().objects.get(email="moderator@example.org")
        story = ArticlePage.objects.order_by("first_published_at").first()
        waiting = list(Comment.objects.filter(page=story, status=CommentStatus.PENDING).order_by("pk")[:int(seconds) + 5])
        print("READY", flush=True)  # started (Django, the rows): the load begins with the first approval
        sys.stdin.readline()
        made, start = 0, time.monotonic()
        while time.monotonic() - start < seconds and made < len(waiting):
            with transaction.atomic():
                services.comment_approve(comment=waiting[made], moderator=moderator)
            if mode == "everything":
                page_cache_purge()
            made += 1
            time.sleep(max(0.0, start + made - time.monotonic()))
        return {"approved": made}
    raise SystemExit(f"unknown step {step!r}")


def _load(options, script: Path, seconds: float) -> tuple[int, int, int, int]:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{options.connections}", f"-d{seconds:.0f}s", "-s", str(script),
         f"http://127.0.0.1:{options.port}"],
        capture_output=True, text=True, check=True,
    )
    for line in done.stdout.splitlines():
        if line.startswith("COUNTS "):
            hits, misses, other, requests = (int(value) for value in line.split()[1:])
            return hits, misses, other, requests
    sys.exit(f"wrk printed no counts:\n{done.stdout}\n{done.stderr}")


def _measure(options, script: Path, mode: str) -> dict:
    _load(options, script, options.warmup)  # warm-up: every page stored, each worker's first renders done
    approver = subprocess.Popen(
        [sys.executable, __file__, "--inside", "approve", str(options.seconds), mode],
        env=_env(options), cwd=options.var_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    if approver.stdout.readline().strip() != "READY":  # Django started: approvals and load begin together
        sys.exit(f"approver failed:\n{approver.stderr.read()[-3000:]}")
    approver.stdin.write("go\n")
    approver.stdin.flush()
    hits, misses, other, requests = _load(options, script, options.seconds)
    out, err = approver.communicate(timeout=120)
    if approver.returncode != 0:
        sys.exit(f"approver failed:\n{err[-3000:]}")
    approved = json.loads(out.strip().splitlines()[-1])["approved"]
    counted = hits + misses
    return {"mode": mode, "requests": requests, "hits": hits, "misses": misses, "other": other,
            "hit_rate": 100.0 * hits / counted if counted else 0.0, "rps": requests / options.seconds,
            "approved": approved}


def main() -> int:
    """Run the bench with the command-line options and print the figures."""
    if sys.argv[1:2] == ["--inside"]:
        print(json.dumps(inside(sys.argv[2:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="seconds of load per run (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="pressclub serve --workers (default 2)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before each run (default 5)")
    parser.add_argument("--modes", default="precise,everything",
                        help="runs, in order: precise, everything (default precise,everything)")
    parser.add_argument("--port", type=int, default=8110, help="port of pressclub serve (default 8110)")
    add_site_arguments(parser, redis_help="Redis as the cache; default the database cache")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (Debian: apt-get install wrk)")
    make_var_dir(options, "pressclub-purge-")
    database = "PostgreSQL" if options.database_url else "SQLite"
    cache = "Redis" if options.redis_url else "database cache"
    print(f"purge_hit_rate: {database}, {cache}, {options.workers} workers, wrk -t2 -c{options.connections}, "
          f"{options.seconds} s per run after {options.warmup} s of warm-up, one approval a second", flush=True)

    _run(options, "migrate", "--verbosity", "0")
    paths = json.loads(_run(options, "setup", str(options.port), inside=True).strip().splitlines()[-1])["paths"]
    if options.redis_url:  # a scratch Redis database: nothing of an earlier run
        import redis

        redis.Redis.from_url(options.redis_url).flushdb()
    script = options.var_dir / "hit_rate.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths), encoding="utf-8")
    with serving(_env(options), options.var_dir, options.port, workers=options.workers, stop_seconds=30):
        print(f"pages: {', '.join(paths)}")
        print(f"{'purge':<11} {'requests':>9} {'hits':>9} {'misses':>7} {'other':>6} {'hit rate':>9} {'req/s':>8} {'approved':>9}")
        for mode in options.modes.split(","):
            row = _measure(options, script, mode)
            print(f"{row['mode']:<11} {row['requests']:>9} {row['hits']:>9} {row['misses']:>7} {row['other']:>6} "
                  f"{row['hit_rate']:>8.2f}% {row['rps']:>8.0f} {row['approved']:>9}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

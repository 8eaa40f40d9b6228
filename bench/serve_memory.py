"""Memory of each ``pressclub serve`` worker after a day's mix of requests on a generated site.

Usage::

    python bench/serve_memory.py [--stories 10000] [--requests 10000] [--workers 2] [--threads N]
    python bench/serve_memory.py --database-url postgres://postgres@127.0.0.1:5432/DB \\
        --redis-url redis://127.0.0.1:6379/N [--stories 10000]

Without ``--database-url`` the site runs on SQLite in a new directory (the default production
setup); with it, on that database (a scratch one: the bench empties its page tree, comments, labels
and authors) and, with ``--redis-url``, Redis as the cache and session cache. The bench migrates,
generates the site of ``bench/archive.py`` (``--stories`` stories across 7 sections, 40 labels and
10 authors, about 5 comments a story, a quarter in Nepali, Hindi or Bengali) and ``--members``
members each signed in through a session made for them, then starts ``pressclub serve`` with the
production settings and sends ``--requests`` GET requests from ``--clients`` connections at once,
in a fixed random order, each from its own address (``X-Forwarded-For``, the server trusting the
bench as its proxy):

- 70 % anonymous: an article (six in seven) or the front page;
- 20 % a signed-in member reading an article;
- 10 % a section page (with ``?page=N`` now and then), a label page or a search (English or Indic).

Articles are drawn from the whole site, the newest more often. Prints the answers by status, the
requests per second, then for each serve worker process (the children of granian's main process)
its resident set size (``VmRSS`` in ``/proc/<pid>/status``) before the first and after the last
request, and its peak (``VmHWM``), in MB. Budget (DESIGN.md): each worker ≤ 150 MB after 10,000
requests. The exit status is 1 when a worker is over it or an answer was a 5xx.
"""

import argparse
import http.client
import json
import random
import secrets
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from production_site import (
    add_site_arguments,
    free_port,
    inside_step,
    make_var_dir,
    pressclub_command,
    production_env,
    run_step,
    serving,
    signed_in_session,
)

REPO = Path(__file__).resolve().parents[1]
BUDGET_MB = 150
SEARCHES = ["council", "landslide bridge", "market", "नगरपालिका", "बजट", "সড়ক", "monsoon"]


def _env(options) -> dict:
    return production_env(options, "serve-memory")


def _manage(options, *args) -> None:
    run_step(_env(options), options.var_dir, pressclub_command(*args), f"pressclub {' '.join(args)}")


def _inside(options, *args) -> dict:
    """Run this script's ``--inside`` step under the production settings; return its JSON answer."""
    return inside_step(_env(options), options.var_dir, __file__, *args)


def inside(args: list[str]) -> dict:
    """``setup STORIES MEMBERS``, run in Django: the site (``archive.generate``), members and their
    sessions; return the URLs to request and the session keys."""
    import django

    django.setup()
    sys.path.insert(0, str(REPO / "bench"))
    from archive import generate, reset_database

    from pressclub.news.models import ArticlePage, Label, SectionPage
    from pressclub.testing import factories

    stories, members = int(args[1]), int(args[2])
    reset_database()
    site = generate(stories)
    articles = list(ArticlePage.objects.live().order_by("-first_published_at").values_list("url_path", flat=True))
    home_path = ArticlePage.objects.live().first().get_site().root_page.url_path
    articles = [path[len(home_path) - 1:] for path in articles]  # "/local/slug/" from "/home/local/slug/"
    sections = [section.url for section in SectionPage.objects.live()]
    labels = [f"/label/{slug}/" for slug in Label.objects.values_list("slug", flat=True)]
    run = secrets.token_hex(3)
    sessions = [
        signed_in_session(factories.create_user(f"memory-{run}-{number}@example.org", f"Reader {number}",
                                                membership="active", password=None))
        for number in range(members)
    ]
    return {"articles": articles, "sections": sections, "labels": labels, "sessions": sessions,
            "comments": site["comments"], "seconds": site["seconds"]}


def plan(site: dict, count: int, seed: int = 20261206) -> list[tuple[str, str | None]]:
    """Return ``count`` requests ``(path, session key or None)`` in the mix of the module docstring."""
    rng = random.Random(seed)
    articles = site["articles"]

    def article() -> str:
        # The newest stories are read most: an exponential draw over the site, newest first.
        return articles[min(int(rng.expovariate(1 / max(len(articles) / 20, 1))), len(articles) - 1)]

    requests = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.70:
            requests.append(("/" if rng.random() < 1 / 7 else article(), None))
        elif kind < 0.90:
            requests.append((article(), rng.choice(site["sessions"])))
        else:
            other = rng.random()
            if other < 0.4:
                section = rng.choice(site["sections"])
                requests.append((section if rng.random() < 0.7 else f"{section}?page={rng.randint(2, 20)}", None))
            elif other < 0.7:
                requests.append((rng.choice(site["labels"]), None))
            else:
                requests.append((f"/search/?q={urllib.parse.quote(rng.choice(SEARCHES))}", None))
    return requests


def _children(pid: int) -> list[int]:
    """Return the pids of the processes whose parent is ``pid`` (from ``/proc/<pid>/stat``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) may hold spaces; the parent pid is the second field after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _memory(pid: int) -> dict[str, float]:
    """Return ``{"VmRSS": MB, "VmHWM": MB}`` of process ``pid``."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) / 1024  # kB
    return out


def send(port: int, requests: list[tuple[str, str | None]], clients: int) -> dict:
    """Send ``requests`` from ``clients`` keep-alive connections; return counts by status and seconds."""
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    queue = iter(enumerate(requests))

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            number, (path, session) = item
            # Each request from its own address, as readers behind a proxy: the search rate limit
            # per address is not what is measured.
            headers = {"Host": "localhost", "Accept-Language": "en", "Accept-Encoding": "gzip",
                       "X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"}
            if session:
                headers["Cookie"] = f"sessionid={session}"
            try:
                conn.request("GET", urllib.parse.quote(path, safe="/?=&%"), headers=headers)
                response = conn.getresponse()
                response.read()
                key = str(response.status)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                key = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            with lock:
                statuses[key] = statuses.get(key, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"statuses": statuses, "seconds": time.perf_counter() - began}


def main() -> int:
    """Run the bench with the command-line options; print the figures; return 0 within budget."""
    if sys.argv[1:2] == ["--inside"]:
        print(json.dumps(inside(sys.argv[2:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000, help="stories of the generated site (default 10,000)")
    parser.add_argument("--requests", type=int, default=10_000, help="requests to send (default 10,000)")
    parser.add_argument("--members", type=int, default=50, help="signed-in members taking turns (default 50)")
    parser.add_argument("--clients", type=int, default=4, help="connections sending at once (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="pressclub serve --workers (default 2)")
    parser.add_argument("--threads", type=int, default=None, help="pressclub serve --threads")
    add_site_arguments(parser)
    options = parser.parse_args()
    make_var_dir(options, "pressclub-memory-")
    database = "PostgreSQL" if options.database_url else "SQLite"
    print(f"serve_memory: {options.stories:,} stories, {options.requests:,} requests, {options.workers} workers, "
          f"{database}{' + Redis' if options.redis_url else ''}, var {options.var_dir}", flush=True)

    _manage(options, "migrate", "--verbosity", "0")
    started = time.perf_counter()
    site = _inside(options, "setup", str(options.stories), str(options.members))
    print(f"  site: {len(site['articles']):,} articles, {site['comments']:,} comments, {len(site['sections'])} "
          f"sections, {len(site['labels'])} labels, {len(site['sessions'])} members "
          f"(made in {time.perf_counter() - started:.0f} s)", flush=True)
    requests = plan(site, options.requests)
    port = free_port()
    with serving(_env(options), options.var_dir, port, workers=options.workers, threads=options.threads) as server:
        time.sleep(2)  # every worker up
        workers = _children(server.pid)
        before = {pid: _memory(pid) for pid in workers}
        result = send(port, requests, options.clients)
        after = {pid: _memory(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
    statuses = result["statuses"]
    print(f"  answers: {', '.join(f'{key} × {n:,}' for key, n in sorted(statuses.items()))}; "
          f"{options.requests / result['seconds']:.0f} req/s over {result['seconds']:.1f} s")
    print(f"  worker RSS (MB), budget {BUDGET_MB}:")
    over = False
    for pid in workers:
        if pid not in after:
            print(f"    pid {pid}: gone (restarted during the run)")
            over = True
            continue
        print(f"    pid {pid}: {before[pid]['VmRSS']:.0f} before, {after[pid]['VmRSS']:.0f} after "
              f"{options.requests:,} requests (peak {after[pid]['VmHWM']:.0f})")
        over = over or after[pid]["VmRSS"] > BUDGET_MB
    errors = sum(n for key, n in statuses.items() if not key.isdigit() or int(key) >= 500)
    print("  within budget:", "no" if over else "yes", "" if not errors else f"({errors} errors)")
    return 1 if over or errors else 0


if __name__ == "__main__":
    sys.exit(main())

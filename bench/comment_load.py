"""Many members posting a comment at once through the real form, against ``pressclub serve``.

Usage::

    python bench/comment_load.py [--members 500] [--workers 2] [--threads N]
    python bench/comment_load.py --database-url postgres://postgres@127.0.0.1:5432/DB \\
        --redis-url redis://127.0.0.1:6379/N [--members 500]

Without ``--database-url`` the site runs on SQLite in a new directory (the default production
setup); with it, on that database (a scratch one: the bench rebuilds its page tree) and, with
``--redis-url``, Redis as the cache and session cache. The bench migrates, builds an article and N
members (each signed in through a session made for them), starts ``pressclub serve`` with the
production settings, then for every member, each on its own connection: GETs the article page
(the form's CSRF token, idempotency key and start time), waits until every form is at least
3 seconds old (the form's "faster than anyone can type" check), and POSTs the comment, all N at
once. Each member posts from their own address (``X-Forwarded-For``, the server trusting the bench
as its proxy), as readers behind nginx do, so the per-address net is not what is measured.

Prints: sent, answered 303 (stored), other 4xx, 5xx, connection errors, comments stored, lost (sent
and not stored), duplicates (a body stored twice), and the POST latency (p50, p99, max) and the wall
time of the burst.
"""

import argparse
import http.client
import json
import re
import secrets
import statistics
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
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
FORM = re.compile(r'<form method="post" action="(/comments/post/\d+/)" class="comment-form">(.*?)</form>', re.S)


def _env(options) -> dict:
    return production_env(options, "comment-load")


def _manage(options, *args) -> str:
    return run_step(_env(options), options.var_dir, pressclub_command(*args), f"pressclub {' '.join(args)}")


def _inside(options, *args) -> dict:
    """Run this script's ``--inside`` step under the production settings; return its JSON answer."""
    return inside_step(_env(options), options.var_dir, __file__, *args)


def inside(args: list[str]) -> dict:
    """Steps that run in Django: ``setup RUN N`` (article, members, sessions) and ``count RUN``."""
    import django

    django.setup()
    from django.db.models import Count

    from pressclub.comments.models import Comment
    from pressclub.news.models import ArticlePage, SectionPage
    from pressclub.testing import factories

    step, run = args[0], args[1]
    if step == "count":
        rows = Comment.objects.filter(body__startswith=f"Load {run} ")
        by_body = rows.values("body").annotate(n=Count("id"))
        return {"stored": rows.count(), "duplicates": sum(row["n"] - 1 for row in by_body if row["n"] > 1),
                "statuses": dict(rows.values_list("status").annotate(n=Count("id")))}
    members = int(args[2])
    section = SectionPage.objects.filter(slug="local").first()
    if section is None:
        section = factories.add_section(factories.build_home_page())
    article = factories.publish_article(section, title=f"Load test {run}", when=factories.utc(2026, 3, 14),
                                        body=[("paragraph", "<p>The council met on Tuesday.</p>")])
    sessions = [
        signed_in_session(factories.create_user(f"load-{run}-{number}@example.org", f"Reader {run} {number}",
                                                membership="active", password=None))
        for number in range(members)
    ]
    assert ArticlePage.objects.filter(pk=article.pk).exists()
    return {"url": article.url, "sessions": sessions}


class Member:
    """One member's connection: GET the form, then POST it when told."""

    def __init__(self, number: int, session: str, port: int, url: str, run: str):
        self.number, self.session, self.port, self.url, self.run = number, session, port, url, run
        self.status: int | str | None = None
        self.seconds = 0.0
        self.form: dict | None = None
        self.action = ""
        self.cookies = f"sessionid={session}"

    def _connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)

    def _headers(self) -> dict:
        return {"Cookie": self.cookies,
                "X-Forwarded-For": f"10.{self.number // 65536}.{self.number // 256 % 256}.{self.number % 256}"}

    def get_form(self) -> None:
        conn = self._connection()
        try:
            conn.request("GET", urllib.parse.quote(self.url), headers=self._headers())
            response = conn.getresponse()
            html = response.read().decode()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                    self.cookies += "; " + value.split(";", 1)[0]
            match = FORM.search(html)
            if response.status != 200 or not match:
                self.status = f"GET {response.status}, no form"
                return
            self.action = match.group(1)
            self.form = dict(HIDDEN_INPUT.findall(match.group(2)))
        except OSError as exc:
            self.status = f"GET {type(exc).__name__}"
        finally:
            conn.close()

    def post(self, start: threading.Event) -> None:
        body = urllib.parse.urlencode({**self.form, "body": f"Load {self.run} comment {self.number}.", "homepage": ""})
        conn = self._connection()
        try:
            conn.connect()
            start.wait()
            began = time.perf_counter()
            conn.request("POST", self.action, body=body, headers={
                **self._headers(), "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{self.port}"})
            response = conn.getresponse()
            response.read()
            self.seconds = time.perf_counter() - began
            self.status = response.status
        except OSError as exc:
            self.status = f"POST {type(exc).__name__}"
        finally:
            conn.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    """Run the bench with the command-line options; print the figures; return 0 when none were lost."""
    if sys.argv[1:2] == ["--inside"]:
        print(json.dumps(inside(sys.argv[2:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=500, help="members posting at once (default 500)")
    parser.add_argument("--workers", type=int, default=2, help="pressclub serve --workers (default 2)")
    parser.add_argument("--threads", type=int, default=None, help="pressclub serve --threads")
    add_site_arguments(parser)
    options = parser.parse_args()
    make_var_dir(options, "pressclub-load-")
    run = secrets.token_hex(3)
    database = "PostgreSQL" if options.database_url else "SQLite"
    print(f"comment_load: {options.members} members, {database}{' + Redis' if options.redis_url else ''}, "
          f"var {options.var_dir}", flush=True)

    _manage(options, "migrate", "--verbosity", "0")
    site = _inside(options, "setup", run, str(options.members))
    port = free_port()
    with serving(_env(options), options.var_dir, port, workers=options.workers, threads=options.threads):
        members = [Member(number, session, port, site["url"], run) for number, session in enumerate(site["sessions"])]
        threads = [threading.Thread(target=member.get_form) for member in members]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        forms_done = time.monotonic()
        ready = [member for member in members if member.form is not None]
        time.sleep(max(0.0, 3.5 - (time.monotonic() - forms_done)))
        start = threading.Event()
        threads = [threading.Thread(target=member.post, args=(start,)) for member in ready]
        for thread in threads:
            thread.start()
        time.sleep(1)  # every connection open
        began = time.perf_counter()
        start.set()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    counted = _inside(options, "count", run)
    statuses = [member.status for member in members]
    times = [member.seconds for member in ready if member.status == 303]
    sent = len(ready)
    figures = {
        "members": len(members),
        "forms fetched": sent,
        "sent": sent,
        "303 stored": statuses.count(303),
        "other 4xx": sum(1 for s in statuses if isinstance(s, int) and 400 <= s < 500),
        "5xx": sum(1 for s in statuses if isinstance(s, int) and s >= 500),
        "connection errors": sum(1 for s in statuses if isinstance(s, str)),
        "stored": counted["stored"],
        "lost": sent - counted["stored"] + counted["duplicates"],
        "duplicates": counted["duplicates"],
        "statuses stored": counted["statuses"],
    }
    for name, value in figures.items():
        print(f"  {name:<18} {value}")
    if times:
        print(f"  POST latency       p50 {statistics.median(times) * 1000:.0f} ms, "
              f"p99 {_percentile(times, 0.99) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    print(f"  burst wall time    {wall:.2f} s ({sent / wall:.0f} posts/s)")
    other = sorted({str(s) for s in statuses if s != 303})
    if other:
        print(f"  other answers      {', '.join(other)}")
    return 0 if figures["lost"] == 0 and figures["5xx"] == 0 and figures["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

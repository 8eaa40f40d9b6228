"""Measure comment submission and the article page with comments.

Usage: ``python bench/comment_submit.py [-n 500] [--smtp-delay 3] [--redis redis://127.0.0.1:6379/12]``.
Runs against the test settings: an in-memory SQLite database, or PostgreSQL when ``DATABASE_URL`` is
set (a scratch database ``test_<name>`` is created and dropped, as the test runner does). With
``--redis URL``, the cache and sessions are production's (Redis at URL, whose database is emptied
first; sessions ``cached_db``; the page cache on for ``PRESSCLUB_PAGE_CACHE_SECONDS``), and the
article page is not measured. Prints:

- ``comment_submit`` (the service, called directly by a member): median and p99 over N submissions;
- the POST view (``/comments/post/<id>/`` through Django's middleware, as a logged-in member,
  303 redirect included): median and p99 over N posts; then the SQL queries of one more such post
  (and with ``--redis``, the Redis round trips per post over the N posts);
- the article page as a logged-in member with 5, 200 and 500 approved comments: SQL queries,
  server time (warm) and HTML size.

With ``--smtp-delay SECONDS``, an SMTP server (aiosmtpd, in this process) answers each message after
that delay, tasks wait in the database (django-tasks-db, as in production) and e-mail goes through the
outbox; every timed POST is a reply whose parent's author wants reply notices, so each one queues an
e-mail task (no worker runs during the timings; the tests show the worker sending).

Times are given as wall-clock and as CPU time of this process; on a busy machine the CPU figure
is the one to compare.

The site's rate limits are raised for the run so that the limiter's cost is measured without
refusing the flood of test comments (every call still counts against it).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


class Timer:
    """Collect wall-clock and CPU (process) time of repeated calls; CPU time resists a busy machine."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def __enter__(self):
        self._w, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall.append(time.perf_counter() - self._w)
        self.cpu.append(time.process_time() - self._c)

    def summary(self):
        return (f"wall median {ms(statistics.median(self.wall))}, p99 {ms(percentile(self.wall, 99))}; "
                f"CPU median {ms(statistics.median(self.cpu))}, p99 {ms(percentile(self.cpu, 99))}")


def build_site():
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Site

    from pressclub.comments.models import CommentPolicySettings
    from pressclub.members.models import Membership
    from pressclub.news.models import ArticlePage, HomePage, SectionPage

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    Site.objects.all().delete()
    home = root.add_child(instance=HomePage(title="Valley Press Club News", slug="home"))
    site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    section = home.add_child(instance=SectionPage(title="Local", slug="local"))
    article = ArticlePage(title="Council approves new footbridge over the Seti", dateline="POKHARA",
                          body=[("paragraph", "<p>The municipal council voted 14 to 3 on Tuesday.</p>")])
    section.add_child(instance=article)
    article.save_revision().publish()
    policy = CommentPolicySettings.for_site(site)
    policy.rate_per_minute = policy.rate_per_hour = 10_000
    policy.save()
    users = []
    for i in range(10):
        user = get_user_model().objects.create_user(email=f"m{i}@example.org", password="x", display_name=f"M {i}")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Membership.objects.create(user=user, status="active")
        users.append(user)
    return ArticlePage.objects.get(pk=article.pk), users


def bench_service(article, users, n):
    from pressclub.comments.services import comment_submit

    started = timezone.now() - dt.timedelta(minutes=1)
    timer = Timer()
    for i in range(n):
        user = users[i % len(users)]
        with timer:
            comment_submit(user=user, page=article, body=f"Point {i}: the bridge needs *lights*.",
                           idempotency_key=f"svc-{i}", ip=f"203.0.113.{i % 250}", form_started_at=started)
    return timer


def redis_calls(redis_url):
    """Return the round trips this process has made to Redis so far (a pipeline counts once)."""
    return CountingConnection.round_trips if redis_url else 0


def counting_connection_class():
    """Return a redis-py ``Connection`` class counting each packet of commands it sends (a round trip)."""
    import redis

    class Counting(redis.Connection):
        round_trips = 0

        def send_packed_command(self, command, check_health=True):
            type(self).round_trips += 1
            return super().send_packed_command(command, check_health)

    return Counting


CountingConnection = None


def bench_view(article, users, n, *, parent_id="", redis_url=None):
    from pressclub.comments.tokens import started_token

    client = Client()
    client.force_login(users[0])
    token = started_token(timezone.now() - dt.timedelta(minutes=1))
    url = f"/comments/post/{article.pk}/"

    def post(i):
        data = {"body": f"View point {i} about the bridge.", "idempotency_key": f"view-{i}", "started": token,
                "homepage": "", "parent": parent_id}
        response = client.post(url, data)
        assert response.status_code == 303, response.status_code

    timer = Timer()
    calls = redis_calls(redis_url) if redis_url else 0
    for i in range(n):
        with timer:
            post(i)
    if redis_url:
        timer.redis_per_post = (redis_calls(redis_url) - calls) / n
    with CaptureQueriesContext(connection) as queries:
        post(n)
    timer.queries = len(queries.captured_queries)
    return timer


def view_summary(timer):
    redis_part = f", {timer.redis_per_post:.1f} Redis round trips" if hasattr(timer, "redis_per_post") else ""
    return f"{timer.summary()}\n  per post: {timer.queries} SQL queries{redis_part}"


def use_redis(url):
    """Use production's cache and sessions: Redis at ``url`` (emptied first), sessions ``cached_db``,
    the page cache on."""
    import redis
    from django.test import override_settings

    from pressclub.settings.base import PRESSCLUB_PAGE_CACHE_SECONDS, REDIS_CACHE_OPTIONS

    global CountingConnection
    CountingConnection = counting_connection_class()
    redis.Redis.from_url(url).flushdb()
    options = {**REDIS_CACHE_OPTIONS, "CONNECTION_POOL_KWARGS": {"connection_class": CountingConnection}}
    override_settings(
        CACHES={"default": {"BACKEND": "pressclub.core.redis_cache.RedisCache", "LOCATION": url,
                            "OPTIONS": options}},
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        PRESSCLUB_PAGE_CACHE_SECONDS=PRESSCLUB_PAGE_CACHE_SECONDS,
    ).enable()


def fill(article, users, count):
    from pressclub.comments.models import Comment
    from pressclub.comments.services import thread_forget
    from pressclub.comments.text import render_body

    Comment.objects.all().delete()
    start = timezone.now() - dt.timedelta(days=1)
    rows = []
    for i in range(count):
        body = f"Comment {i}: a fair point about the footbridge, with *emphasis* and a [link](https://example.org/{i})."
        rows.append(Comment(page=article, user=users[i % len(users)], body=body, body_html=render_body(body),
                            status="approved", created_at=start + dt.timedelta(seconds=i)))
    Comment.objects.bulk_create(rows)
    ids = list(Comment.objects.order_by("pk").values_list("pk", flat=True))
    for j in range(3, len(ids), 4):  # every fourth comment is a reply
        Comment.objects.filter(pk=ids[j]).update(parent_id=ids[j - 1])
    # Rows written in bulk bypass the comment services, which would drop the cached thread.
    thread_forget(page_id=article.pk)


def bench_page(article, users, count, repeats=30):
    fill(article, users, count)
    client = Client()
    client.force_login(users[1])
    client.get(article.url)  # warm Wagtail's caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    query_count = len(queries.captured_queries)  # read now: the next request resets the query log
    assert f"{count} Responses" in response.content.decode(), count
    timer = Timer()
    for _ in range(repeats):
        with timer:
            client.get(article.url)
    return query_count, timer, len(response.content)


def smtp_outbox(delay):
    """Start an SMTP server answering after ``delay`` seconds; send the site's e-mail to it through the
    outbox, with tasks in the database. Return the server."""
    from django.test import override_settings

    from pressclub.mail.tests.smtp import SmtpServer

    server = SmtpServer(delay=delay).__enter__()
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
        EMAIL_BACKEND="pressclub.mail.backends.OutboxBackend",
        PRESSCLUB_MAIL_TRANSPORT="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=server.port, EMAIL_TIMEOUT=30,
    ).enable()
    return server


def bench_replies_with_slow_smtp(article, users, n, server, redis_url=None):
    from django_tasks_db.models import DBTaskResult

    from pressclub.comments.models import Comment

    parent = Comment.objects.create(page=article, user=users[1], body="Who pays for the lights?",
                                    body_html="<p>Who pays for the lights?</p>", status="approved",
                                    notify_on_reply=True)
    timer = bench_view(article, users, n, parent_id=str(parent.pk), redis_url=redis_url)
    print(f"POST /comments/post/ (reply, SMTP answering in {server.delay:g} s): {view_summary(timer)}")
    print(f"  tasks queued by the posts: {DBTaskResult.objects.filter(status='READY').count()}; "
          f"e-mails sent during the posts: {len(server.messages)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="submissions to time (default 500)")
    parser.add_argument("--smtp-delay", type=float, default=None, metavar="SECONDS",
                        help="time reply posts with an SMTP server that answers after SECONDS (and nothing else)")
    parser.add_argument("--redis", default=None, metavar="URL",
                        help="cache and sessions in Redis at URL, as in production (its database is emptied)")
    args = parser.parse_args()
    if args.redis:
        use_redis(args.redis)

    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        article, users = build_site()
        db = connection.vendor
        print(f"database: {db}{'; cache and sessions in Redis' if args.redis else ''}; {args.n} submissions each")
        if args.smtp_delay is not None:
            server = smtp_outbox(args.smtp_delay)
            try:
                bench_replies_with_slow_smtp(article, users, args.n, server, redis_url=args.redis)
            finally:
                server.__exit__(None, None, None)
            return
        print(f"comment_submit (service): {bench_service(article, users, args.n).summary()}")
        print(f"POST /comments/post/ (view): {view_summary(bench_view(article, users, args.n, redis_url=args.redis))}")
        if args.redis:
            return  # the article page's figures are for the test settings (with the page cache off)
        for count in (5, 200, 500):
            queries, timer, size = bench_page(article, users, count)
            print(f"article page, {count} comments: {queries} queries, HTML {size / 1024:.1f} KB; "
                  f"{timer.summary()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

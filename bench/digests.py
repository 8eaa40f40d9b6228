"""Measure sending followers' digests: 10,000 followers, through the outbox, to a local SMTP sink.

Usage: ``python bench/digests.py [-n 10000] [--stories 12]``. Runs against the test settings: an
in-memory SQLite database, or PostgreSQL when ``DATABASE_URL`` is set (a scratch database
``test_<name>`` is created and dropped). Tasks wait in the database (django-tasks-db) and e-mail
goes through the outbox, as in production; an SMTP server (aiosmtpd, in a thread of this process)
accepts every message and only counts it.

N followers are made (a third follow the whole site, a third one of three sections, a third one of
two authors) and a dozen stories published in the last day, two in Nepali and one in Bengali. Then:

1. ``send-digests`` (``follows.digests.digests_send``) writes each follower's digest into the outbox;
2. the worker (django-tasks-db's ``db_worker --batch``, what ``pressclub worker`` runs) delivers
   them, one SMTP conversation per message.

Prints the time of each step, the messages the sink received, messages per second over both steps,
and the process's peak resident memory. A second ``send-digests`` of the same day is run at the end
and must add nothing (every follower's digest for the period was sent).
"""

import argparse
import datetime as dt
import io
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402


class Sink:
    """An SMTP handler that accepts every message and counts it (keeps nothing)."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.count += 1
        return "250 Message accepted for delivery"


def build(n: int, stories: int):
    """Make the site, ``stories`` stories of the last day and ``n`` confirmed daily followers."""
    from pressclub.follows.models import Follow, Follower
    from pressclub.testing.factories import add_section, build_home_page, create_author, publish_article

    now = timezone.now()
    home = build_home_page()
    sections = [add_section(home, title=t, slug=t.lower()) for t in ("Local", "Hills", "World")]
    authors = [create_author(name="Asha Gurung"), create_author(name="Binod Thapa")]
    titles = {0: ("पोखरामा नयाँ पुल", "ne", "वडा अध्यक्षले भने।"), 1: ("পাহাড়ে নতুন রাস্তা", "bn", "কাজ শুরু হবে বর্ষার পরে।"),
              2: ("कालिमगाउँमा पुस्तकालय खुल्यो", "ne", "")}
    for i in range(stories):
        title, language, dek = titles.get(i, (f"Council story number {i}", "en", "Work is to start after the monsoon."))
        publish_article(sections[i % 3], title=title, language=language, dek=dek,
                        authors=[authors[i % 2]], when=now - dt.timedelta(hours=i + 1))
    since = now - dt.timedelta(days=1, hours=1)
    Follower.objects.bulk_create(
        Follower(email=f"reader{i}@example.org", confirmed_at=since, digest_since=since) for i in range(n)
    )
    follows = []
    for i, pk in enumerate(Follower.objects.order_by("pk").values_list("pk", flat=True)):
        kind = ("site", "section", "author")[i % 3]
        target = {"section": {"section": sections[i % 3]}, "author": {"author": authors[i % 2]}}.get(kind, {})
        follows.append(Follow(follower_id=pk, kind=kind, confirmed_at=since, **target))
    Follow.objects.bulk_create(follows, batch_size=2000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="followers (default 10000)")
    parser.add_argument("--stories", type=int, default=12, help="stories of the last day (default 12)")
    args = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    sink = Sink()
    from pressclub.mail.tests.smtp import free_port

    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
            EMAIL_BACKEND="pressclub.mail.backends.OutboxBackend",
            PRESSCLUB_MAIL_TRANSPORT="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_TIMEOUT=30,
            PRESSCLUB_BASE_URL="https://news.example.org",
        ):  # fmt: skip
            build(args.n, args.stories)
            print(f"database: {connection.vendor}; {args.n} followers, {args.stories} stories")
            start = time.perf_counter()
            out = io.StringIO()
            call_command("send_digests", "--frequency", "daily", stdout=out)
            queued = time.perf_counter()
            print(f"send-digests: {queued - start:.1f} s — {out.getvalue().strip()}")
            call_command("db_worker", queue_name="*", batch=True, interval=0, startup_delay=False, reload=False,
                         verbosity=0, stdout=io.StringIO())
            done = time.perf_counter()
            print(f"worker delivery: {done - queued:.1f} s, {sink.count} messages received by the SMTP sink")
            total = done - start
            print(f"total: {total:.1f} s, {sink.count / total:.0f} messages/s "
                  f"(delivery alone {sink.count / (done - queued):.0f}/s)")
            again = io.StringIO()
            call_command("send_digests", "--frequency", "daily", stdout=again)
            print(f"second run of the day: {again.getvalue().strip()}")
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"peak RSS: {peak_kb / 1024:.0f} MB")
    finally:
        controller.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    settings.ALLOWED_HOSTS = ["*"]
    main()

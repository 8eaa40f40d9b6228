"""Measure sending followers' digests: 10,000 followers, through the outbox, to a local SMTP sink.

Usage: ``python bench/digests.py [-n 10000] [--stories 12] [--workers 1] [--smtp-port N]``. Runs against the test
settings but for the database: SQLite in a scratch file with production's options (WAL,
``synchronous=NORMAL``: ``settings.base.SQLITE_OPTIONS``), or PostgreSQL when ``DATABASE_URL`` is set
(a scratch database ``test_<name>`` is created and dropped). Tasks wait in the database (django-tasks-db) and
e-mail goes through the outbox, as in production; an SMTP sink (aiosmtpd's ``Sink`` handler, in a
process of its own, as a real mail server would be) accepts every message and discards it.
``--workers N`` delivers with N worker processes at once, each running
tasks one at a time as ``pressclub worker`` does.

N followers are made (a third follow the whole site, a third one of three sections, a third one of
two authors) and a dozen stories published in the last day, two in Nepali and one in Bengali. Then:

1. ``send-digests`` (``follows.digests.digests_send``) writes each follower's digest into the outbox;
2. the worker (django-tasks-db's ``db_worker --batch``, what ``pressclub worker`` runs) delivers
   them, ``PRESSCLUB_MAIL_BATCH`` messages to a task and one SMTP conversation per task.

Prints the time of each step, the messages the outbox recorded as accepted by the sink, messages
per second over both steps, the CPU time each step took in pressclub's processes and in the sink
(per message, which a busy machine changes less than the rates), and the peak resident memory of this
process (which also ran the first worker) and of the other workers. A second ``send-digests`` of the same day is run at the end
and must add nothing (every follower's digest for the period was sent).
"""

import argparse
import datetime as dt
import io
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")

import django  # noqa: E402

django.setup()

if not os.environ.get("DATABASE_URL"):
    # The test settings' SQLite is in memory, and no other process can open it. A file, as production
    # has it, which the worker processes share (they inherit this variable).
    from pressclub.settings.base import SQLITE_OPTIONS

    if "PRESSCLUB_BENCH_SQLITE" not in os.environ:
        os.environ["PRESSCLUB_BENCH_SQLITE"] = str(Path(tempfile.mkdtemp(prefix="pressclub-digests-")) / "bench.sqlite3")
    _sqlite = os.environ["PRESSCLUB_BENCH_SQLITE"]
    # The dictionary Django's connections were configured with (the same object).
    _database = django.conf.settings.DATABASES["default"]
    _database.update(NAME=_sqlite, OPTIONS=SQLITE_OPTIONS)
    _database["TEST"]["NAME"] = _sqlite

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402


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
        Follower(email=f"reader{i}@example.org", confirmed_at=since) for i in range(n)
    )
    follows = []
    for i, pk in enumerate(Follower.objects.order_by("pk").values_list("pk", flat=True)):
        kind = ("site", "section", "author")[i % 3]
        target = {"section": {"section": sections[i % 3]}, "author": {"author": authors[i % 2]}}.get(kind, {})
        follows.append(Follow(follower_id=pk, kind=kind, confirmed_at=since, digest_since=since, **target))
    Follow.objects.bulk_create(follows, batch_size=2000)


MAIL_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    "EMAIL_BACKEND": "pressclub.mail.backends.OutboxBackend",
    "PRESSCLUB_MAIL_TRANSPORT": "pressclub.mail.transport.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_TIMEOUT": 30,
    "PRESSCLUB_BASE_URL": "https://news.example.org",
}


def deliver(port: int) -> None:
    """Run the worker over every waiting task, then exit (``db_worker --batch``)."""
    with override_settings(**MAIL_SETTINGS, EMAIL_PORT=port):
        call_command("db_worker", queue_name="*", batch=True, interval=0, startup_delay=False, reload=False,
                     verbosity=0, stdout=io.StringIO())


def start_sink(port: int) -> subprocess.Popen:
    """Start aiosmtpd's discarding ``Sink`` on 127.0.0.1:``port`` in its own process; return it once it listens."""
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "aiosmtpd.handlers.Sink"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return sink
        except OSError:
            time.sleep(0.1)
    sink.kill()
    raise SystemExit("The SMTP sink did not start.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="followers (default 10000)")
    parser.add_argument("--stories", type=int, default=12, help="stories of the last day (default 12)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes delivering (default 1)")
    parser.add_argument("--smtp-port", type=int, default=None, help="port of the SMTP sink (default: a free one)")
    parser.add_argument("--deliver-port", type=int, default=None, help=argparse.SUPPRESS)  # a worker process
    args = parser.parse_args()
    if args.deliver_port is not None:
        before = _cpu_seconds()
        deliver(args.deliver_port)
        print(_cpu_seconds() - before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return

    from pressclub.mail.models import OutgoingMail
    from pressclub.mail.tests.smtp import free_port

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    port = args.smtp_port or free_port()
    sink = start_sink(port)
    try:
        with override_settings(**MAIL_SETTINGS, EMAIL_PORT=port):
            build(args.n, args.stories)
            print(f"database: {connection.vendor}; {args.n} followers, {args.stories} stories, {args.workers} worker(s)")
            start, start_cpu = time.perf_counter(), _cpu_seconds()
            out = io.StringIO()
            call_command("send_digests", "--frequency", "daily", stdout=out)
            queued, queued_cpu, sink_cpu = time.perf_counter(), _cpu_seconds(), _cpu_seconds(sink.pid)
            print(f"send-digests: {queued - start:.1f} s ({args.n / (queued - start):.0f} digests/s into the outbox), "
                  f"CPU {(queued_cpu - start_cpu) / args.n * 1000:.2f} ms/digest — {out.getvalue().strip()}")
            others = []
            if args.workers > 1:
                env = dict(os.environ)
                if connection.vendor != "sqlite":
                    env["DATABASE_URL"] = _test_database_url()
                others = [subprocess.Popen([sys.executable, __file__, "--deliver-port", str(port)], env=env,
                                           stdout=subprocess.PIPE, text=True) for _ in range(args.workers - 1)]
            deliver(port)
            done_cpu = _cpu_seconds()
            reports = [p.communicate()[0].split()[-2:] for p in others]  # CPU seconds, peak RSS (KB)
            other_rss = [int(kb) for _, kb in reports]
            done = time.perf_counter()
            delivery_cpu = done_cpu - queued_cpu + sum(float(cpu) for cpu, _ in reports)
            sink_cpu = _cpu_seconds(sink.pid) - sink_cpu
            sent = OutgoingMail.objects.filter(status="sent").count()
            print(f"worker delivery: {done - queued:.1f} s, {sent} messages accepted by the SMTP sink "
                  f"({sent / (done - queued):.0f}/s), CPU {delivery_cpu / max(sent, 1) * 1000:.2f} ms/message "
                  f"in the worker(s), {sink_cpu / max(sent, 1) * 1000:.2f} ms/message in the sink")
            total = done - start
            print(f"total: {total:.1f} s, {sent / total:.0f} messages/s")
            again = io.StringIO()
            call_command("send_digests", "--frequency", "daily", stdout=again)
            print(f"second run of the day: {again.getvalue().strip()}")
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"peak RSS: {peak_kb / 1024:.0f} MB (this process)"
              + "".join(f", {kb / 1024:.0f} MB (worker {i + 2})" for i, kb in enumerate(other_rss)))
    finally:
        sink.terminate()
        sink.wait(10)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if connection.vendor == "sqlite":
            shutil.rmtree(Path(os.environ["PRESSCLUB_BENCH_SQLITE"]).parent, ignore_errors=True)


def _cpu_seconds(pid: int | None = None) -> float:
    """Return the CPU time (user + system, seconds) this process, or process ``pid``, has used so far."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (proc(5))


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


if __name__ == "__main__":
    settings.ALLOWED_HOSTS = ["*"]
    main()

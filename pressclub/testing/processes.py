"""Work that tests run in processes of their own, on the database under ``PRESSCLUB_VAR_DIR``.

Run as ``python -m pressclub.testing.processes COMMAND`` with ``DJANGO_SETTINGS_MODULE`` and
``PRESSCLUB_VAR_DIR`` set. Each command migrates first (nothing to do on a copy of a migrated
database) and prints one JSON object:

- ``writers [--plain]``: many writers at once on one SQLite file (the admin's autosave, publishing,
  comment posts): ``{"locked": N, "errors": [...], "revisions": N, "comments": N, "seconds": S}``,
  where ``locked`` counts the writes that failed with SQLite's "database is locked". ``--plain``
  drops the SQLite OPTIONS of the settings (WAL, busy timeout, BEGIN IMMEDIATE), to measure what
  they prevent.
- ``site``: the front page, the footbridge story, and "Night bus to Pokhara restored", scheduled
  to go live 2 seconds later (``publish-scheduled`` then publishes it):
  ``{"article": URL, "go_live": UNIX_TIME}``.
"""

import datetime as dt
import json
import os
import sys
import threading
import time

WRITERS = 3  # threads of each kind
ROUNDS = 8  # writes per thread


def _prepare():
    """Migrate, and give a copied test database back the rows a flush may have removed; return the section."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Locale, Page

    from pressclub.testing import factories

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # building the tables need not survive a power cut
            cursor.execute("PRAGMA synchronous=OFF")
    call_command("migrate", verbosity=0, interactive=False)
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    section = factories.add_section(factories.build_home_page())
    connection.close()  # the writers' connections get the settings' PRAGMAs again
    return section


def site() -> dict:
    """Build the front page, the footbridge story and a story publish-scheduled publishes 2 s later."""
    from django.utils import timezone

    from pressclub.news.models import ArticlePage
    from pressclub.testing import factories

    section = _prepare()
    article = factories.publish_footbridge_story(section, factories.create_author())
    go_live = timezone.now() + dt.timedelta(seconds=2)
    due = ArticlePage(title="Night bus to Pokhara restored", go_live_at=go_live, live=False)
    section.add_child(instance=due)
    due.save_revision().publish()  # a go-live time in the future: scheduled, not live
    return {"article": article.url, "go_live": go_live.timestamp()}


def writers() -> dict:
    """Run autosaves, publishes and comment posts from several threads at once; return the summary."""
    from django.db import OperationalError, connection, transaction
    from django.utils import timezone
    from wagtail.models import Revision

    from pressclub.comments.models import Comment
    from pressclub.comments.services import comment_submit
    from pressclub.testing import factories

    section = _prepare()
    article = factories.publish_footbridge_story(section, factories.create_author())
    editor = factories.create_user("desk@example.org", "Desk", is_staff=True, is_superuser=True)
    members = [
        factories.create_user(f"reader{i}@example.org", f"Reader {i}", membership="active")
        for i in range(WRITERS * ROUNDS)
    ]
    connection.close()
    locked, errors = [], []
    start = threading.Barrier(WRITERS * 3)

    def run(work):
        def thread():
            start.wait()
            for number in range(ROUNDS):
                try:
                    work(number)
                except OperationalError as exc:
                    (locked if "locked" in str(exc) else errors).append(str(exc))
                except Exception as exc:  # reported, and the test fails on it
                    errors.append(f"{type(exc).__name__}: {exc}")
            connection.close()

        return thread

    def autosave(number):
        with transaction.atomic():
            page = type(article).objects.get(pk=article.pk)
            page.dek = f"Autosaved draft {number} at {time.monotonic()}"
            page.save_revision(user=editor, log_action=True)

    def publish(number):
        page = type(article).objects.get(pk=article.pk)
        page.dek = f"Published {number}"
        page.save_revision(user=editor).publish(user=editor)

    def post_comment(worker):
        def post(number):
            comment_submit(
                user=members[worker * ROUNDS + number],
                page=article,
                body=f"Comment {number} from reader {worker}.",
                ip="192.0.2.7",
                idempotency_key=f"key-{worker}-{number}",
                form_started_at=timezone.now() - dt.timedelta(seconds=30),
            )

        return post

    threads = [threading.Thread(target=run(autosave)) for _ in range(WRITERS)]
    threads += [threading.Thread(target=run(publish)) for _ in range(WRITERS)]
    threads += [threading.Thread(target=run(post_comment(worker))) for worker in range(WRITERS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "locked": len(locked),
        "errors": errors[:5],
        "revisions": Revision.objects.filter(object_id=str(article.pk)).count(),
        "comments": Comment.objects.filter(page=article).count(),
        "seconds": round(time.monotonic() - began, 2),
    }


def main(argv: list[str]) -> int:
    """Run the command ``argv[0]`` (``writers`` or ``site``), print its JSON answer, return 0 (2: unknown)."""
    import django
    from django.conf import settings

    command = argv[0] if argv else ""
    if command not in ("writers", "site"):
        print("usage: python -m pressclub.testing.processes writers [--plain] | site", file=sys.stderr)
        return 2
    if "--plain" in argv:
        settings.DATABASES["default"]["OPTIONS"] = {}
    django.setup()
    print(json.dumps(writers() if command == "writers" else site()))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.dev")
    sys.exit(main(sys.argv[1:]))

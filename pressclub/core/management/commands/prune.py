"""``pressclub prune``: delete old sent and failed e-mail and old task results. Run it daily."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    """Call each function of ``PRESSCLUB_PRUNE`` and print one line per kind of row it deleted.

    By default (settings/base.py): sent e-mail older than 30 days, failed e-mail older than 90 days
    (``mail.delivery.mail_prune``) and results of tasks finished more than 14 days ago
    (``core.workers.task_results_prune``). Output, one line each: ``Sent e-mail older than 30 days:
    12 deleted.``; with ``--dry-run``, ``…: 12 to delete.`` and nothing is deleted. Rows still in use
    (e-mail waiting or retrying, tasks waiting or running) are never deleted.
    """

    help = "Delete old sent and failed e-mail and finished task results (run it daily)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted; delete nothing")

    def handle(self, *args, dry_run: bool, **options):
        done = "to delete" if dry_run else "deleted"
        for path in settings.PRESSCLUB_PRUNE:
            for what, count in import_string(path)(dry_run=dry_run).items():
                self.stdout.write(f"{what[:1].upper()}{what[1:]}: {count} {done}.")

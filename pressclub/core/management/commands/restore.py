"""``pressclub restore FILE``: put a backup's database and media in place."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressclub.core.backup import BackupError, site_restore


class Command(BaseCommand):
    """Restore a backup made by ``pressclub backup`` into this site (stop the site first).

    Refuses a site that already holds a database or media unless ``--force`` is given. Raise
    CommandError with the reason when the file is missing, damaged, not a pressclub backup, or
    taken on another database engine.
    """

    help = "Restore the database and media from a backup made by 'pressclub backup' (stop the site first)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by 'pressclub backup'")
        parser.add_argument("--force", action="store_true",
                            help="replace this site's database and media when it already holds some")

    def handle(self, *args, **options):
        try:
            summary = site_restore(path=Path(options["file"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Restored the {summary.vendor} database ({sum(summary.rows.values())} rows in {len(summary.rows)} tables) "
            f"and {summary.media_files} media files from {options['file']}. "
            "Run 'pressclub migrate' if this pressclub is newer than the one that made the backup."
        )

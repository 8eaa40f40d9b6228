"""``pressclub backup FILE``: write the database and the media to one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressclub.core.backup import BackupError, site_backup


class Command(BaseCommand):
    """Write a backup (``.tar.gz``: manifest, database, media) to FILE; safe while the site runs.

    See :mod:`pressclub.core.backup` for the archive's format. Raise CommandError with the reason
    when the backup cannot be written.
    """

    help = "Back up the database and the media into one .tar.gz archive (safe while the site runs)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. /srv/backups/pressclub-2026-05-01.tar.gz")

    def handle(self, *args, **options):
        try:
            summary = site_backup(path=Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Backed up the {summary.vendor} database ({sum(summary.rows.values())} rows in {len(summary.rows)} tables) "
            f"and {summary.media_files} media files ({summary.media_bytes} bytes) to {options['file']}."
        )

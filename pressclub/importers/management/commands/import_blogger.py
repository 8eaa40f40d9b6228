"""``import_blogger FILE``: import a Blogger export (legacy Atom backup or Takeout feed.atom)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pressclub.importers.services import BloggerFormatError, BloggerImportError, blogger_import


class Command(BaseCommand):
    """Import posts, pages, labels, authors and comments from a Blogger export, with redirects.

    Prints a summary (posts, pages, drafts, labels, comments, replies, redirects, skipped entries
    with reasons). A progress bar is shown when the output is a terminal. Raise CommandError for a
    missing file, a directory, a file that is not a Blogger export, or a site without a front page.
    """

    help = "Import a Blogger export (legacy .xml backup or Takeout feed.atom). Safe to run again."

    def create_parser(self, prog_name, subcommand, **kwargs):
        """Name the command as the ``pressclub`` console script spells it in usage and errors."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.prog = "pressclub import-blogger"
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the Blogger export (.xml or feed.atom, plain or gzipped).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; keep nothing.")
        parser.add_argument(
            "--section", default="", help='Title of the section for the posts (default "From the archive").'
        )
        parser.add_argument(
            "--fetch-images", action="store_true", help="Copy the posts' images into the media library (needs network)."
        )

    def handle(self, *args, file, dry_run, section, fetch_images, **options):
        path = Path(file)
        if path.is_dir():
            raise CommandError(f"{file} is a directory, not a Blogger export file (.xml or feed.atom).")
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with self._progress() as progress:
            try:
                report = blogger_import(
                    source=path, dry_run=dry_run, section=section, fetch_images=fetch_images, progress=progress
                )
            except (BloggerFormatError, BloggerImportError) as exc:
                raise CommandError(str(exc)) from None
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved. The import would give:"))
        for line in report.summary_lines():
            self.stdout.write(line)
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Import finished."))

    def _progress(self):
        """Return a context manager giving a ``progress(done, total)`` callback (a bar on a terminal)."""
        stdout = self.stdout
        if not stdout.isatty():
            return _NoProgress()
        return _RichProgress()


class _NoProgress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


class _RichProgress:
    def __enter__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("Importing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
        )
        self.bar.start()
        self.task = self.bar.add_task("import", total=None)
        return self.update

    def update(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc):
        self.bar.stop()
        return False

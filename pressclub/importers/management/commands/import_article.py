"""``import_article FILE_OR_URL``: import a wire story from a news page as a draft article."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from pressclub.core.links import absolute_url
from pressclub.importers.article.extract import ArticleExtractionError
from pressclub.importers.article.services import ArticleAlreadyImported, ArticleImportError, article_import
from pressclub.importers.fetch import MAX_BYTES, ArticleFetchError, fetch_page
from pressclub.news.models import SectionPage


def admin_edit_url(page) -> str:
    """Return the absolute URL of ``page``'s edit view in the Wagtail admin."""
    return absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk]), admin=True)


def read_page_file(path: Path) -> bytes:
    """Return the bytes of the saved page at ``path``, reading at most 10 MB + 1 byte of it.

    Raise CommandError when the file is larger than 10 MB (``fetch.MAX_BYTES``, the limit of a page
    read from a URL) or cannot be read; a larger file is never read whole into memory.
    """
    too_large = f"{path}: the file is larger than {MAX_BYTES // 1024 // 1024} MB; a news page is smaller."
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(too_large)
        with path.open("rb") as page:
            html = page.read(MAX_BYTES + 1)
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error}).") from None
    if len(html) > MAX_BYTES:  # it grew since stat(), or is not a regular file's size
        raise CommandError(too_large)
    return html


class Command(BaseCommand):
    """Create a draft, syndicated ``ArticlePage`` from a news page (an .html/.html.gz file or a URL).

    ``--preeti`` converts text typed in the legacy Preeti font to Unicode Nepali.

    Prints the headline, bylines, outlet, the import notes (no byline, lead image not copied, Preeti
    text found or converted) and the admin edit URL where an editor reviews and
    publishes the draft. Raise CommandError for a missing file, a file or page over 10 MB (or a
    compressed one that unpacks past 10 MB), an unreachable URL, a page that is not an article, an
    unknown ``--section`` slug, a site without sections, or a story imported before (its edit URL
    is given).
    """

    help = "Import a wire story from a news page's HTML (file or URL) as a draft article."

    def create_parser(self, prog_name, subcommand, **kwargs):
        """Name the command as the ``pressclub`` console script spells it in usage and errors."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.prog = "pressclub import-article"
        return parser

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="FILE_OR_URL", help="An .html or .html.gz file, or an http(s) URL.")
        parser.add_argument(
            "--section", default="", help="Slug of the section for the draft (default: World, else the first section)."
        )
        parser.add_argument(
            "--url", default="", help="The page's original URL, when importing a saved file (resolves relative links)."
        )
        parser.add_argument(
            "--preeti",
            action="store_true",
            help="Convert text typed in the legacy Preeti font to Unicode Nepali (a note says when text looks like it).",
        )
        parser.add_argument("--timeout", type=float, default=15.0, help="Seconds to wait for a URL (default 15).")

    def handle(self, *args, source, section, url, timeout, preeti=False, **options):
        if source.lower().startswith(("http://", "https://")):
            try:
                html = fetch_page(source, timeout=timeout)
            except ArticleFetchError as error:
                raise CommandError(str(error)) from None
            url = url or source
        else:
            path = Path(source)
            if path.is_dir():
                raise CommandError(f"{source} is a directory, not a news page's HTML file (.html or .html.gz).")
            if not path.is_file():
                raise CommandError(f"No such file: {source}")
            html = read_page_file(path)
        target = None
        if section:
            target = SectionPage.objects.filter(slug=section).first()
            if target is None:
                known = ", ".join(SectionPage.objects.order_by("path").values_list("slug", flat=True)) or "none"
                raise CommandError(f"No section with the slug “{section}”. Sections: {known}.")
        try:
            page = article_import(html=html, source_url=url, section=target, preeti=preeti)
        except ArticleAlreadyImported as error:
            raise CommandError(f"{error} Edit it at {admin_edit_url(error.page)}") from None
        except (ArticleExtractionError, ArticleImportError) as error:
            raise CommandError(f"{source}: {error}") from None
        self.stdout.write(f"Headline: {page.title}")
        self.stdout.write(f"Bylines:  {page.original_bylines or '(none found)'}")
        self.stdout.write(f"Outlet:   {page.source_outlet or '(none found)'}")
        self.stdout.write(f"Section:  {page.get_parent().title}")
        for note in filter(None, page.import_notes.splitlines()):
            self.stdout.write(self.style.WARNING(f"Note: {note}"))
        self.stdout.write(self.style.SUCCESS(f"Draft created; review and publish it at {admin_edit_url(page)}"))

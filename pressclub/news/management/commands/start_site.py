"""``pressclub start-site "Valley News" [--address news.example.org] [--section News ...]``."""

from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from pressclub.news.site_setup import start_site


class Command(BaseCommand):
    """Create a new production site's front page and sections (``news.site_setup.start_site``),
    with no demo stories and no accounts; prints one line per thing created. Running it again
    creates nothing. Exits with an error for an empty name or section, or an address that is not
    ``host`` or ``host:port``."""

    help = "Create the site's front page (and sections) for a new site, without demo content or accounts."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the site's name, e.g. \"Valley News\" (the front page's title)")
        parser.add_argument("--address", default="", help="the address readers use: host or host:port (e.g. news.example.org:443)")
        parser.add_argument("--section", action="append", default=[], help="a section title; repeat for more")

    def handle(self, *args, name, address, section, **options):
        hostname, port = "", 0
        if address:
            try:
                parts = urlsplit(f"//{address}")
                hostname, port = parts.hostname or "", parts.port or 0
            except ValueError:  # a port out of range or not a number
                hostname = ""
            if "/" in address or "@" in address:  # a URL or credentials, not host[:port]
                hostname = ""
            if not hostname:
                raise CommandError(f"{address!r} is not an address: give a host name, or host:port (news.example.org:443).")
        try:
            created = start_site(title=name, hostname=hostname, port=port, sections=section)
        except ValueError as error:
            raise CommandError(str(error).capitalize() + ".") from None
        for line in created:
            self.stdout.write(f"Created: {line}")
        if not created:
            self.stdout.write("Nothing to create: the site has its front page and these sections.")

"""``manage.py load_demo`` (``pressclub load-demo``): load the Valley Press Club demo content."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from pressclub.demo import content
from pressclub.demo.services import demo_load, demo_site_address


class Command(BaseCommand):
    """Load the demo site: front page, 5 sections, 3 authors, 15 articles, About and Comment policy.

    Idempotent: objects are keyed by slug, so a second run creates nothing and says
    "Demo content already loaded." Afterwards runs ``load_demo_comments`` (unless ``--site-only``).
    """

    help = "Load the invented Valley Press Club demo content (idempotent) and create the demo editor."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-only",
            action="store_true",
            help="create only the front page, the site and the demo editor (e.g. before importing a blog)",
        )
        parser.add_argument(
            "--address",
            metavar="HOST:PORT",
            help="the address the demo is served on; the default site is pointed at it (sitemap URLs)",
        )

    def handle(self, *args, **options):
        address = None
        if options["address"]:
            hostname, _, port = options["address"].rpartition(":")
            if not hostname or not port.isdigit():
                raise CommandError(f"--address must look like 127.0.0.1:8000, not {options['address']!r}.")
            address = (hostname.strip("[]"), int(port))
        report = demo_load(site_only=options["site_only"])
        if address:
            demo_site_address(hostname=address[0], port=address[1])
        if report.created_anything:
            parts = [
                f"{count} {noun}"
                for count, noun in (
                    (report.site, "front page"),
                    (report.articles, "articles"),
                    (report.sections, "sections"),
                    (report.authors, "authors"),
                    (report.pages, "pages"),
                    (report.images, "images"),
                    (report.users, "newsroom accounts"),
                )
                if count
            ]
            self.stdout.write(self.style.SUCCESS(f"Loaded demo content: {', '.join(parts)}."))
            if report.users:
                for staff in content.STAFF:
                    self.stdout.write(f"Demo {staff.role}: {staff.email} (password {staff.password!r})")
        else:
            self.stdout.write("Demo content already loaded.")
        if not options["site_only"]:
            call_command("load_demo_comments", verbosity=options["verbosity"], stdout=self.stdout)

"""``manage.py load_demo_comments``: demo members and an approved comment thread on three demo stories."""

from django.core.management.base import BaseCommand

from pressclub.demo.comments import DEMO_PASSWORD, demo_comments_load


class Command(BaseCommand):
    """Create the demo members (active memberships) and their approved comments and replies.

    Idempotent: members are keyed by e-mail and comments by ``source_id`` ("demo:<key>"), so a
    second run creates nothing. Stories missing from the site are skipped. Run after ``load_demo``
    (which calls this command itself).
    """

    help = "Create demo members and an approved comment thread on three demo stories (idempotent)."

    def handle(self, *args, **options):
        report = demo_comments_load()
        if report["members"] or report["comments"]:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded demo comments: {report['members']} member(s), {report['comments']} comment(s) "
                f"on {report['articles']} article(s). Demo members log in with password {DEMO_PASSWORD!r}."
            ))
        elif report["articles"] == 0:
            self.stdout.write("No demo stories found; run load_demo first.")
        else:
            self.stdout.write("Demo comments already loaded.")

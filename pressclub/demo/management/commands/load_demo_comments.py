"""``manage.py load_demo_comments``: demo members and an approved comment thread on three demo stories."""

from django.core.management.base import BaseCommand

from pressclub.demo.comments import DEMO_PASSWORD, demo_comments_load


def _count(number: int, singular: str, plural: str = "") -> str:
    """Return "1 comment" / "6 comments": the number with its noun in the right number."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


class Command(BaseCommand):
    """Create the demo members (active memberships) and their approved comments and replies.

    Idempotent: members are keyed by e-mail and comments by ``source_id`` ("demo:<key>"), so a
    second run creates nothing. Stories missing from the site are skipped. Run after ``load_demo``
    (which calls this command itself).
    """

    help = "Create demo members and an approved comment thread on three demo stories (idempotent)."

    def handle(self, *args, **options):
        report = demo_comments_load()
        if report["members"] or report["requests"] or report["comments"]:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded demo comments: {_count(report['members'], 'member')}, "
                f"{_count(report['requests'], 'request to join', 'requests to join')}, "
                f"{_count(report['comments'], 'comment')} on {_count(report['articles'], 'story', 'stories')}. "
                f"Demo members sign in with password {DEMO_PASSWORD!r}."
            ))
        elif report["articles"] == 0:
            self.stdout.write("No demo stories found; run load_demo first.")
        else:
            self.stdout.write("Demo comments already loaded.")

"""``pressclub publish-scheduled``: Wagtail's ``publish_scheduled``, saying what it did.

Wagtail's command publishes revisions whose go-live time has come and unpublishes pages whose
expiry time has passed, silently. This one runs it and then prints one line per page published or
unpublished, with the page's address (``core.links.absolute_url``), and nothing when nothing was due,
so that a cron job mails only when something happened.
"""

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Page, Revision

from pressclub.core.links import absolute_url


def _label(page) -> str:
    url = absolute_url(page.get_url() or "", page=page)
    return f"“{page.title}” ({url})" if url else f"“{page.title}”"


class Command(WagtailCommand):
    """Publish pages whose go-live time has come and unpublish expired ones; report each page."""

    help = "Publish pages whose go-live time has come and unpublish expired ones, saying which."

    def handle(self, *args, **options):
        now = timezone.now()
        due = list(
            Revision.page_revisions.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at", "pk")
        )
        expiring = list(Page.objects.filter(live=True, expire_at__lt=now).order_by("expire_at", "pk"))
        super().handle(*args, **options)
        if options.get("dryrun"):
            return
        published = Page.objects.in_bulk([int(r.object_id) for r in due])
        for revision in due:
            page = published.get(int(revision.object_id))
            if page is not None and page.live:
                self.stdout.write(f"Published {_label(page)}")
        for page in expiring:
            page.refresh_from_db(fields=["live"])
            if not page.live:
                self.stdout.write(f"Unpublished {_label(page)}: its expiry time has passed")

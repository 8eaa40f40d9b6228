"""``pressclub send-digests``: put the followers' digests into the outbox (the worker's schedule runs it)."""

from django.core.management.base import BaseCommand

from pressclub.follows.digests import digests_send
from pressclub.follows.models import Frequency


class Command(BaseCommand):
    """Send the daily or weekly digest to every follower with something new (``follows.digests``).

    Prints one line: ``Daily digests for 2026-12-06: 12 sent, 3 with nothing new, 0 sent already.``
    Safe to run again in the same period: nobody gets a second digest.
    """

    help = "Send followers their digest of new stories (daily or weekly)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        """Name the command as the ``pressclub`` console script spells it in usage and errors."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.prog = "pressclub send-digests"
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", choices=Frequency.values, default=Frequency.DAILY,
            help="which followers: those who chose daily (default) or weekly digests",
        )  # fmt: skip

    def handle(self, *args, frequency: str, **options):
        report = digests_send(frequency=frequency)
        self.stdout.write(
            f"{frequency.capitalize()} digests for {report.period}: {report.sent} sent, "
            f"{report.nothing_new} with nothing new, {report.already_sent} sent already."
        )

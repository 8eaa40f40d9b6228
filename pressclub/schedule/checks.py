"""System check: every job of ``PRESSCLUB_SCHEDULE`` has a cron expression croniter reads and a command that exists."""

from croniter import croniter
from django.conf import settings
from django.core import checks
from django.core.management import get_commands


@checks.register()
def check_schedule(app_configs=None, **kwargs) -> list[checks.Error]:
    """Return an error (``schedule.E001``/``E002``) for each job that could never run."""
    errors = []
    commands = get_commands()
    for name, job in settings.PRESSCLUB_SCHEDULE.items():
        cron, command = job.get("cron", ""), job.get("command") or [""]
        if not croniter.is_valid(cron):
            errors.append(checks.Error(
                f"The periodic job {name!r} has no valid cron expression: {cron!r}.",
                hint="Five fields: minute hour day-of-month month weekday, e.g. '0 7 * * *'.",
                id="schedule.E001",
            ))  # fmt: skip
        if command[0] not in commands:
            errors.append(checks.Error(
                f"The periodic job {name!r} runs {command[0]!r}, which is not a management command.",
                id="schedule.E002",
            ))  # fmt: skip
    return errors

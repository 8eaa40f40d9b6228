"""The task that runs one periodic job (``services.schedule_queue_due`` queues it)."""

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_scheduled_job(name: str, slot: str) -> str:
    """Run the management command of the ``PRESSCLUB_SCHEDULE`` job ``name`` for ``slot`` (ISO 8601).

    Return what the command printed (at most its last 2,000 characters), which is also logged at
    INFO; "" for a job no longer in the schedule. A failing command raises, so the task result
    records the error as any failed task's.
    """
    job = settings.PRESSCLUB_SCHEDULE.get(name)
    if job is None:
        logger.warning("The periodic job %s (slot %s) is no longer in PRESSCLUB_SCHEDULE.", name, slot)
        return ""
    out = io.StringIO()
    call_command(*job["command"], stdout=out, stderr=out)
    output = out.getvalue()
    if output:
        logger.info("%s (%s): %s", name, slot, output.strip())
    return output[-2000:]

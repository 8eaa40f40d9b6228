"""The schedule of periodic jobs: which slot is due, and queueing each slot's task exactly once.

``PRESSCLUB_SCHEDULE`` (settings/base.py) names each job with a cron expression (five fields,
minute hour day month weekday, read by croniter in the site's ``TIME_ZONE``) and the management
command it runs, e.g. ``{"publish-scheduled": {"cron": "* * * * *", "command": ["publish_scheduled"]}}``.
Every ``pressclub worker`` calls :func:`schedule_queue_due` at start and every
``PRESSCLUB_SCHEDULE_TICK_SECONDS``; a job's latest due slot gets one ``ScheduledRun`` row (unique
per job and slot, so of several workers, or of one worker's repeated looks, exactly one queues it)
and the task ``tasks.run_scheduled_job`` runs the command on whichever worker takes it. A worker
that was stopped over several slots runs the latest one once when it comes back, not each missed one.
"""

from __future__ import annotations

import datetime as dt
import logging

from croniter import croniter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)


def slot_due(cron: str, *, now: dt.datetime) -> dt.datetime:
    """Return the latest time at or before ``now`` that matches ``cron``, in the site's time zone.

    Example: ``slot_due("0 7 * * *", now=<06 Dec 2026 09:30 local>)`` → 06 Dec 2026 07:00 local;
    at exactly 07:00:00 it is 07:00 itself. Raise ValueError (croniter's CroniterBadCronError) for
    an expression croniter does not read.
    """
    local = timezone.localtime(now).replace(microsecond=0) + dt.timedelta(seconds=1)
    return croniter(cron, local).get_prev(dt.datetime)


def schedule_queue_due(*, now: dt.datetime | None = None) -> list[ScheduledRun]:
    """Queue the task of every job whose latest due slot has no run yet; return the runs made.

    Each run row and its task are written in one transaction (with django-tasks-db the task is a
    row too), so a slot is queued once or not at all. Runs older than
    ``PRESSCLUB_SCHEDULE_KEEP_DAYS`` are deleted when a new one is made.
    """
    from .tasks import run_scheduled_job

    now = now or timezone.now()
    made = []
    for name, job in settings.PRESSCLUB_SCHEDULE.items():
        slot = slot_due(job["cron"], now=now)
        if ScheduledRun.objects.filter(job=name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=name, slot=slot, queued_at=now)
                result = run_scheduled_job.enqueue(name, slot.isoformat())
                run.task_id = str(result.id)[:64]
                run.save(update_fields=["task_id"])
        except IntegrityError:  # another worker made this slot's run first
            continue
        made.append(run)
    if made:
        keep = dt.timedelta(days=settings.PRESSCLUB_SCHEDULE_KEEP_DAYS)
        ScheduledRun.objects.filter(slot__lt=now - keep).delete()
    return made

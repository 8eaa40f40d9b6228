"""One row per periodic job and time slot: the record that makes a slot run once, whatever the workers."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """The run of job ``job`` for its cron slot ``slot`` (an aware datetime, the time the slot was due).

    The pair is unique: every ``pressclub worker`` looks at the schedule, and the one whose insert
    succeeds queues the job's task; the others find the row and queue nothing. ``task_id`` is the
    queued task result's id (django-tasks), for following it in the task tables.
    """

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    queued_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-slot", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="schedule_one_run_per_slot")]
        indexes = [models.Index(fields=["slot"], name="schedule_slot_idx")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot.isoformat()}"

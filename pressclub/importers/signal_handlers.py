"""Receivers of the importers app, connected in ImportersConfig.ready()."""

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from .models import ImportRun, ImportRunStatus


def import_task_finished(sender, task_result, **kwargs):
    """Mark an admin import interrupted when its task failed without recording why.

    ``task_finished`` is sent by the task backend when a task returned or raised, and by
    ``pressclub worker`` for a task lost with its worker (``core.workers.tasks_recover_lost``).
    ``services.blogger_import_run`` records every failure of the import itself, so a FAILED task whose
    run still reads "waiting" or "importing" was stopped from outside: the worker was killed,
    restarted or stopped by force.
    """
    from .tasks import run_blogger_import  # the task itself, so a rename cannot silently unmatch it

    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != run_blogger_import.module_path:
        return
    run_id = (task_result.args or [None])[0]
    ImportRun.objects.filter(pk=run_id, status__in=[ImportRunStatus.QUEUED, ImportRunStatus.RUNNING]).update(
        status=ImportRunStatus.INTERRUPTED,
        finished_at=timezone.now(),
        error="The import was interrupted: the task worker stopped before it finished. "
        "Entries imported so far are kept; running it again imports the rest and changes nothing twice.",
    )


def register():
    """Connect the receivers."""
    task_finished.connect(import_task_finished, dispatch_uid="pressclub_import_task_finished")

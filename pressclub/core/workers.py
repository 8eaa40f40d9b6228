"""Task workers: who runs a task, and what becomes of a task whose worker died.

django-tasks-db marks a task RUNNING when a worker claims it (``DBTaskResult.claim``: ``started_at``
and the worker's id appended to ``worker_ids``) and finished when the task returns or raises. A worker
killed in between (SIGKILL, the machine's out-of-memory killer, a power cut) leaves the row RUNNING
for ever: the library has no heartbeat and no recovery of its own (django-tasks issue #46).

``pressclub worker`` therefore gives django-tasks-db's worker an id that says where it runs,
``<host>:<pid>:<token>`` (:func:`worker_id`; ``<host>`` also names the machine's boot and the pid
namespace, so containers sharing a host name, or a machine rebooted since, never compare pids), and
calls :func:`tasks_recover_lost` when it starts
and every ``PRESSCLUB_WORKER_PERIODIC_SECONDS`` (``PRESSCLUB_WORKER_PERIODIC``). A RUNNING task is
lost when

- its worker ran on this machine and that process is gone (or the process with its pid is this very
  worker, started since: a restarted container's worker gets pid 1 again), or
- its worker cannot be checked from here (another machine or container, an earlier boot, or a
  worker started without our id) and it started more than ``PRESSCLUB_TASK_LOST_AFTER_SECONDS`` ago.

A lost task listed in ``PRESSCLUB_TASKS_RERUN_WHEN_LOST`` (tasks safe to run twice) goes back to
READY and runs again, unless its workers took it ``PRESSCLUB_TASK_MAX_ATTEMPTS`` times already (a
task that kills its worker each time must stop); every other lost task is marked FAILED with
:class:`WorkerLost`, and django-tasks' ``task_finished`` signal is sent for it, as the library does
for a task that raised, so the app that queued it can tell its users (an admin import's page says
it was interrupted).

With ``PRESSCLUB_TASK_BACKEND=rq`` none of this runs: RQ moves the job of a dead worker to its
failed registry itself (``AbandonedJobError``) and django-tasks-rq sends ``task_finished``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

logger = logging.getLogger(__name__)

# django-tasks-db keeps worker ids of at most 64 characters: host part ≤ 39, pid, 12-character token.
_HOSTNAME_CHARS = 30


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished (recorded on the task's result)."""


@functools.cache
def _host() -> str:
    """Return ``"<hostname>~<8 hex digits>"``: the digits stand for this boot of the machine and this
    process's pid namespace (a container), so two processes whose host parts are equal see the same
    pids, and a pid of an earlier boot or of another container is never checked here."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:  # not Linux: the host name alone
        boot, namespace = "", 0
    digest = hashlib.sha1(f"{boot}/{namespace}".encode(), usedforsecurity=False).hexdigest()[:8]
    hostname = socket.gethostname()[:_HOSTNAME_CHARS].replace(":", "-") or "localhost"
    return f"{hostname}~{digest}"


@functools.cache
def _worker_id_for(pid: int) -> str:
    return f"{_host()}:{pid}:{get_random_string(12)}"


def worker_id() -> str:
    """Return this process's worker id, ``"<host>:<pid>:<token>"`` (at most 64 characters), where
    ``<host>`` is the host name and a digest of this boot and pid namespace (``web-1~3fa2c9d0``).

    The token is random and fixed for the life of the process, so a later process that is given the
    same pid has another id. ``pressclub worker`` hands it to django-tasks-db's ``db_worker``.
    """
    return _worker_id_for(os.getpid())


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's process
        return True
    except OSError:
        return False
    return True


def worker_gone(other_id: str, *, own_id: str | None = None) -> bool | None:
    """Return True when the worker ``other_id`` no longer runs, False when it does, None when this
    machine cannot tell (another host, or an id not made by :func:`worker_id`).

    ``own_id`` is the asking process's id (default :func:`worker_id`): a worker with the asking
    process's pid but another token ran in an earlier process that had the same pid.
    """
    own_id = own_id or worker_id()
    host, sep, pid_text = other_id.rpartition(":")[0].rpartition(":")
    if not sep or not pid_text.isdigit():
        return None
    if host != own_id.split(":", 1)[0]:
        return None
    pid = int(pid_text)
    if pid == int(own_id.split(":")[1]):
        return other_id != own_id
    return not _process_exists(pid)


@dataclass(frozen=True)
class LostTask:
    """A task found lost: its result id, dotted task path, the worker it was lost with, and what was
    done with it (``"requeued"`` or ``"failed"``)."""

    id: str
    task_path: str
    worker: str
    outcome: str


def _lost_reason(result, *, own_id: str, now: datetime) -> str | None:
    last_worker = result.worker_ids[-1] if result.worker_ids else ""
    gone = worker_gone(last_worker, own_id=own_id) if last_worker else None
    if gone:
        return f"the worker {last_worker} stopped before it finished"
    started = result.started_at or result.enqueued_at
    limit = timedelta(seconds=settings.PRESSCLUB_TASK_LOST_AFTER_SECONDS)
    if gone is None and now - started > limit:
        return f"it has been running on {last_worker or 'an unknown worker'} for more than {limit}"
    return None


def tasks_recover_lost(*, now: datetime | None = None) -> list[LostTask]:
    """Find the RUNNING tasks of django-tasks-db whose worker died; run them again or fail them.

    Return one :class:`LostTask` per task handled, oldest first; an empty list on another backend.
    A row another worker changed meanwhile (it finished, or another recovery got there first) is
    left alone: each change is conditional on the row's ``started_at`` being the one read.
    """
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished
    from django_tasks_db.models import DBTaskResult

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not type(backend).__module__.startswith("django_tasks_db."):
        return []
    now = now or timezone.now()
    own_id = worker_id()
    handled = []
    running = DBTaskResult.objects.running().filter(backend_name=backend.alias).order_by("started_at")
    for result in running:
        reason = _lost_reason(result, own_id=own_id, now=now)
        if reason is None:
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        rerun = (
            result.task_path in settings.PRESSCLUB_TASKS_RERUN_WHEN_LOST
            and len(result.worker_ids) < settings.PRESSCLUB_TASK_MAX_ATTEMPTS
        )
        if rerun:
            if not same_claim.update(status=TaskResultStatus.READY):
                continue
            outcome = "requeued"
        else:
            error = WorkerLost(f"The task was lost: {reason}.")
            if not same_claim.update(
                status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: {error}\n",
            ):  # fmt: skip
                continue
            outcome = "failed"
        last_worker = result.worker_ids[-1] if result.worker_ids else ""
        logger.warning("Task %s (%s) %s: %s", result.pk, result.task_path, outcome, reason)
        handled.append(LostTask(id=str(result.pk), task_path=result.task_path, worker=last_worker, outcome=outcome))
        if outcome == "failed":
            result.refresh_from_db()
            try:
                task_result = result.task_result
            except Exception:  # noqa: BLE001 - a task whose code is gone has nobody to tell
                continue
            for receiver, response in task_finished.send_robust(sender=type(backend), task_result=task_result):
                if isinstance(response, Exception):
                    logger.error("%r failed on the lost task %s: %r", receiver, result.pk, response)
    return handled


def task_results_prune(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete django-tasks-db's results of tasks that finished (successful or failed) more than
    ``PRESSCLUB_TASK_RESULTS_KEEP_DAYS`` days ago; return {what: how many}.

    The same rows as the library's ``prune_db_task_results --queue-name '*' --min-age-days N``,
    counted. Tasks waiting or running are never deleted. With ``dry_run`` count and delete nothing.
    On another backend return {}: RQ expires its results itself.
    """
    from django_tasks_db.models import DBTaskResult

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not type(backend).__module__.startswith("django_tasks_db."):
        return {}
    now = now or timezone.now()
    days = settings.PRESSCLUB_TASK_RESULTS_KEEP_DAYS
    rows = DBTaskResult.objects.finished().filter(backend_name=backend.alias, finished_at__lt=now - timedelta(days=days))
    what = f"finished task results older than {days} days"
    return {what: rows.count() if dry_run else rows.delete()[0]}

"""``pressclub worker``: run the background tasks (e-mail, imports, search indexing) until stopped."""

import logging
import signal
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from pressclub.core.workers import worker_id

logger = logging.getLogger(__name__)


def periodic_run() -> None:
    """Call each function of ``PRESSCLUB_WORKER_PERIODIC`` once; log (not raise) what fails."""
    for path in settings.PRESSCLUB_WORKER_PERIODIC:
        try:
            import_string(path)()
        except Exception:  # one failing job must not stop the others, nor the worker
            logger.exception("The periodic job %s failed", path)
        finally:
            close_old_connections()


def _periodic_loop(stop: threading.Event) -> None:
    while not stop.wait(settings.PRESSCLUB_WORKER_PERIODIC_SECONDS):
        periodic_run()
    connections.close_all()


def schedule_run() -> None:
    """Queue the periodic jobs whose slot has come (``schedule.services``); log (not raise) a failure."""
    from pressclub.schedule.services import schedule_queue_due

    try:
        schedule_queue_due()
    except Exception:  # a database hiccup must not stop the worker; the next tick tries again
        logger.exception("Queueing the periodic jobs failed")
    finally:
        close_old_connections()


def _schedule_loop(stop: threading.Event) -> None:
    while not stop.wait(settings.PRESSCLUB_SCHEDULE_TICK_SECONDS):
        schedule_run()
    connections.close_all()


class Command(BaseCommand):
    """Run the tasks queued in the configured backend, wrapping the backend library's own worker.

    With django-tasks-db's ``DatabaseBackend`` (the default) this is its ``db_worker`` over every
    queue, with the id ``<host>:<pid>:<token>`` (``core.workers.worker_id``) so that a task this
    process was running when it died is recognised as lost (``core.workers.tasks_recover_lost``, one
    of the periodic jobs); with django-tasks-rq's ``RQBackend`` (``PRESSCLUB_TASK_BACKEND=rq``) it is django-rq's
    ``rqworker`` with its scheduler. Beside it, the functions of ``PRESSCLUB_WORKER_PERIODIC`` run at
    start and every ``PRESSCLUB_WORKER_PERIODIC_SECONDS`` (lost tasks, e-mail retries), and the jobs of
    ``PRESSCLUB_SCHEDULE`` (scheduled publishing, digests, pruning) are queued when their time comes, once per
    slot whatever the number of workers (``schedule.services``; not with ``--batch``). Ctrl-C or SIGTERM lets the
    running task finish, then stops; a second one stops at once. Raise CommandError when the backend
    runs tasks itself (ImmediateBackend) or is not one this command knows.
    """

    help = "Run background tasks (e-mail, imports, search indexing) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run the tasks waiting now, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0,
            help="seconds between looks at an empty database queue (default 1)",
        )  # fmt: skip
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after running this many tasks")

    def handle(self, *args, batch: bool, interval: float, max_tasks: int | None, verbosity: int, **options):
        if interval < 0 or (max_tasks is not None and max_tasks < 1):
            raise CommandError("--interval must be 0 or more and --max-tasks at least 1.")
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        name = f"{type(backend).__module__}.{type(backend).__qualname__}"
        periodic_run()
        stop = threading.Event()
        # The library's worker sets its own SIGINT/SIGTERM handlers; put the caller's back afterwards.
        handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        if not batch:
            threading.Thread(target=_periodic_loop, args=(stop,), name="pressclub-periodic", daemon=True).start()
            schedule_run()
            threading.Thread(target=_schedule_loop, args=(stop,), name="pressclub-schedule", daemon=True).start()
        try:
            if name.startswith("django_tasks_db."):
                call_command(
                    "db_worker", queue_name="*", interval=interval, batch=batch, reload=False,
                    startup_delay=False, max_tasks=max_tasks, worker_id=worker_id(), verbosity=verbosity,
                    stdout=self.stdout,
                )  # fmt: skip
            elif name.startswith("django_tasks_rq."):
                rq_options = {
                    "burst": batch, "with_scheduler": True, "verbosity": verbosity,
                    "job_class": "django_tasks_rq.Job",  # runs a django-tasks Task, not a plain function
                }  # fmt: skip
                if max_tasks is not None:
                    rq_options["max_jobs"] = max_tasks
                call_command("rqworker", *backend.queues, **rq_options)
            else:
                raise CommandError(
                    f"The task backend {name} has no worker: its tasks run where they are queued. "
                    "Set TASKS to django_tasks_db.DatabaseBackend or django_tasks_rq.RQBackend."
                )
        finally:
            stop.set()
            for signum, handler in handlers.items():
                signal.signal(signum, handler)

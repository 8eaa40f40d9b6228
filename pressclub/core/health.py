"""``/healthz``: is this site able to serve and to do its background work? For a load balancer or an
uptime monitor.

The answer is JSON, never cached and never rate-limited, and costs one ``SELECT 1``, one cache
write and read, and one look at the task queue::

    {"status": "ok", "checks": {"database": {"ok": true}, "cache": {"ok": true},
     "tasks": {"ok": true, "oldest_queued_seconds": 0.4}}}

Status 200 when every check is ok, 503 otherwise: the database or cache does not answer, or the
oldest task waiting for the worker is older than ``PRESSCLUB_HEALTH_MAX_TASK_AGE`` seconds (no
worker is running, or it cannot keep up). A failed check names the error's class, not its text.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


def oldest_queued_task_age() -> float | None:
    """Return the seconds the oldest task ready to run has waited, or None when none waits.

    A deferred task waits from its ``run_after`` time (django-tasks-db), not from when it was queued.

    Reads django-tasks-db's table or the first job of each RQ queue; a backend that runs tasks where
    they are queued (ImmediateBackend) never has one waiting.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    module = type(backend).__module__
    now = timezone.now()
    enqueued: list[datetime] = []
    if module.startswith("django_tasks_db."):
        from django.db.models import Case, F, When
        from django.db.models.functions import Greatest
        from django_tasks_db.models import DBTaskResult, get_date_max

        # A deferred task (``run_after``, such as the end of a breaking-news banner) waits from its
        # time, not from when it was queued hours before; run_after is the latest date when not set.
        first = (
            DBTaskResult.objects.ready()
            .filter(backend_name=backend.alias)
            .annotate(
                waiting_since=Greatest(
                    "enqueued_at", Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
                )
            )
            .order_by("waiting_since")
            .values_list("waiting_since", flat=True)
            .first()
        )
        if first is not None:
            enqueued.append(first)
    elif module.startswith("django_tasks_rq."):
        import django_rq

        for name in backend.queues:
            queue = django_rq.get_queue(name)
            job_ids = queue.get_job_ids(0, 0)
            job = queue.fetch_job(job_ids[0]) if job_ids else None
            if job is not None and job.enqueued_at is not None:
                at = job.enqueued_at
                enqueued.append(at if timezone.is_aware(at) else timezone.make_aware(at, UTC))
    if not enqueued:
        return None
    return max(0.0, (now - min(enqueued)).total_seconds())


def _check(function) -> dict:
    try:
        return function()
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        return {"ok": False, "error": type(exc).__name__}


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return {"ok": cursor.fetchone()[0] == 1}


def _cache() -> dict:
    key = f"pressclub:healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok}


def _tasks() -> dict:
    age = oldest_queued_task_age()
    return {
        "ok": age is None or age <= settings.PRESSCLUB_HEALTH_MAX_TASK_AGE,
        "oldest_queued_seconds": round(age, 1) if age is not None else 0,
    }


@never_cache
def healthz(request):
    """Answer the checks above as JSON: 200 when all are ok, 503 when one is not."""
    checks = {"database": _check(_database), "cache": _check(_cache), "tasks": _check(_tasks)}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)

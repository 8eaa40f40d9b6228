"""``/healthz``: database, cache and the age of the oldest queued task, as JSON with 200 or 503."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressclub.mail.tasks import send_outgoing_mail

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_with_every_check(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": {"ok": True}, "cache": {"ok": True}, "tasks": {"ok": True, "oldest_queued_seconds": 0}},
    }


def test_task_waiting_too_long_means_503(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    result = send_outgoing_mail.enqueue(1)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["tasks"]["ok"] is True

    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(seconds=301))
    response = client.get("/healthz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["checks"]["tasks"]["ok"] is False
    assert 301 <= body["checks"]["tasks"]["oldest_queued_seconds"] < 330


def test_a_deferred_task_waits_from_its_run_after_time(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    result = send_outgoing_mail.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(1)
    # Queued three hours ago to run ten seconds ago: it has waited ten seconds, not three hours.
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(hours=3), run_after=timezone.now() - timedelta(seconds=10)
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert 10 <= json.loads(response.content)["checks"]["tasks"]["oldest_queued_seconds"] < 40


def test_cache_that_does_not_answer_means_503(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5}},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}

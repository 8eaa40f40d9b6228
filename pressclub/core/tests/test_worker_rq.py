"""``PRESSCLUB_TASK_BACKEND=rq``: production settings put tasks in Redis and ``pressclub worker`` runs
them through django-rq. Slow: subprocesses under the production settings, against the Redis that
CI starts (``PRESSCLUB_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/1``)."""

import secrets
import subprocess

import pytest

from pressclub.testing.redis_server import REDIS_URL, redis_or_skip
from pressclub.tests.test_cli import COMMAND, REPO, _env


@pytest.fixture
def redis_queue():
    connection = redis_or_skip()
    connection.delete("rq:queue:default")
    yield connection
    connection.delete("rq:queue:default")


@pytest.mark.slow
def test_mail_goes_through_redis_and_the_rq_worker(tmp_path, redis_queue):
    env = _env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="pressclub.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        REDIS_URL=REDIS_URL,
        PRESSCLUB_TASK_BACKEND="rq",
        EMAIL_URL="console://",
    )

    def run(*args):
        result = subprocess.run([*COMMAND, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result

    run("migrate", "mail", "--verbosity", "0")
    run("shell", "--no-imports", "-c", "from django.core.mail import send_mail; "
                       "send_mail('Your sign-in code', '482 913', 'desk@example.org', ['reader@example.org'])")
    assert redis_queue.llen("rq:queue:default") == 1

    worker = run("worker", "--batch")

    assert "Job OK" in worker.stderr and "Traceback" not in worker.stderr
    assert redis_queue.llen("rq:queue:default") == 0
    status = run("shell", "-c", "from pressclub.mail.models import OutgoingMail; "
                                "print(list(OutgoingMail.objects.values_list('status', 'attempts')))")
    assert status.stdout.splitlines()[-1] == "[('sent', 1)]"


@pytest.mark.slow
def test_unknown_task_backend_is_refused(tmp_path):
    env = _env(tmp_path, SECRET_KEY="k" * 60, ALLOWED_HOSTS="news.example.org", PRESSCLUB_TASK_BACKEND="celery")
    result = subprocess.run([*COMMAND, "serve"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (
        2, "pressclub serve: PRESSCLUB_TASK_BACKEND='celery' is not a task backend (use database or rq).\n",
    )

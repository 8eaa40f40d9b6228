"""An admin import whose worker died: its page says it was interrupted and offers to run it again."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from pressclub.core import workers
from pressclub.importers.models import ImportRun
from pressclub.news.models import ArticlePage
from pressclub.testing.database import keep_test_connection

from .test_blogger_web import LEGACY

pytestmark = pytest.mark.django_db

INTERRUPTED = (
    "The import was interrupted: the task worker stopped before it finished. Entries imported so far are "
    "kept; running it again imports the rest and changes nothing twice."
)


@pytest.fixture
def editor(moderator):
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return moderator


@pytest.fixture
def database_tasks(settings, monkeypatch):
    keep_test_connection(monkeypatch)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def killed_import(client, editor, home_page, database_tasks, django_capture_on_commit_callbacks):
    """Upload an export, then leave its task as a worker killed mid-import leaves it; return the run."""
    client.force_login(editor)
    upload = SimpleUploadedFile("blog.xml", LEGACY.read_bytes(), content_type="application/xml")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("importers_blogger"), {"export": upload})
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    DBTaskResult.objects.update(status="RUNNING", worker_ids=[f"{workers._host()}:{process.pid}:abcdefabcdef"])
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status="running", done=5)
    return run


def test_a_worker_starting_marks_the_killed_import_interrupted_and_its_page_offers_to_run_it_again(
    client, killed_import
):
    page_url = reverse("importers_blogger_progress", args=[killed_import.pk])
    assert "Importing: 5 of 14 entries (35 %)." in client.get(page_url).content.decode()

    call_command("worker", batch=True, verbosity=0)

    run = ImportRun.objects.get()
    assert (run.status, run.error, run.done) == ("interrupted", INTERRUPTED, 5)
    assert run.finished_at is not None
    task = DBTaskResult.objects.get()
    assert (task.status, task.exception_class_path) == ("FAILED", "pressclub.core.workers.WorkerLost")
    content = client.get(page_url).content.decode()
    assert 'http-equiv="refresh"' not in content
    assert "<h2>Import interrupted</h2>" in content
    assert INTERRUPTED in content
    assert "It had got to 5 of 14 entries." in content
    assert f'<form method="post" action="/admin/import/blogger/{run.pk}/rerun/">' in content
    assert '<button type="submit" class="button">Run this import again</button>' in content
    # The list of recent imports says so too.
    assert "blog.xml</a>" in (listing := client.get(reverse("importers_blogger")).content.decode())
    assert ": Interrupted</li>" in listing


def test_running_it_again_imports_everything(client, killed_import, django_capture_on_commit_callbacks):
    call_command("worker", batch=True, verbosity=0)
    rerun_url = reverse("importers_blogger_rerun", args=[killed_import.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(rerun_url)

    assert (response.status_code, response["Location"]) == (302, f"/admin/import/blogger/{killed_import.pk}/")
    run = ImportRun.objects.get()
    assert (run.status, run.done, run.error, run.finished_at) == ("queued", 0, "", None)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    # A second click before the worker got to it queues nothing more.
    response = client.post(rerun_url, follow=True)
    assert "This import cannot be run again: it is not interrupted, or its file is gone." in response.content.decode()
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("worker", batch=True, verbosity=0)

    run.refresh_from_db()
    assert (run.status, run.done) == ("finished", 14)
    assert ArticlePage.objects.count() == 3
    assert not run.export.storage.exists(run.export.name)  # the file is deleted once imported


def test_no_rerun_button_once_the_file_is_gone(client, killed_import):
    call_command("worker", batch=True, verbosity=0)
    killed_import.export.delete(save=False)

    content = client.get(reverse("importers_blogger_progress", args=[killed_import.pk])).content.decode()

    assert "Run this import again" not in content
    assert "Its file is no longer kept: upload the export again to finish the import." in content
    response = client.post(reverse("importers_blogger_rerun", args=[killed_import.pk]))
    assert response.status_code == 302
    assert ImportRun.objects.get().status == "interrupted"


def test_rerun_is_refused_to_those_who_may_not_import_and_to_a_get(client, member, killed_import):
    rerun_url = reverse("importers_blogger_rerun", args=[killed_import.pk])
    assert client.get(rerun_url).status_code == 405  # the editor's link-follower or prefetch changes nothing
    client.force_login(member)
    response = client.post(rerun_url)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/admin/login/")
    assert ImportRun.objects.get().status == "running"

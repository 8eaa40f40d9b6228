"""The import_blogger command and the admin upload form (old Blogger URLs: test_blogger_urls.py)."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from pressclub.importers.models import ImportedItem, ImportRun
from pressclub.importers.services import blogger_import_run
from pressclub.news.models import ArticlePage

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = FIXTURES / "legacy.xml"
TAKEOUT = FIXTURES / "takeout.atom"
P = "tag:blogger.com,1999:blog-100."

pytestmark = pytest.mark.django_db


def test_command_prints_the_summary(home_page):
    out = StringIO()

    call_command("import_blogger", str(TAKEOUT), stdout=out)

    text = out.getvalue()
    assert "Posts: 2 (1 live, 1 not live)" in text
    assert "Comments shown: 2 (replies among all comments: 1)" in text
    assert "Comments kept hidden (spam, removed): 2" in text
    assert "Redirects from old URLs: 2" in text
    assert "Skipped entries: 0" in text
    assert "Import finished." in text
    assert ArticlePage.objects.count() == 2


def test_command_dry_run_keeps_nothing(home_page):
    out = StringIO()

    call_command("import_blogger", str(LEGACY), "--dry-run", stdout=out)

    assert out.getvalue().startswith("Dry run: nothing was saved.")
    assert "Created: 4, updated: 0, unchanged: 0" in out.getvalue()
    assert ArticlePage.objects.count() == 0
    assert ImportedItem.objects.count() == 0


def test_command_refuses_bad_files(home_page, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting at five", encoding="utf-8")

    with pytest.raises(CommandError, match="No such file"):
        call_command("import_blogger", str(tmp_path / "missing.xml"))
    with pytest.raises(CommandError, match="not well-formed XML"):
        call_command("import_blogger", str(notes))
    with pytest.raises(CommandError) as caught:
        call_command("import_blogger", str(tmp_path))
    assert str(caught.value) == f"{tmp_path} is a directory, not a Blogger export file (.xml or feed.atom)."
    assert ArticlePage.objects.count() == 0


def test_command_usage_names_the_console_script(capsys):
    with pytest.raises(SystemExit):
        call_command("import_blogger", "--help")
    assert capsys.readouterr().out.startswith("usage: pressclub import-blogger [-h] [--dry-run]")


@pytest.fixture
def editor(moderator):
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return moderator


def test_admin_form_is_shown_to_editors(client, editor, home_page):
    client.force_login(editor)

    response = client.get(reverse("importers_blogger"))

    assert response.status_code == 200
    assert b'name="export"' in response.content and b'name="dry_run"' in response.content


def test_admin_form_is_forbidden_without_the_permission(client, member, home_page):
    member.is_staff = True
    member.save()
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)

    response = client.post(reverse("importers_blogger"), {"export": SimpleUploadedFile("f.xml", LEGACY.read_bytes())})

    assert response.status_code in (302, 403)
    assert ArticlePage.objects.count() == 0


def _upload(client, capture, name, path, **fields):
    """Post the export; run the queued import (the test settings' ImmediateBackend runs it on commit)."""
    upload = SimpleUploadedFile(name, path.read_bytes(), content_type="application/xml")
    with capture(execute=True):
        response = client.post(reverse("importers_blogger"), {"export": upload, **fields})
    return response


def test_admin_upload_queues_the_import_and_its_page_shows_progress_then_the_summary(
    client, editor, home_page, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    upload = SimpleUploadedFile("blog.xml", LEGACY.read_bytes(), content_type="application/xml")

    response = client.post(reverse("importers_blogger"), {"export": upload, "section": "Old blog"})

    run = ImportRun.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/admin/import/blogger/{run.pk}/")
    assert (run.status, run.done, run.total, run.filename, run.started_by) == ("queued", 0, 14, "blog.xml", editor)
    assert ArticlePage.objects.count() == 0  # nothing imported inside the request
    page = client.get(response["Location"])
    assert "no-store" in page["Cache-Control"]  # Wagtail's admin: never cached
    content = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in content
    assert "Waiting for the worker: 0 of 14 entries (0 %)." in content

    assert blogger_import_run(run_id=run.pk) == "finished"  # what the worker's task does

    content = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in content
    assert "Import finished" in content
    assert "Posts: 3 (2 live, 1 not live)" in content
    assert f"{P}post-1004: bad time" in content
    assert ArticlePage.objects.count() == 3
    assert ArticlePage.objects.first().get_parent().title == "Old blog"
    run.refresh_from_db()
    assert (run.status, run.done, run.warnings) == ("finished", 14, True)
    assert blogger_import_run(run_id=run.pk) == "skipped"  # the task run again does nothing


def test_admin_progress_page_shows_the_entries_done(client, editor, home_page):
    client.force_login(editor)
    run = ImportRun.objects.create(export="imports/x.xml", filename="x.xml", status="running", done=250, total=1000)

    content = client.get(reverse("importers_blogger_progress", args=[run.pk])).content.decode()

    assert "Importing: 250 of 1000 entries (25 %)." in content
    assert '<progress max="1000" value="250">25 %</progress>' in content


def test_admin_dry_run_keeps_nothing(client, editor, home_page, django_capture_on_commit_callbacks):
    client.force_login(editor)

    response = _upload(client, django_capture_on_commit_callbacks, "feed.atom", TAKEOUT, dry_run="on")

    content = client.get(response["Location"]).content.decode()
    assert "Dry run: nothing was saved" in content
    assert ArticlePage.objects.count() == 0
    assert ImportRun.objects.get().status == "finished"


def test_admin_upload_of_a_foreign_file_is_an_error_on_the_form(client, editor, home_page):
    client.force_login(editor)
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not xml")

    response = client.post(reverse("importers_blogger"), {"export": upload, "section": "Old blog"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Not a Blogger export: the file is not well-formed XML" in content
    assert 'value="Old blog"' in content
    assert ArticlePage.objects.count() == 0
    assert ImportRun.objects.count() == 0

"""Old Blogger URLs, the import_blogger command and the admin upload form."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from pressclub.comments.models import Comment
from pressclub.importers.models import ImportedItem
from pressclub.importers.services import blogger_import
from pressclub.news.models import ArticlePage

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = FIXTURES / "legacy.xml"
TAKEOUT = FIXTURES / "takeout.atom"
P = "tag:blogger.com,1999:blog-100."

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(home_page):
    blogger_import(source=LEGACY)
    return {item.source_id: item.target.specific for item in ImportedItem.objects.filter(kind__in=["post", "page"])}


@pytest.mark.parametrize("query", ["", "?m=1", "?m=0", "?showComment=1"])
def test_old_post_urls_redirect_permanently(client, imported, query):
    response = client.get("/2013/02/agm-notes.html" + query)

    assert response.status_code == 301
    assert response["Location"] == "/archive/agm-notes/"


def test_show_comment_points_at_the_comment(client, imported):
    comment = Comment.objects.get(source_id=P + "post-3001")

    response = client.get("/2013/02/agm-notes.html?showComment=1396153800250")

    assert response.status_code == 301
    assert response["Location"] == f"/archive/agm-notes/#comment-{comment.pk}"


def test_old_page_urls_redirect(client, imported):
    response = client.get("/p/about-the-club.html?m=1")

    assert response.status_code == 301
    assert response["Location"] == "/about-the-club/"
    assert client.get("/2013/03/agm-notes.html")["Location"] == "/archive/agm-notes-2/"


def test_redirect_target_is_the_live_article(client, imported):
    article = imported[P + "post-1001"]

    response = client.get("/2013/02/agm-notes.html")

    assert response["Location"] == article.get_url()
    assert article.live and article.url_path.endswith("/archive/agm-notes/")


def test_unknown_old_urls_are_not_found(client, imported):
    assert client.get("/2013/02/never-written.html").status_code == 404
    assert client.get("/p/nothing.html?m=1").status_code == 404


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


def test_admin_upload_imports_and_shows_the_summary(client, editor, home_page):
    client.force_login(editor)
    upload = SimpleUploadedFile("blog.xml", LEGACY.read_bytes(), content_type="application/xml")

    response = client.post(reverse("importers_blogger"), {"export": upload, "section": "Old blog"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Import finished" in content
    assert "Posts: 3 (2 live, 1 not live)" in content
    assert f"{P}post-1004: bad time" in content
    assert ArticlePage.objects.count() == 3
    assert ArticlePage.objects.first().get_parent().title == "Old blog"


def test_admin_dry_run_keeps_nothing(client, editor, home_page):
    client.force_login(editor)
    upload = SimpleUploadedFile("feed.atom", TAKEOUT.read_bytes())

    response = client.post(reverse("importers_blogger"), {"export": upload, "dry_run": "on"})

    assert response.status_code == 200
    assert "Dry run: nothing was saved" in response.content.decode()
    assert ArticlePage.objects.count() == 0


def test_admin_upload_of_a_foreign_file_is_an_error_on_the_form(client, editor, home_page):
    client.force_login(editor)
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not xml")

    response = client.post(reverse("importers_blogger"), {"export": upload, "section": "Old blog"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Not a Blogger export: the file is not well-formed XML" in content
    assert 'value="Old blog"' in content
    assert ArticlePage.objects.count() == 0

"""The "Import wire story" admin form: upload or URL, section, errors kept on the form, permission."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from pressclub.importers.article import admin_views
from pressclub.importers.fetch import ArticleFetchError
from pressclub.news.models import ArticlePage, SectionPage

from .test_article_command import gzip_bomb

FIXTURES = Path(__file__).parent / "fixtures" / "article"
URL = "/admin/import/article/"


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser(email="desk@example.org", password="correct horse 42")
    client.force_login(user)
    return user


@pytest.fixture
def world(home_page):
    return home_page.add_child(instance=SectionPage(title="World", slug="world"))


def upload(name: str, content_type: str = "text/html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type=content_type)


def test_form_offers_sections_with_world_chosen(client, editor, section, world):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import wire story" in html
    assert 'enctype="multipart/form-data"' in html
    assert f'<option value="{world.pk}" selected>World</option>' in html
    assert f'<option value="{section.pk}">Local</option>' in html


def test_upload_creates_a_draft_and_opens_its_editor(client, editor, section, world):
    response = client.post(URL, {"file": upload("floods_wire.html"), "url": "", "section": section.pk})
    page = ArticlePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert (page.live, page.get_parent().pk, page.source_outlet) == (False, section.pk, "The Valley Ledger")
    assert page.owner == editor
    editor_page = client.get(response["Location"])
    assert editor_page.status_code == 200
    assert "Draft “Floods Cut Off Hill Villages as Three Bridges Wash Away” imported from The Valley Ledger." in (
        editor_page.content.decode()
    )


def test_neither_file_nor_url(client, editor, world):
    response = client.post(URL, {"url": "", "section": world.pk})
    assert response.status_code == 200
    assert "Choose a saved page (.html or .html.gz) or give the story&#x27;s URL." in response.content.decode()
    assert ArticlePage.objects.count() == 0


def test_non_html_upload_shows_the_reason(client, editor, world):
    response = client.post(URL, {"file": upload("notes.txt", "text/plain"), "section": world.pk})
    assert response.status_code == 200
    assert "No HTML markup found; expected a news page&#x27;s HTML (.html or .html.gz)." in response.content.decode()
    assert ArticlePage.objects.count() == 0


def test_upload_unpacking_past_10_mb_is_refused_on_the_form(client, editor, world):
    bomb = SimpleUploadedFile("floods.html.gz", gzip_bomb(11), content_type="application/gzip")
    response = client.post(URL, {"file": bomb, "section": world.pk})
    assert response.status_code == 200
    assert "The page unpacks to more than 10 MB; a news page is smaller, so it was not imported." in (
        response.content.decode()
    )
    assert ArticlePage.objects.count() == 0


def test_unreachable_url_keeps_what_was_typed(client, editor, section, world, monkeypatch):
    def offline(url):
        raise ArticleFetchError(f"Could not fetch {url}: Network is unreachable.")

    monkeypatch.setattr(admin_views, "fetch_page", offline)
    story_url = "https://ledger.example.com/2026/07/14/floods.html"
    response = client.post(URL, {"url": story_url, "section": section.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Could not fetch {story_url}: Network is unreachable." in html
    assert f'value="{story_url}"' in html
    assert f'<option value="{section.pk}" selected>Local</option>' in html
    assert ArticlePage.objects.count() == 0


def test_url_import(client, editor, world, monkeypatch):
    monkeypatch.setattr(admin_views, "fetch_page", lambda url: (FIXTURES / "blog_repost.html").read_bytes())
    response = client.post(URL, {"url": "https://hillpress.example.org/2026/07/floods.html", "section": world.pk})
    page = ArticlePage.objects.get()
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert page.original_url == "https://hillpress.example.org/2026/07/floods-cut-off-hill-villages.html"


def test_second_import_opens_the_existing_draft(client, editor, world):
    client.post(URL, {"file": upload("floods_wire.html"), "section": world.pk})
    response = client.post(URL, {"file": upload("floods_wire.html"), "section": world.pk}, follow=True)
    page = ArticlePage.objects.get()
    assert response.redirect_chain == [(f"/admin/pages/{page.pk}/edit/", 302)]
    assert "This story was imported before" in response.content.decode()


def test_staff_without_the_import_permission_is_turned_away(client, world):
    reporter = get_user_model().objects.create_user(email="reporter@example.org", password="x", is_staff=True)
    reporter.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reporter)
    response = client.post(URL, {"file": upload("floods_wire.html"), "section": world.pk})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert ArticlePage.objects.count() == 0


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_import_menu_links_the_form(client, editor, world):
    response = client.get("/admin/")
    assert response.status_code == 200
    assert URL in response.content.decode()

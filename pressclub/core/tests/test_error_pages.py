"""The site's own error pages: 400, 403, 404, CSRF failure, 500 and 503, each in the site's frame, no traceback."""

import logging

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from pressclub import urls as site_urls
from pressclub.core import errors


def broken(request):
    raise RuntimeError("a bug in a view")


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def malformed(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("a header no browser sends")


urlpatterns = [
    path("broken/", broken),
    path("database-down/", database_down),
    path("forbidden/", forbidden),
    path("malformed/", malformed),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler500 = site_urls.handler500


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__


def in_site_frame(response) -> str:
    html = response.content.decode()
    assert '<a class="brand" href="/">Valley Press Club News</a>' in html  # base.html's masthead
    assert "Traceback" not in html and "a bug in a view" not in html
    return html


@pytest.mark.django_db
def test_404_is_the_sites_own(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in in_site_frame(response)


@pytest.mark.django_db
def test_a_missing_static_file_is_404_at_once_not_a_redirect(client, home_page):
    response = client.get("/static/missing.css")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in in_site_frame(response)


@pytest.mark.django_db
def test_500_is_the_sites_own_and_logged_at_error(home_page, error_urls, caplog):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in in_site_frame(response)
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "django.request"] == [
        ("ERROR", "Internal Server Error: /broken/")
    ]


@pytest.mark.django_db
def test_500_without_a_database_is_the_plain_page(error_urls, monkeypatch):
    def no_database(*args, **kwargs):
        raise OperationalError("no database")

    monkeypatch.setattr(errors, "render_to_string", no_database)
    response = Client(raise_request_exception=False).get("/broken/")
    assert (response.status_code, response.content.decode()) == (500, errors.PLAIN_500)


@pytest.mark.django_db
def test_database_down_is_503_with_retry_after(home_page, error_urls, caplog):
    response = Client(raise_request_exception=False).get("/database-down/")
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "<h1>The site is busy</h1>" in in_site_frame(response)
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "django.request"] == [
        ("ERROR", "Database unavailable: /database-down/")
    ]


@pytest.mark.django_db
def test_403_is_the_sites_own(client, home_page, error_urls):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "<h1>You may not open this page</h1>" in in_site_frame(response)


@pytest.mark.django_db
def test_400_is_the_sites_own(client, home_page, error_urls):
    response = client.get("/malformed/")
    assert response.status_code == 400
    assert "<h1>This request could not be read</h1>" in in_site_frame(response)


@pytest.mark.django_db
def test_csrf_failure_on_a_form_other_than_comments_is_the_sites_own(home_page):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "<h1>Your form could not be sent</h1>" in in_site_frame(response)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_busy_search_503_is_logged_as_a_warning(client, article, settings, monkeypatch, caplog):
    from pressclub.search import views
    from pressclub.search.budget import SearchBusy

    def too_slow(*args, **kwargs):
        raise SearchBusy

    monkeypatch.setattr(views, "search_articles", too_slow)
    with caplog.at_level(logging.INFO):
        response = client.get("/search/?q=bridge")
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING] == [
        ("WARNING", "Search busy: /search/")
    ]

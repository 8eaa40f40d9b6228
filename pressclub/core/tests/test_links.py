"""One rule for absolute links made without a request: the configured base URL, else the Site record."""

import pytest
from wagtail.models import Site

from pressclub.core.links import absolute_url

pytestmark = pytest.mark.django_db


def test_without_a_base_url_every_link_follows_the_site_record(home_page, article, settings):
    settings.PRESSCLUB_BASE_URL = ""
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8500)
    Site.clear_site_root_paths_cache()
    assert absolute_url("/admin/pages/7/edit/", admin=True) == "http://127.0.0.1:8500/admin/pages/7/edit/"
    assert absolute_url(article.url, page=article) == f"http://127.0.0.1:8500{article.url}"


def test_a_configured_base_url_serves_admin_and_story_links_alike(home_page, article, settings):
    settings.PRESSCLUB_BASE_URL = "https://news.example.org"
    assert absolute_url("/admin/comments/", admin=True) == "https://news.example.org/admin/comments/"
    assert absolute_url(article.url, page=article) == f"https://news.example.org{article.url}"
    assert absolute_url("/local/कालिमगाउँ/", page=article) == (
        "https://news.example.org/local/%E0%A4%95%E0%A4%BE%E0%A4%B2%E0%A4%BF%E0%A4%AE%E0%A4%97%E0%A4%BE%E0%A4%89%E0%A4%81/"
    )

from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from pressclub.news.models import ArticlePage
from pressclub.testing.factories import publish_article, utc


def titles(response):
    return lxml_html.fromstring(response.content).xpath("//ul[@class='list']//h2/a/text()")


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def labelled(module_site, module_db):
    """Add to the footbridge story, once for the module, two more labelled Infrastructure (one in
    February, one also labelled सडक) and a withdrawn one."""
    section = module_site.section
    with module_db():
        publish_article(section, title="Old bridge closes", when=utc(2026, 2, 10), labels=["Infrastructure"])
        publish_article(section, title="सडक निर्माण", when=utc(2026, 3, 20), labels=["सडक", "Infrastructure"])
        hidden = publish_article(section, title="Withdrawn story", when=utc(2026, 3, 21), labels=["Infrastructure"])
        hidden.unpublish()


def test_label_page_lists_published_articles_newest_first(client, labelled):
    response = client.get("/label/infrastructure/")
    assert response.status_code == 200
    assert titles(response) == ["सडक निर्माण", "Council approves new footbridge over the Seti", "Old bridge closes"]
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//h1")[0].text_content() == "Label: Infrastructure"
    assert doc.xpath("//link[@rel='alternate']/@href") == ["/feeds/label/infrastructure/rss/",
                                                           "/feeds/label/infrastructure/atom/"]


def test_label_page_paginates_and_survives_bad_page_numbers(client, settings, labelled):
    settings.PRESSCLUB_ARTICLES_PER_PAGE = 2
    assert titles(client.get("/label/infrastructure/?page=2")) == ["Old bridge closes"]
    assert titles(client.get("/label/infrastructure/?page=x%00")) == [
        "सडक निर्माण", "Council approves new footbridge over the Seti"
    ]


def test_unicode_label_page(client, labelled):
    response = client.get(f"/label/{quote('सडक')}/")
    assert response.status_code == 200
    assert titles(response) == ["सडक निर्माण"]


def test_unknown_label_is_404(client, labelled):
    assert client.get("/label/no-such-label/").status_code == 404


def test_monthly_archive_lists_that_months_stories(client, labelled):
    response = client.get("/2026/03/")
    assert response.status_code == 200
    assert titles(response) == ["सडक निर्माण", "Council approves new footbridge over the Seti"]
    assert lxml_html.fromstring(response.content).xpath("//h1/text()") == ["Stories from March 2026"]
    assert titles(client.get("/2026/02/")) == ["Old bridge closes"]


@pytest.mark.parametrize("path", ["/2026/04/", "/2026/13/", "/2026/00/", "/1999/01/", "/0000/01/", "/9999/12/"])
def test_months_without_stories_or_invalid_are_404(client, labelled, path):
    assert client.get(path).status_code == 404


def test_archive_month_boundaries_are_inclusive_exclusive(client, section):
    publish_article(section, title="First minute", when=utc(2026, 4, 1, 0, 0))
    publish_article(section, title="Last minute", when=utc(2026, 3, 31, 23, 59))
    assert titles(client.get("/2026/04/")) == ["First minute"]
    assert titles(client.get("/2026/03/")) == ["Last minute"]


@pytest.mark.parametrize(
    "query",
    ["?page=%00", "?page=%ED%A0%80", "?page=" + "9" * 400, "?q=%00&page=2", "?page[]=1", "?page=1&page=abc"],
)
def test_odd_query_strings_never_give_500(client, labelled, query):
    for path in ("/", "/local/", "/label/infrastructure/", "/2026/03/", "/authors/asha-gurung/",
                 "/feeds/rss/", "/sitemap.xml", "/search/"):
        assert client.get(path + query).status_code == 200, path + query


def test_public_listings_only_show_published_articles(client, labelled):
    assert ArticlePage.objects.filter(title="Withdrawn story", live=False).count() == 1
    for path in ("/", "/local/", "/label/infrastructure/", "/2026/03/", "/authors/asha-gurung/", "/feeds/rss/"):
        assert "Withdrawn story" not in client.get(path).content.decode(), path

"""Year archives and label spellings, as old Blogger links reach them (the redirects: importers)."""


import pytest
from lxml import html as lxml_html

from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def stories(module_site, module_db):
    """The fixture article (2026-03-14, "Infrastructure") plus stories in 2012 labelled "Press Freedom",
    built once for the module (the tests only read them)."""
    section = module_site.section
    with module_db():
        publish_article(section, title="Editors meet", when=utc(2012, 5, 20), labels=["Press Freedom"])
        publish_article(section, title="Reporter freed", when=utc(2012, 5, 3), labels=["Press Freedom"])
        publish_article(section, title="Court rules", when=utc(2012, 11, 2), labels=["प्रेस"])
        draft = publish_article(section, title="Withdrawn", when=utc(2012, 7, 1))
        draft.unpublish()


def redirect(response):
    return response.status_code, response.get("Location")


def test_year_archive_lists_months_with_stories(client, stories):
    response = client.get("/2012/")
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//h1/text()") == ["Stories from 2012"]
    assert [li.text_content() for li in doc.xpath("//ul[@class='months']/li")] == [
        "May 2012 (2 stories)",
        "November 2012 (1 story)",
    ]
    assert doc.xpath("//ul[@class='months']//a/@href") == ["/2012/05/", "/2012/11/"]


@pytest.mark.parametrize("path", ["/2013/", "/2011/", "/0000/"])
def test_year_without_stories_is_404(client, stories, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/label/Press-Freedom/", "/label/PRESS_FREEDOM/", "/label/Press%20Freedom/", "/label/pressfreedom/"],
)
def test_label_spellings_redirect_to_the_canonical_slug(client, stories, path):
    assert redirect(client.get(path)) == (301, "/label/press-freedom/")


def test_canonical_label_page_is_served_and_unknown_is_404(client, stories):
    assert client.get("/label/press-freedom/").status_code == 200
    assert client.get("/label/press-freedom-2/").status_code == 404
    assert client.get("/search/label/PRESS_FREEDOM").get("Location") == "/label/press-freedom/"

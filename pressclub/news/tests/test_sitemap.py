from urllib.parse import quote

from lxml import etree
from wagtail.models import PageViewRestriction, Site

from pressclub.core.models import StandardPage
from pressclub.news.models import ArticlePage
from pressclub.testing.factories import NUL, publish_article, utc

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def test_sitemap_lists_live_public_pages_with_lastmod(client, home_page, section, article):
    ne = publish_article(section, title="प्रेस क्लब की बैठक", when=utc(2026, 3, 16), dek=f"a\x0bb{NUL} & c",
                         updated_at=utc(2026, 3, 18))
    draft = ArticlePage(title="Draft", live=False)
    section.add_child(instance=draft)
    private = home_page.add_child(instance=StandardPage(title="Members only"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    tree = parse(client)
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=NS)
    assert locs == [
        "http://localhost/",
        "http://localhost/local/",
        "http://localhost/local/council-approves-new-footbridge-over-the-seti/",
        f"http://localhost/local/{quote('प्रेस-क्लब-की-बैठक')}/",
    ]
    lastmods = tree.xpath("//s:url/s:lastmod/text()", namespaces=NS)
    assert lastmods[-2:] == ["2026-03-14", "2026-03-18"]
    assert ne.slug == "प्रेस-क्लब-की-बैठक"


def test_sitemap_is_valid_and_empty_without_pages(client, db):
    Site.objects.all().delete()
    tree = parse(client)
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert tree.xpath("//s:url", namespaces=NS) == []


def test_robots_txt_points_at_sitemap_and_keeps_crawlers_out_of_private_areas(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /accounts/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines

"""The Google News sitemap, robots.txt pointing at it, and NewsArticle's free access and publisher logo."""

import datetime as dt
import io
import json
from urllib.parse import quote

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Site

from pressclub.core.models import SiteIdentity
from pressclub.testing.factories import publish_article

pytestmark = pytest.mark.django_db

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP, "n": NEWS}


def parse(client):
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def test_news_sitemap_lists_the_last_48_hours_newest_first_with_the_news_elements(client, section, article):
    now = timezone.now().replace(microsecond=0)
    recent = publish_article(section, title="Landslide blocks the highway", when=now - dt.timedelta(hours=1))
    nepali = publish_article(section, title="पहिरोले राजमार्ग अवरुद्ध", when=now - dt.timedelta(hours=47), language="ne")
    publish_article(section, title="Too old", when=now - dt.timedelta(hours=49))
    publish_article(section, title="Wire copy", when=now - dt.timedelta(hours=2), source_outlet="Continental Wire",
                    original_url="https://wire.example.com/landslide")
    tree = parse(client)
    assert tree.tag == f"{{{SITEMAP}}}urlset"
    assert tree.nsmap == {None: SITEMAP, "news": NEWS}
    urls = tree.xpath("/s:urlset/s:url", namespaces=NS)
    assert len(urls) == 2
    # Every element, with its namespace, in order.
    assert [el.tag for el in urls[0].iter()] == [
        f"{{{SITEMAP}}}url",
        f"{{{SITEMAP}}}loc",
        f"{{{NEWS}}}news",
        f"{{{NEWS}}}publication",
        f"{{{NEWS}}}name",
        f"{{{NEWS}}}language",
        f"{{{NEWS}}}publication_date",
        f"{{{NEWS}}}title",
    ]

    def text(url, path):
        return url.xpath(path, namespaces=NS)[0].text

    assert text(urls[0], "s:loc") == f"http://testserver{recent.url}"
    assert text(urls[0], "n:news/n:publication/n:name") == "Valley Press Club News"
    assert text(urls[0], "n:news/n:publication/n:language") == "en"
    assert text(urls[0], "n:news/n:publication_date") == (now - dt.timedelta(hours=1)).isoformat()
    assert text(urls[0], "n:news/n:title") == "Landslide blocks the highway"
    assert text(urls[1], "s:loc") == f"http://testserver/local/{quote(nepali.slug)}/"
    assert text(urls[1], "n:news/n:publication/n:language") == "ne"
    assert text(urls[1], "n:news/n:title") == "पहिरोले राजमार्ग अवरुद्ध"


def test_news_sitemap_is_an_empty_urlset_without_recent_stories_or_a_site(client, article):
    assert parse(client).xpath("//s:url", namespaces=NS) == []
    Site.objects.all().delete()
    tree = parse(client)
    assert tree.tag == f"{{{SITEMAP}}}urlset"
    assert tree.xpath("//s:url", namespaces=NS) == []


def test_robots_txt_lists_both_sitemaps(client, home_page):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        "Sitemap: http://testserver/sitemap.xml",
        "Sitemap: http://testserver/news-sitemap.xml",
    ]


def jsonld(response) -> dict:
    doc = lxml_html.fromstring(response.content)
    return json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)


def test_newsarticle_is_free_and_names_the_publishers_logo(client, home_page, article):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 300), "navy").save(buffer, "PNG")
    logo = get_image_model().objects.create(title="Logo", file=ImageFile(io.BytesIO(buffer.getvalue()), name="logo.png"))
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.logo = logo
    identity.save()
    data = jsonld(client.get(article.url))
    assert data["isAccessibleForFree"] is True
    publisher_logo = data["publisher"]["logo"]
    assert publisher_logo["@type"] == "ImageObject"
    assert (publisher_logo["width"], publisher_logo["height"]) == (240, 60)
    assert publisher_logo["url"].startswith("http://testserver/media/images/logo.")
    assert publisher_logo["url"].endswith(".png")


def test_newsarticle_has_no_logo_when_none_is_chosen(client, article):
    assert "logo" not in jsonld(client.get(article.url))["publisher"]

"""The front page's pictures, an article's share links (plain links, WhatsApp first) and its related stories."""

import pytest
from lxml import html as lxml_html
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from pressclub.news.models import HomePage, SectionPage
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


def test_front_page_leads_with_a_responsive_image_and_lists_thumbnails(client, home_page, section):
    image = Image.objects.create(title="Bridge", file=get_test_image_file(size=(1600, 1200)))
    lead = publish_article(section, title="Lead story", when=utc(2026, 3, 10), lead_image=image, lead_image_alt="The bridge")
    publish_article(section, title="With picture", when=utc(2026, 3, 9), lead_image=image)
    publish_article(section, title="Without picture", when=utc(2026, 3, 8))
    HomePage.objects.filter(pk=home_page.pk).update(lead_story=lead)
    doc = lxml_html.fromstring(client.get("/").content)
    [img] = doc.xpath("//section[@class='lead']//picture//img")
    assert (img.get("width"), img.get("height"), img.get("alt"), img.get("class")) == ("360", "270", "The bridge", "lead-img")
    assert [w.split()[1] for w in img.get("srcset").split(", ")] == ["360w", "720w", "1080w", "1280w"]
    assert (img.get("loading"), img.get("fetchpriority")) == (None, "high")  # above the fold: not lazy
    assert [s.get("type") for s in doc.xpath("//section[@class='lead']//source")] == ["image/avif", "image/webp"]
    thumbs = doc.xpath("//ul[@class='list']/li[@class='has-thumb']")
    assert [li.xpath(".//h3/a/text()")[0] for li in thumbs] == ["With picture"]
    [thumb] = thumbs[0].xpath(".//picture//img")
    assert (thumb.get("width"), thumb.get("height"), thumb.get("loading"), thumb.get("alt")) == ("96", "72", "lazy", "")
    assert [w.split()[1] for w in thumb.get("srcset").split(", ")] == ["96w", "192w"]
    assert ".fill-96x72.format-jpeg" in thumb.get("src") and thumb.get("sizes") == "96px"
    assert [s.get("type") for s in thumbs[0].xpath(".//picture//source")] == ["image/avif", "image/webp"]
    # Thumbnails at their own, lower quality (one per format); the lead image at Wagtail's.
    sources = [c.split()[0] for s in thumbs[0].xpath(".//picture//source") for c in s.get("srcset").split(", ")]
    assert [name.split(".format-")[1].split(".")[1] for name in sources] == [
        "avifquality-40", "avifquality-40", "webpquality-60", "webpquality-60"
    ]
    assert thumb.get("src").endswith(".format-jpeg.jpegquality-60.jpg")
    assert "quality" not in img.get("srcset")
    assert img.get("sizes") == "(min-width:44rem) 42rem, calc(100vw - 2rem)"
    assert doc.xpath("//li[not(@class)]/h3/a/text()") == ["Without picture"]


def test_front_page_headline_is_the_visible_masthead(client, home_page, article):
    doc = lxml_html.fromstring(client.get("/").content)
    [h1] = doc.xpath("//h1")
    assert (h1.getparent().get("class"), h1.get("class"), h1.text_content()) == ("wrap", "brand", "Valley Press Club News")
    assert h1.xpath("a/@href") == ["/"]
    # Other pages keep their own headline as the h1 and the site's name as a plain link.
    article_doc = lxml_html.fromstring(client.get(article.url).content)
    assert [h.text_content() for h in article_doc.xpath("//h1")] == ["Council approves new footbridge over the Seti"]
    assert article_doc.xpath("//header[@class='mast']//a[@class='brand']/text()") == ["Valley Press Club News"]


def test_article_share_links_are_plain_links_whatsapp_first(client, article):
    doc = lxml_html.fromstring(client.get(article.url).content)
    links = doc.xpath("//nav[@class='share']//a")
    assert [a.text for a in links] == ["WhatsApp", "Facebook", "X", "Telegram", "E-mail", "Link to copy"]
    url = f"http://testserver{article.url}"
    encoded = url.replace(":", "%3A").replace("/", "%2F")
    assert links[0].get("href") == f"https://wa.me/?text=Council%20approves%20new%20footbridge%20over%20the%20Seti%20{encoded}"
    assert links[-1].get("href") == url
    assert not doc.xpath("//nav[@class='share']//script")


def test_related_stories_share_labels_first_then_the_section(client, home_page, section, article):
    other_section = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    labelled = publish_article(other_section, title="Another bridge", when=utc(2026, 3, 1), labels=["Infrastructure"])
    neighbour = publish_article(section, title="Ward office moves", when=utc(2026, 3, 20))
    publish_article(other_section, title="Unrelated", when=utc(2026, 3, 21))
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert doc.xpath("//aside[@class='related']//a/text()") == ["Another bridge", "Ward office moves"]
    assert doc.xpath("//aside[@class='related']//a/@href") == [labelled.url, neighbour.url]


def test_related_stories_are_cached_until_the_next_publish(settings, section, article, django_assert_num_queries):
    from django.core.cache import cache

    from pressclub.news.related import related_stories

    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    cache.clear()
    first = related_stories(article, label_ids=[])
    with django_assert_num_queries(0):
        assert related_stories(article, label_ids=[]) == first == []
    publish_article(section, title="Ward office moves", when=utc(2026, 3, 20))
    assert [story["title"] for story in related_stories(article, label_ids=[])] == ["Ward office moves"]
    cache.clear()

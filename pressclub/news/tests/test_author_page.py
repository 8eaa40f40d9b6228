from urllib.parse import quote

from lxml import html as lxml_html
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from pressclub.people.models import Author
from pressclub.testing.factories import publish_article, utc


def test_author_page_shows_bio_photo_and_articles_newest_first(client, section, article, author):
    author.bio = "Covers the city council & the courts."
    author.photo = Image.objects.create(title="Asha", file=get_test_image_file(size=(300, 300)))
    author.save()
    other = Author.objects.create(name="Bikash Rai")
    publish_article(section, title="Later story", when=utc(2026, 3, 20), authors=[other, author])
    publish_article(section, title="Someone else's", when=utc(2026, 3, 21), authors=[other])
    withdrawn = publish_article(section, title="Withdrawn", when=utc(2026, 3, 22), authors=[author])
    withdrawn.unpublish()
    response = client.get("/authors/asha-gurung/")
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//h1/text()") == ["Asha Gurung"]
    assert doc.xpath("//section[@class='author']/p[1]/text()") == ["Staff reporter"]
    assert doc.xpath("//section[@class='author']/p[2]/text()") == ["Covers the city council & the courts."]
    (img,) = doc.xpath("//section[@class='author']/picture//img")
    assert (img.get("width"), img.get("height")) == ("120", "120")
    assert [part.split()[1] for part in img.get("srcset").split(", ")] == ["120w", "240w"]
    assert [s.get("type") for s in doc.xpath("//section[@class='author']/picture//source")] == ["image/avif", "image/webp"]
    assert doc.xpath("//ul[@class='list']//h2/a/text()") == ["Later story", "Council approves new footbridge over the Seti"]


def test_author_url_name_and_unicode_slug(client, section):
    author = Author.objects.create(name="सीता लामा")
    assert author.slug == "सीता-लामा"
    assert author.get_absolute_url() == f"/authors/{quote('सीता-लामा')}/"
    publish_article(section, title="पहाडको खबर", when=utc(2026, 3, 1), authors=[author])
    response = client.get(author.get_absolute_url())
    assert response.status_code == 200
    assert lxml_html.fromstring(response.content).xpath("//ul[@class='list']//h2/a/text()") == ["पहाडको खबर"]


def test_author_without_articles(client, home_page):
    Author.objects.create(name="New Reporter")
    response = client.get("/authors/new-reporter/")
    assert response.status_code == 200
    assert "No published stories yet." in response.content.decode()


def test_unknown_author_is_404(client, home_page):
    assert client.get("/authors/no-one/").status_code == 404

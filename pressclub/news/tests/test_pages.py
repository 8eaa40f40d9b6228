import json
import re

import pytest
from lxml import html as lxml_html
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from pressclub.core.models import StandardPage
from pressclub.news.models import ArticlePage, HomePage, SectionPage
from pressclub.people.models import Author
from pressclub.testing.factories import NUL, publish_article, utc


def jsonld(response):
    doc = lxml_html.fromstring(response.content)
    (script,) = doc.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


def meta(response, attr, name):
    doc = lxml_html.fromstring(response.content)
    return [el.get("content") for el in doc.xpath(f'//meta[@{attr}="{name}"]')]


def test_page_tree_rules():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert HomePage.subpage_types == ["news.SectionPage", "core.StandardPage"]
    assert SectionPage.parent_page_types == ["news.HomePage"]
    assert SectionPage.subpage_types == ["news.ArticlePage"]
    assert ArticlePage.subpage_types == []
    assert StandardPage.parent_page_types == ["news.HomePage", "core.StandardPage"]


def test_page_tree_refuses_wrong_parents(home_page, section):
    assert not ArticlePage.can_create_at(home_page)
    assert ArticlePage.can_create_at(section)
    assert not SectionPage.can_create_at(section)
    assert not HomePage.can_create_at(home_page)  # max_count = 1
    assert StandardPage.can_create_at(home_page)
    assert not StandardPage.can_create_at(section)


def test_article_page_shows_story_parts_in_order(client, section, author):
    second = Author.objects.create(name="Bikash Rai")
    page = publish_article(
        section,
        title="Bus fares rise & routes change",
        when=utc(2026, 3, 2, 8, 15),
        authors=[second, author],
        labels=["Transport"],
        kicker="Analysis",
        dek="Fares go up by a fifth from Sunday.",
        byline_credit="with inputs from agencies",
        dateline="BUTWAL",
        sign_off="— Reporting by the Hills desk",
        updated_at=utc(2026, 3, 3, 10, 0),
        body=[("paragraph", "<p>Operators asked for more.</p>"), ("heading", {"text": "What changes", "level": "h2"}),
              ("pull_quote", {"quote": "We had no choice.", "attribution": "Operators' union"})],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    text = response.content.decode()
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//p[@class='kicker']/text()") == ["Analysis"]
    assert doc.xpath("//h1/text()") == ["Bus fares rise & routes change"]
    assert doc.xpath("//p[@class='dek']/text()") == ["Fares go up by a fifth from Sunday."]
    assert doc.xpath("//p[@class='byline']/a/text()") == ["Bikash Rai", "Asha Gurung"]
    assert doc.xpath("//p[@class='byline']")[0].text_content() == "By Bikash Rai and Asha Gurung with inputs from agencies"
    assert doc.xpath("//time/@datetime") == ["2026-03-02T08:15:00+00:00", "2026-03-03T10:00:00+00:00"]
    assert "Updated <time" in text
    assert doc.xpath("//div[@class='meta']/p[2]/a/@href") == ["/2026/03/"]
    assert doc.xpath("//p[@class='dateline']/strong/text()") == ["BUTWAL"]
    assert doc.xpath("//div[@class='body']/h2/text()") == ["What changes"]
    assert doc.xpath("//blockquote[@class='pull']/p/text()") == ["We had no choice.", "— Operators' union"]
    assert doc.xpath("//p[@class='signoff']/text()") == ["— Reporting by the Hills desk"]
    assert doc.xpath("//ul[@class='labels']/li/a/@href") == ["/label/transport/"]
    assert doc.xpath("//html/@lang") == ["en"]
    assert doc.xpath("//a[@class='skip']/@href") == ["#main"]
    assert len(doc.xpath("//main[@id='main']")) == 1
    assert "Bus fares rise &amp; routes change" in text and "&amp;amp;" not in text
    assert doc.xpath("//h2[@id='comments-title']")[0].text_content() == "No responses yet"


def test_article_page_masthead_navigation_and_account_links(client, article, home_page):
    home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert doc.xpath("//a[@class='brand']/text()") == ["Valley Press Club News"]
    assert doc.xpath("//nav[@aria-label='Sections']//a/text()") == ["Local", "Hills", "Search"]
    assert doc.xpath("//nav[@aria-label='Sections']//a[@aria-current='page']/text()") == ["Local"]
    # Signing in or registering from a story comes back to it (and its messages show there).
    assert doc.xpath("//p[@class='acct']/a/@href") == [
        f"/accounts/login/?next={article.url}", f"/accounts/signup/?next={article.url}"
    ]
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["/static/css/site.css"]


def test_article_page_lead_image_has_renditions_and_separate_caption_credit(client, section):
    image = Image.objects.create(title="Bridge", file=get_test_image_file(size=(1600, 900)))
    page = publish_article(
        section, title="Lead image story", when=utc(2026, 3, 5), lead_image=image,
        lead_image_alt="The old bridge at dusk", lead_image_caption="The old bridge.", lead_image_credit="Photo: Ram Thapa",
    )
    response = client.get(page.url)
    doc = lxml_html.fromstring(response.content)
    (img,) = doc.xpath("//article/figure/picture//img")
    assert (img.get("width"), img.get("height"), img.get("alt")) == ("360", "202", "The old bridge at dusk")
    assert (img.get("loading"), img.get("fetchpriority"), img.get("sizes")) == (None, "high", "(min-width:44rem) 42rem, calc(100vw - 2rem)")
    assert [part.split()[1] for part in img.get("srcset").split(", ")] == ["360w", "720w", "1080w", "1280w"]
    assert ".format-jpeg" in img.get("src")
    sources = doc.xpath("//article/figure/picture//source")
    assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
    assert [[part.split()[1] for part in s.get("srcset").split(", ")] for s in sources] == [["360w", "720w", "1080w", "1280w"]] * 2
    assert doc.xpath("//article/figure/figcaption/text()") == ["The old bridge."]
    assert doc.xpath("//article/figure/figcaption/span[@class='credit']/text()") == ["Photo: Ram Thapa"]
    data = jsonld(response)
    assert len(data["image"]) == 1 and data["image"][0].startswith("http://testserver/") and ".width-1280.format-jpeg" in data["image"][0]
    assert meta(response, "name", "twitter:card") == ["summary_large_image"]


def test_wire_story_credits_outlet_and_points_canonical_at_original(client, section):
    page = publish_article(
        section, title="Monsoon arrives early", when=utc(2026, 3, 6),
        source_outlet="Himal Wire", original_url="https://wire.example.org/2026/monsoon?id=4&x=1",
        original_published_at=utc(2026, 3, 5, 22, 0), original_bylines="Sita Lama",
        lead_image_url="https://wire.example.org/img/monsoon.jpg", lead_image_caption="Clouds over the valley.",
        lead_image_credit="Photo: Himal Wire",
    )
    response = client.get(page.url)
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//link[@rel='canonical']/@href") == ["https://wire.example.org/2026/monsoon?id=4&x=1"]
    (wire,) = doc.xpath("//p[@class='wire']")
    assert wire.text_content() == "Originally published by Himal Wire on 5 March 2026. Original byline: Sita Lama."
    assert wire.xpath("a/@href") == ["https://wire.example.org/2026/monsoon?id=4&x=1"]
    assert doc.xpath("//article/figure/img/@src") == ["https://wire.example.org/img/monsoon.jpg"]
    assert doc.xpath("//article/figure/figcaption/span/text()") == ["Photo: Himal Wire"]
    data = jsonld(response)
    assert data["isBasedOn"] == {
        "@type": "NewsArticle",
        "url": "https://wire.example.org/2026/monsoon?id=4&x=1",
        "publisher": {"@type": "Organization", "name": "Himal Wire"},
        "datePublished": "2026-03-05T22:00:00+00:00",
    }
    assert data["image"] == ["https://wire.example.org/img/monsoon.jpg"]
    assert data["author"] == [{"@type": "Person", "name": "Sita Lama"}]
    assert meta(response, "property", "og:url") == [f"http://testserver{page.url}"]


def test_jsonld_author_of_a_wire_story_comes_from_its_original_bylines(client, section, author):
    wire = publish_article(
        section, title="Rain", when=utc(2026, 3, 6), source_outlet="Himal Wire",
        original_bylines="By Tomas Varga, Leila Haddad, and  Sita Lama, Leila Haddad",
    )
    assert jsonld(client.get(wire.url))["author"] == [
        {"@type": "Person", "name": "Tomas Varga"},
        {"@type": "Person", "name": "Leila Haddad"},
        {"@type": "Person", "name": "Sita Lama"},
    ]
    # Authors of our own win over the wire's names.
    own = publish_article(
        section, title="Rain again", when=utc(2026, 3, 7), source_outlet="Himal Wire",
        original_bylines="Tomas Varga", authors=[author],
    )
    assert jsonld(client.get(own.url))["author"] == [
        {"@type": "Person", "name": "Asha Gurung", "url": "http://testserver/authors/asha-gurung/"}
    ]
    bare = publish_article(section, title="Rain at last", when=utc(2026, 3, 8), original_bylines=" , and ")
    assert jsonld(client.get(bare.url))["author"] == []


def test_jsonld_and_open_graph_of_an_article(client, article):
    response = client.get(article.url)
    data = jsonld(response)
    own = "http://testserver/local/council-approves-new-footbridge-over-the-seti/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council approves new footbridge over the Seti",
        "description": "Work is to start after the monsoon, the ward chair said.",
        "author": [{"@type": "Person", "name": "Asha Gurung", "url": "http://testserver/authors/asha-gurung/"}],
        "datePublished": "2026-03-14T09:30:00+00:00",
        "dateModified": "2026-03-14T09:30:00+00:00",
        "inLanguage": "en",
        "mainEntityOfPage": {"@type": "WebPage", "@id": own},
        "url": own,
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": "Valley Press Club News", "url": "http://testserver/"},
    }
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//link[@rel='canonical']/@href") == [own]
    assert meta(response, "property", "og:title") == ["Council approves new footbridge over the Seti"]
    assert meta(response, "property", "og:type") == ["article"]
    assert meta(response, "property", "og:description") == ["Work is to start after the monsoon, the ward chair said."]
    assert meta(response, "name", "twitter:card") == ["summary"]
    assert meta(response, "property", "article:tag") == ["Infrastructure"]


def test_jsonld_survives_script_end_tags_quotes_and_control_characters(client, section):
    title = 'He said "</script><script>alert(1)</script>" & left'
    page = publish_article(section, title=title, when=utc(2026, 3, 7), dek=f"Line\x0bbreak{NUL} & <b>bold</b>")
    response = client.get(page.url)
    text = response.content.decode()
    assert text.count("<script") == 1  # only the JSON-LD element; the headline's tags stay escaped
    data = jsonld(response)
    assert data["headline"] == title
    assert data["description"] == "Linebreak & <b>bold</b>"
    assert meta(response, "name", "description") == ["Linebreak & <b>bold</b>"]


def test_unicode_articles_are_reachable_at_their_slugs(client, section):
    ne = publish_article(section, title="प्रेस क्लब की बैठक", when=utc(2026, 3, 8), language="ne")
    bn = publish_article(section, title="প্রেস ক্লাবের সভা", when=utc(2026, 3, 9), language="bn")
    assert ne.slug == "प्रेस-क्लब-की-बैठक" and bn.slug == "প্রেস-ক্লাবের-সভা"
    for page, lang in ((ne, "ne"), (bn, "bn")):
        response = client.get(f"/local/{page.slug}/")
        assert response.status_code == 200
        doc = lxml_html.fromstring(response.content)
        assert doc.xpath("//h1/text()") == [page.title]
        assert doc.xpath("//html/@lang") == ["en"]
        assert doc.xpath("//h1/@lang") == [lang]
        # The encoded form that browsers send reaches the same page.
        from urllib.parse import quote

        assert client.get(quote(f"/local/{page.slug}/")).status_code == 200


def test_front_page_leads_with_newest_story_and_lists_sections(client, home_page, section, article):
    hills = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    newest = publish_article(hills, title="Snow closes the pass", when=utc(2026, 3, 20), labels=["Weather"])
    response = client.get("/")
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//section[@class='lead']//h2/a/text()") == ["Snow closes the pass"]
    assert doc.xpath("//main/section[@aria-labelledby]/h2/a/text()") == ["Local"]  # Hills' only story leads
    assert doc.xpath("//main/section[h2/a='Local']//h3/a/text()") == [article.title]
    assert doc.xpath("//ul[@class='labels']/li/a/@href") == ["/label/infrastructure/", "/label/weather/"]
    assert doc.xpath("//h2[@id='labels-title']/text()") == ["Labels"]
    assert meta(response, "property", "og:title") == ["Valley Press Club News"]
    home_page.lead_story = article
    home_page.save_revision().publish()
    doc = lxml_html.fromstring(client.get("/").content)
    assert doc.xpath("//section[@class='lead']//h2/a/text()") == [article.title]
    assert newest.title in doc.xpath("//main/section/ul//h3/a/text()")


def test_front_page_without_stories(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert "No stories have been published yet." in response.content.decode()


def test_section_lists_newest_first_and_paginates(client, settings, section):
    settings.PRESSCLUB_ARTICLES_PER_PAGE = 2
    for day in (1, 2, 3):
        publish_article(section, title=f"Story {day}", when=utc(2026, 1, day))
    draft = ArticlePage(title="Draft story")
    section.add_child(instance=draft)
    draft.unpublish()

    def titles(query=""):
        response = client.get(f"/local/{query}")
        assert response.status_code == 200
        return lxml_html.fromstring(response.content).xpath("//ul[@class='list']//h2/a/text()")

    assert titles() == ["Story 3", "Story 2"]
    assert titles("?page=2") == ["Story 1"]
    for bad in ("?page=abc", "?page=0", "?page=-1", "?page=99", "?page=%00", "?page=1e3", "?page="):
        assert titles(bad) == ["Story 3", "Story 2"], bad


def test_section_page_links_its_feeds(client, section):
    doc = lxml_html.fromstring(client.get("/local/").content)
    assert doc.xpath("//link[@rel='alternate']/@href") == ["/feeds/section/local/rss/", "/feeds/section/local/atom/"]


def test_standard_page_renders(client, home_page):
    about = home_page.add_child(instance=StandardPage(title="About", intro="A non-profit club."))
    doc = lxml_html.fromstring(client.get(about.url).content)
    assert doc.xpath("//h1/text()") == ["About"]
    assert doc.xpath("//p[@class='dek']/text()") == ["A non-profit club."]


def test_unknown_page_is_a_404_with_the_theme(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_template_needs_no_context():
    from django.template.loader import get_template

    text = get_template("500.html").render({})
    assert "Something went wrong" in text


@pytest.mark.parametrize(("bylines", "labels"), [(1, 1), (3, 12)])
def test_article_page_query_count_does_not_grow_with_bylines_or_labels(client, section, django_assert_num_queries,
                                                                       bylines, labels):
    authors = [Author.objects.create(name=f"Reporter {n}") for n in range(bylines)]
    page = publish_article(section, title="Many bylines", when=utc(2026, 3, 1), authors=authors,
                           labels=[f"Label {n}" for n in range(labels)])
    client.get(page.url)  # the site-wide parts (site, route, masthead …) are kept until a purge
    # The page (with its lead image), its bylines, its labels, its related stories and its
    # corrections, one query each; the page cache is off (test settings), so none of them is kept.
    with django_assert_num_queries(5):
        response = client.get(page.url)
    assert response.status_code == 200


def test_article_page_html_and_css_stay_under_20_kb(client, article):
    from django.contrib.staticfiles import finders

    html = client.get(article.url).content
    css = open(finders.find("css/site.css"), "rb").read()
    stripped = re.sub(rb"/\*.*?\*/", b"", css, flags=re.S)
    assert len(html) + len(stripped) < 20 * 1024


def test_preview_of_a_draft_renders(client, section, moderator):
    draft = ArticlePage(title="Unpublished draft", dek="Not yet.")
    section.add_child(instance=draft)
    assert Page.objects.get(pk=draft.pk).live is True  # add_child makes pages live unless told otherwise


def test_cleaning_an_article_strips_pasted_control_characters(section):
    page = ArticlePage(title="Rain\x0b today", dek="Heavy\x0c rain\x1f & wind", kicker="NEWS\x07")
    section.add_child(instance=page)
    page.full_clean()
    assert (page.title, page.dek, page.kicker) == ("Rain today", "Heavy rain & wind", "NEWS")


def test_front_page_and_section_have_canonical_and_open_graph(client, section):
    section.search_description = "News from the valley & the town."
    section.save_revision().publish()
    for path, title, description in (
        ("/", "Valley Press Club News", None),
        ("/local/", "Local", "News from the valley & the town."),
    ):
        response = client.get(path)
        doc = lxml_html.fromstring(response.content)
        assert doc.xpath("//link[@rel='canonical']/@href") == [f"http://testserver{path}"]
        assert meta(response, "property", "og:title") == [title]
        assert meta(response, "property", "og:type") == ["website"]
        assert meta(response, "property", "og:description") == ([description] if description else [])


def test_body_image_block_has_srcset_size_caption_and_credit(client, section):
    image = Image.objects.create(title="Market", file=get_test_image_file(size=(1000, 500)))
    page = publish_article(section, title="Market day", when=utc(2026, 3, 9), body=[
        ("image", {"image": image, "alt_text": "", "caption": "Stalls at dawn.", "credit": "Photo: Desk"}),
    ])
    doc = lxml_html.fromstring(client.get(page.url).content)
    (img,) = doc.xpath("//div[@class='body']/figure/picture//img")
    assert (img.get("width"), img.get("height"), img.get("alt"), img.get("loading")) == ("360", "180", "Stalls at dawn.", "lazy")
    assert [part.split()[1] for part in img.get("srcset").split(", ")] == ["360w", "720w", "1000w"]
    assert [s.get("type") for s in doc.xpath("//div[@class='body']/figure/picture//source")] == ["image/avif", "image/webp"]
    assert doc.xpath("//div[@class='body']/figure/figcaption/text()") == ["Stalls at dawn."]
    assert doc.xpath("//div[@class='body']/figure/figcaption/span/text()") == ["Photo: Desk"]


def test_only_the_story_text_carries_the_article_language(client, section, settings):
    """Menus, "Published", comments and footer stay in the site language; the story's own text does not."""
    page = publish_article(
        section, title="প্রেস ক্লাবের সভা", when=utc(2026, 3, 9), language="bn", kicker="সংবাদ",
        dek="সভা আজ", sign_off="শেষ",
    )
    doc = lxml_html.fromstring(client.get(f"/local/{page.slug}/").content)
    assert doc.xpath("//html/@lang") == ["en"] and doc.xpath("//html/@dir") == ["ltr"]
    # The footer's language buttons name each language in itself, so each carries its own lang.
    assert [(b.get("lang"), b.text) for b in doc.xpath("//form[@class='lang']//button")] == [
        ("en", "English"), ("ne", "नेपाली"), ("hi", "हिन्दी"), ("bn", "বাংলা")]
    tagged = [(el.tag, el.get("class"), el.get("lang"), el.get("dir")) for el in doc.xpath("//*[@lang][not(self::button)]")]
    assert tagged == [
        ("html", None, "en", "ltr"),
        ("p", "kicker", "bn", "ltr"),
        ("h1", None, "bn", "ltr"),
        ("p", "dek", "bn", "ltr"),
        ("div", "body", "bn", "ltr"),
        ("p", "signoff", "bn", "ltr"),
    ]
    assert doc.xpath("//*[@lang='bn']//time") == []
    # The page's language is the reader's; an article in it gets no attributes of its own.
    client.cookies["pressclub_language"] = "bn"
    doc = lxml_html.fromstring(client.get(f"/local/{page.slug}/").content)
    assert [el.tag for el in doc.xpath("//*[@lang][not(self::button)]")] == ["html"]
    assert doc.xpath("//html/@lang") == ["bn"]


def test_listings_tag_only_the_headline_and_dek(client, home_page, section, article):
    publish_article(section, title="प्रेस क्लब की बैठक", when=utc(2026, 3, 8), language="ne", dek="बैठक आज")
    doc = lxml_html.fromstring(client.get("/local/").content)
    assert [(el.tag, el.get("lang"), el.get("dir")) for el in doc.xpath("//ul[@class='list']//*[@lang]")] == [
        ("h2", "ne", "ltr"),
        ("p", "ne", "ltr"),
    ]
    home = lxml_html.fromstring(client.get("/").content)
    assert [(el.tag, el.get("class"), el.get("lang")) for el in home.xpath("//main//*[@lang]")] == [
        # The lead story is the newer English fixture article: no attributes.
        ("h3", None, "ne"),
        ("p", None, "ne"),
    ]


def test_footer_and_comment_form_link_the_about_and_policy_pages(client, home_page, article, member):
    from wagtail.models import Site

    from pressclub.core.models import SiteIdentity

    about = home_page.add_child(instance=StandardPage(title="About us", slug="about"))
    policy = home_page.add_child(instance=StandardPage(title="Comment policy", slug="comment-policy"))
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.about_page, identity.comment_policy_page = about, policy
    identity.save()
    client.force_login(member)
    doc = lxml_html.fromstring(client.get(article.url).content)
    footer = doc.xpath("//footer//a")
    assert [(a.text, a.get("href")) for a in footer[:2]] == [("About", "/about/"), ("Comment policy", "/comment-policy/")]
    assert doc.xpath("//section[@id='respond']//a[text()='comment policy']/@href") == ["/comment-policy/"]
    policy.unpublish()
    doc = lxml_html.fromstring(client.get("/").content)
    assert [a.text for a in doc.xpath("//footer//a")][:2] == ["About", "Atom feed"]


def test_a_story_without_a_dek_is_described_by_its_first_paragraph(client, section):
    long_paragraph = "The ward office said the new taps " + "would reach every house on the ridge " * 6 + "by June."
    page = publish_article(section, title="Taps for the ridge", when=utc(2026, 3, 9), body=[
        ("heading", {"text": "Background", "level": "h2"}),
        ("html", "<p>   </p>"),
        ("paragraph", f"<p>{long_paragraph}</p>"),
        ("paragraph", "<p>A second paragraph.</p>"),
    ])
    response = client.get(page.url)
    # Cut at the last space before 160 characters; the empty HTML block and the heading are passed over.
    expected = (
        "The ward office said the new taps would reach every house on the ridge would reach every house "
        "on the ridge would reach every house on the ridge would reach…"
    )
    assert meta(response, "name", "description") == meta(response, "property", "og:description") == [expected]
    page.dek = "Every house on the ridge gets a tap by June."
    page.save_revision().publish()
    response = client.get(page.url)
    assert meta(response, "name", "description") == ["Every house on the ridge gets a tap by June."]

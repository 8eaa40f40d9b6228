from urllib.parse import quote

import pytest
from lxml import etree
from wagtail.models import PageViewRestriction, Site

from pressclub.core.models import StandardPage
from pressclub.news.models import ArticlePage
from pressclub.news.sitemaps import SITEMAP_PAGE_URLS
from pressclub.testing.factories import NUL, publish_article, utc

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(client, url="/sitemap-pages.xml"):
    response = client.get(url)
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


def test_sitemap_index_names_one_sitemap_page_per_thousand_urls(client, home_page, section, article, settings):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    tree = parse(client, "/sitemap.xml")
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert tree.xpath("//s:sitemap/s:loc/text()", namespaces=NS) == [
        "http://testserver/sitemap-pages.xml", "http://testserver/news-sitemap.xml"
    ]
    assert tree.xpath("//s:sitemap/s:lastmod/text()", namespaces=NS) == [
        article.last_published_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    ]


def test_sitemap_pages_hold_a_thousand_urls_each(client, home_page, section, article, monkeypatch):
    from pressclub.news.sitemaps import PageSitemap

    for number in range(4):
        publish_article(section, title=f"Story {number}", when=utc(2026, 3, 20 + number))
    monkeypatch.setattr(PageSitemap, "limit", 2)  # 7 pages (home, section, 5 stories): 4 sitemap pages
    index = parse(client, "/sitemap.xml")
    assert index.xpath("//s:sitemap/s:loc/text()", namespaces=NS) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-pages.xml?p=2",
        "http://testserver/sitemap-pages.xml?p=3",
        "http://testserver/sitemap-pages.xml?p=4",
        "http://testserver/news-sitemap.xml",
    ]
    assert parse(client, "/sitemap-pages.xml?p=2").xpath("//s:url/s:loc/text()", namespaces=NS) == [
        "http://localhost/local/council-approves-new-footbridge-over-the-seti/",
        "http://localhost/local/story-0/",
    ]
    assert parse(client, "/sitemap-pages.xml?p=4").xpath("//s:url/s:loc/text()", namespaces=NS) == [
        "http://localhost/local/story-3/",
    ]
    assert client.get("/sitemap-pages.xml?p=5").status_code == 404
    assert client.get("/sitemap-pages.xml?p=x").status_code == 404
    assert client.get("/sitemap-other.xml").status_code == 404
    assert PageSitemap.limit == 2 and SITEMAP_PAGE_URLS == 1000


def test_robots_txt_points_at_sitemap_and_keeps_crawlers_out_of_private_areas(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /accounts/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_pages_start_from_path_groups_and_hold_what_an_offset_gives(home_page, section, article):
    from django.core.paginator import Paginator
    from django.test import RequestFactory

    from pressclub.news.sitemaps import PageSitemap, path_groups

    hills = home_page.add_child(instance=StandardPage(title="Hills"))
    for number in range(6):
        publish_article(section, title=f"Story {number}", when=utc(2026, 3, 20 + number))
    ArticlePage.objects.get(slug="story-2").unpublish()
    sitemap = PageSitemap(RequestFactory().get("/sitemap.xml", HTTP_HOST="localhost"))
    sitemap.limit = 3  # 9 pages (home, section, footbridge, stories 0, 1, 3, 4, 5, Hills): 3 sitemap pages
    groups = path_groups(sitemap._pages, prefix=len(home_page.path) + 6)
    assert groups.keys == (home_page.path, section.path, section.path + "00", hills.path)
    assert (groups.counts, groups.count, groups.locate(4)) == ((1, 1, 6, 1), 9, (section.path + "00", 2))
    assert groups.latest == ArticlePage.objects.get(slug="story-5").last_published_at
    offset = Paginator(sitemap.items(), 3)
    assert sitemap.paginator.num_pages == offset.num_pages == 3
    for number in (1, 2, 3):
        assert list(sitemap.paginator.page(number).object_list) == list(offset.page(number).object_list)
    assert [row[0] for row in sitemap.paginator.page(3).object_list] == [
        "/home/local/story-4/", "/home/local/story-5/", "/home/hills/"
    ]


def test_sitemap_counts_are_kept_until_a_story_enters_or_leaves_it(client, settings, home_page, section, article, monkeypatch):
    from pressclub.news.sitemaps import PageSitemap

    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(PageSitemap, "limit", 2)  # 3 pages (home, section, story): 2 sitemap pages
    assert len(parse(client, "/sitemap.xml").xpath("//s:sitemap", namespaces=NS)) == 3  # with the news sitemap
    assert len(parse(client, "/sitemap-pages.xml?p=2").xpath("//s:url", namespaces=NS)) == 1
    assert client.get("/sitemap-pages.xml?p=3").status_code == 404
    publish_article(section, title="Late story", when=utc(2026, 3, 30))
    last = publish_article(section, title="Last story", when=utc(2026, 3, 31))
    assert parse(client, "/sitemap-pages.xml?p=3").xpath("//s:url/s:loc/text()", namespaces=NS) == [
        "http://localhost/local/last-story/",
    ]
    index = parse(client, "/sitemap.xml")
    assert len(index.xpath("//s:sitemap", namespaces=NS)) == 4
    assert index.xpath("//s:sitemap/s:lastmod/text()", namespaces=NS)[0] == "2026-03-31T12:00:00+00:00"
    last.unpublish()
    assert client.get("/sitemap-pages.xml?p=3").status_code == 404
    assert len(parse(client, "/sitemap.xml").xpath("//s:sitemap", namespaces=NS)) == 3


def test_tree_pages_of_every_size_hold_what_an_offset_gives_across_group_boundaries(home_page, section, article):
    from django.core.paginator import EmptyPage, Paginator
    from django.test import RequestFactory

    from pressclub.news.models import SectionPage
    from pressclub.news.sitemaps import ROW_FIELDS, PageSitemap, TreePaginator, path_groups

    for number in range(2):
        publish_article(section, title=f"Local {number}", when=utc(2026, 3, 20 + number))
    publish_article(section, title="Withdrawn", when=utc(2026, 3, 25)).unpublish()
    hills = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    for number in range(2):
        publish_article(hills, title=f"Hills {number}", when=utc(2026, 3, 22 + number))
    ethics = home_page.add_child(instance=StandardPage(title="Ethics"))
    ethics.add_child(instance=StandardPage(title="Corrections policy"))
    world = home_page.add_child(instance=SectionPage(title="World", slug="world"))
    sitemap = PageSitemap(RequestFactory().get("/sitemap.xml", HTTP_HOST="localhost"))
    groups = path_groups(sitemap._pages, prefix=len(home_page.path) + 6)
    assert groups.keys == (home_page.path, section.path, section.path + "00", hills.path, hills.path + "00",
                           ethics.path, ethics.path + "00", world.path)
    assert groups.counts == (1, 1, 3, 1, 2, 1, 1, 1)
    boundaries = {0, 1, 2, 5, 6, 8, 9, 10}  # where each group starts, in tree order

    for per_page, pages, starting_on_a_boundary in ((1, 11, boundaries), (2, 6, {0, 2, 6, 8, 10}), (3, 4, {0, 6, 9})):
        tree = TreePaginator(sitemap._pages, per_page, row_fields=ROW_FIELDS, groups=lambda: groups)
        offset = Paginator(sitemap.items(), per_page)
        assert (tree.count, tree.num_pages) == (offset.count, offset.num_pages) == (11, pages)
        starts = {(number - 1) * per_page for number in tree.page_range}
        assert starts & boundaries == starting_on_a_boundary
        for number in tree.page_range:
            assert list(tree.page(number).object_list) == list(offset.page(number).object_list), (per_page, number)
        with pytest.raises(EmptyPage):
            tree.page(pages + 1)
    tree = TreePaginator(sitemap._pages, 2, row_fields=ROW_FIELDS, groups=lambda: groups)
    assert [[row[0] for row in tree.page(number).object_list] for number in tree.page_range] == [
        ["/home/", "/home/local/"],
        ["/home/local/council-approves-new-footbridge-over-the-seti/", "/home/local/local-0/"],
        ["/home/local/local-1/", "/home/hills/"],
        ["/home/hills/hills-0/", "/home/hills/hills-1/"],
        ["/home/ethics/", "/home/ethics/corrections-policy/"],
        ["/home/world/"],
    ]

"""What a story's publication, edit, move and withdrawal purge: exact URL lists, and the few changes
that purge everything."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from pressclub.core.purge_lists import EVERYTHING_EVENTS, purge_list
from pressclub.news import purge_lists as story_lists
from pressclub.news.models import ArticleCorrection, ArticlePage, SectionPage
from pressclub.testing.factories import create_author, publish_article, utc

pytestmark = pytest.mark.django_db

SITE = "http://localhost"
STORY = f"{SITE}/local/council-approves-new-footbridge-over-the-seti/"
# The footbridge story (conftest: Local, Asha Gurung, label Infrastructure, 14 March 2026) shows on:
LISTINGS = [
    f"{SITE}/",
    f"{SITE}/2026/03/",
    f"{SITE}/authors/asha-gurung/",
    f"{SITE}/feeds/atom/",
    f"{SITE}/feeds/author/asha-gurung/atom/",
    f"{SITE}/feeds/author/asha-gurung/rss/",
    f"{SITE}/feeds/label/infrastructure/atom/",
    f"{SITE}/feeds/label/infrastructure/rss/",
    f"{SITE}/feeds/rss/",
    f"{SITE}/feeds/section/local/atom/",
    f"{SITE}/feeds/section/local/rss/",
    f"{SITE}/label/infrastructure/",
    f"{SITE}/local/",
    STORY,
    f"{SITE}/sitemap-pages.xml",
    f"{SITE}/sitemap.xml",
]


@pytest.fixture
def fresh(article):
    """The footbridge story with nothing remembered of earlier purges (as a story published before)."""
    cache.clear()
    return ArticlePage.objects.get(pk=article.pk)


def test_a_story_published_purges_its_page_and_every_listing_it_is_on(fresh):
    purged = purge_list("story_published", page=fresh)

    assert purged.everything is False
    assert purged.sorted_urls == sorted([*LISTINGS, f"{SITE}/2026/"])
    assert purged.scopes == frozenset({"stories", "sitemap"})


def test_each_url_is_purged_in_each_interface_language(fresh):
    purged = purge_list("story_published", page=fresh)

    assert purged.languages == ("en", "ne", "hi", "bn")
    assert len(purged.keys) == 17 * 4
    assert purged.keys[:4] == [(f"{SITE}/", "en"), (f"{SITE}/", "ne"), (f"{SITE}/", "hi"), (f"{SITE}/", "bn")]


def test_a_story_edited_purges_the_listings_it_left_and_those_it_joined(fresh):
    story_lists.story_listing_remember(fresh, purge_list("story_published", page=fresh))
    fresh.labels.set(["Bridges"])
    second = create_author(name="Bikash Rai")
    fresh.byline_links.all().delete()
    fresh.byline_links.create(author=second)
    fresh.save()

    purged = purge_list("story_edited", page=fresh)

    # The year page (stories per month) stays: an edit keeps the month.
    assert purged.sorted_urls == sorted([
        *LISTINGS,
        f"{SITE}/2026/",  # remembered from its publication
        f"{SITE}/authors/bikash-rai/",
        f"{SITE}/feeds/author/bikash-rai/atom/",
        f"{SITE}/feeds/author/bikash-rai/rss/",
        f"{SITE}/feeds/label/bridges/atom/",
        f"{SITE}/feeds/label/bridges/rss/",
        f"{SITE}/label/bridges/",
    ])


def test_an_edit_with_nothing_remembered_purges_its_current_listings_but_not_the_year(fresh):
    assert purge_list("story_edited", page=fresh).sorted_urls == sorted(LISTINGS)


def test_a_story_with_a_correction_purges_the_corrections_page_and_feeds(fresh):
    ArticleCorrection.objects.create(page=fresh, text="The vote was 14 to 3, not 13 to 4.", published_at=utc(2026, 3, 15))

    assert purge_list("story_edited", page=fresh).sorted_urls == sorted([
        *LISTINGS,
        f"{SITE}/corrections/",
        f"{SITE}/corrections/feed/atom/",
        f"{SITE}/corrections/feed/rss/",
    ])


def test_a_story_published_in_the_last_two_days_purges_the_news_sitemap(section, author):
    story = publish_article(section, title="Ward office opens", when=timezone.now() - dt.timedelta(hours=3),
                            authors=[author])
    cache.clear()
    month = timezone.localtime(story.first_published_at).strftime("%Y/%m")
    year = month[:4]

    assert purge_list("story_published", page=story).sorted_urls == sorted([
        f"{SITE}/",
        f"{SITE}/{month}/",
        f"{SITE}/{year}/",
        f"{SITE}/authors/asha-gurung/",
        f"{SITE}/feeds/atom/",
        f"{SITE}/feeds/author/asha-gurung/atom/",
        f"{SITE}/feeds/author/asha-gurung/rss/",
        f"{SITE}/feeds/rss/",
        f"{SITE}/feeds/section/local/atom/",
        f"{SITE}/feeds/section/local/rss/",
        f"{SITE}/local/",
        f"{SITE}/local/ward-office-opens/",
        f"{SITE}/news-sitemap.xml",
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap.xml",
    ])


def test_a_story_moved_purges_its_old_and_new_section_and_address(home_page, fresh):
    hills = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    fresh.move(hills, pos="last-child")
    moved = ArticlePage.objects.get(pk=fresh.pk)
    cache.clear()

    purged = purge_list("story_moved", page=moved, url_path_before="/home/local/council-approves-new-footbridge-over-the-seti/",
                        parent_before=SectionPage.objects.get(slug="local"))

    assert purged.sorted_urls == sorted([
        *LISTINGS,
        f"{SITE}/2026/",
        f"{SITE}/hills/",
        f"{SITE}/hills/council-approves-new-footbridge-over-the-seti/",
        f"{SITE}/feeds/section/hills/atom/",
        f"{SITE}/feeds/section/hills/rss/",
    ])


def test_moving_a_story_in_the_admin_purges_those_urls_from_the_page_cache(home_page, fresh, page_cache, client):
    client.get(STORY)
    client.get("/local/")
    assert client.get(STORY)["X-Page-Cache"] == "hit"
    hills = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    assert client.get("/local/")["X-Page-Cache"] == "miss"  # a new section: everything went
    client.get("/local/")

    fresh.move(hills, pos="last-child")

    assert client.get("/local/")["X-Page-Cache"] == "miss"
    old = client.get(STORY)  # Wagtail's redirect to the new address, not the cached story
    assert (old.status_code, old["Location"]) == (301, "/hills/council-approves-new-footbridge-over-the-seti/")


def test_a_story_unpublished_purges_what_it_was_on(fresh):
    fresh.unpublish()
    cache.clear()

    assert purge_list("story_unpublished", page=ArticlePage.objects.get(pk=fresh.pk)).sorted_urls == sorted(
        [*LISTINGS, f"{SITE}/2026/"]
    )


def test_a_story_whose_banner_runs_purges_everything(section):
    story = publish_article(section, title="Landslide", when=timezone.now(),
                            breaking_until=timezone.now() + dt.timedelta(hours=1))

    purged = purge_list("story_edited", page=story)

    assert (purged.everything, purged.reason, purged.urls) == (True, "breaking_news_started", frozenset())


def test_a_story_whose_banner_ran_until_this_change_purges_everything(section):
    story = publish_article(section, title="Landslide", when=timezone.now(),
                            breaking_until=timezone.now() + dt.timedelta(hours=1))
    ArticlePage.objects.filter(pk=story.pk).update(breaking_until=None)
    story.refresh_from_db()

    purged = purge_list("story_edited", page=story)

    assert (purged.everything, purged.reason) == (True, "breaking_news_ended")


@pytest.mark.parametrize("event", sorted(EVERYTHING_EVENTS))
def test_changes_every_page_shows_purge_everything(event):
    purged = purge_list(event)

    assert (purged.everything, purged.reason, purged.keys) == (True, event, [])


def test_the_events_that_purge_everything_are_these():
    assert sorted(EVERYTHING_EVENTS) == [
        "breaking_news_ended",
        "breaking_news_started",
        "section_menu_changed",
        "site_changed",
        "site_identity_changed",
        "site_settings_changed",
        "view_restriction_changed",
    ]


def test_a_section_published_purges_everything(section):
    purged = purge_list("page_published", page=section)

    assert (purged.everything, purged.reason) == (True, "section_menu_changed")


def test_the_about_and_policy_pages_of_the_identity_purge_everything_and_other_pages_themselves(home_page):
    from wagtail.models import Site

    from pressclub.core.models import SiteIdentity, StandardPage

    about, policy, other = (home_page.add_child(instance=StandardPage(title=title, slug=slug))
                            for title, slug in (("About us", "about"), ("Comment policy", "policy"), ("Ethics", "ethics")))
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.about_page, identity.comment_policy_page = about, policy
    identity.save()

    for page in (about, policy):  # every page's footer links them
        purged = purge_list("page_unpublished", page=page)
        assert (purged.everything, purged.reason) == (True, "site_identity_changed")
    assert purge_list("page_unpublished", page=other).sorted_urls == [
        f"{SITE}/ethics/", f"{SITE}/sitemap-pages.xml", f"{SITE}/sitemap.xml"
    ]


def test_the_front_page_published_purges_itself_alone(home_page):
    assert purge_list("page_published", page=home_page).sorted_urls == [f"{SITE}/"]


def test_an_unknown_change_is_refused():
    with pytest.raises(ValueError, match="Unknown change 'story_renamed'"):
        purge_list("story_renamed")


def test_publishing_an_edit_purges_the_listings_and_not_other_pages(client, page_cache, section, author, fresh):
    other = publish_article(section, title="Ward office opens", when=utc(2026, 2, 2), authors=[author])
    other_url = other.url
    client.get(other_url)
    client.get(STORY)
    client.get("/local/")
    client.get("/feeds/rss/")

    revision = fresh.save_revision()
    revision.publish()

    assert client.get(STORY)["X-Page-Cache"] == "miss"
    assert client.get("/local/")["X-Page-Cache"] == "miss"
    assert client.get("/feeds/rss/")["X-Page-Cache"] == "miss"
    # The other story of the section is on none of the edited story's pages: its copy stays.
    assert client.get(other_url)["X-Page-Cache"] == "hit"


def test_a_standard_page_and_the_front_page_renew_the_sitemap_scope_alone(home_page):
    from pressclub.core.models import StandardPage

    ethics = home_page.add_child(instance=StandardPage(title="Ethics", slug="ethics"))

    for event in ("page_published", "page_unpublished"):
        assert purge_list(event, page=ethics).scopes == frozenset({"sitemap"})
        assert purge_list(event, page=home_page).scopes == frozenset({"sitemap"})


def test_publishing_and_withdrawing_a_standard_page_changes_what_the_kept_sitemap_lists(client, page_cache, home_page,
                                                                                       article, monkeypatch):
    from lxml import etree

    from pressclub.core.models import StandardPage
    from pressclub.news.sitemaps import PageSitemap

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def listed():
        """Return the sitemap pages the index names and the URLs of each, as served."""
        index = etree.fromstring(client.get("/sitemap.xml").content)
        pages = [loc for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=ns) if "sitemap-pages" in loc]
        return [etree.fromstring(client.get(loc.removeprefix("http://testserver")).content)
                .xpath("//s:url/s:loc/text()", namespaces=ns) for loc in pages]

    monkeypatch.setattr(PageSitemap, "limit", 2)
    home, local = f"{SITE}/", f"{SITE}/local/"
    assert listed() == [[home, local], [STORY]]
    assert client.get("/sitemap.xml")["X-Page-Cache"] == "hit"

    ethics = home_page.add_child(instance=StandardPage(title="Ethics", slug="ethics", live=False))
    ethics.save_revision().publish()
    assert listed() == [[home, local], [STORY, f"{SITE}/ethics/"]]
    about = home_page.add_child(instance=StandardPage(title="About", slug="about", live=False))
    about.save_revision().publish()
    assert listed() == [[home, local], [STORY, f"{SITE}/ethics/"], [f"{SITE}/about/"]]

    StandardPage.objects.get(pk=ethics.pk).unpublish()
    assert listed() == [[home, local], [STORY, f"{SITE}/about/"]]
    StandardPage.objects.get(pk=about.pk).unpublish()
    assert listed() == [[home, local], [STORY]]

"""The masthead's site identity is kept in Django's cache until the page cache is purged, whether or not
the page cache keeps whole pages."""

from wagtail.models import Site

from pressclub.core.cache import page_cache_purge
from pressclub.core.models import SiteIdentity


def test_site_identity_is_cached_until_the_page_cache_is_purged(client, article, member, settings):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    client.force_login(member)  # a signed-in reader: never served from the page cache
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.tagline = "News of the valley"
    identity.save()
    assert '<p class="tagline">News of the valley</p>' in client.get(article.url).content.decode()
    SiteIdentity.objects.filter(pk=identity.pk).update(tagline="News of the hills")
    assert '<p class="tagline">News of the valley</p>' in client.get(article.url).content.decode()
    page_cache_purge()
    assert '<p class="tagline">News of the hills</p>' in client.get(article.url).content.decode()


def test_site_identity_is_kept_with_the_page_cache_off_until_a_save_purges(client, article, settings):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0  # whole pages are not kept; the masthead still is
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.tagline = "News of the valley"
    identity.save()
    assert '<p class="tagline">News of the valley</p>' in client.get(article.url).content.decode()
    SiteIdentity.objects.filter(pk=identity.pk).update(tagline="News of the hills")  # no signal, no purge
    assert '<p class="tagline">News of the valley</p>' in client.get(article.url).content.decode()
    identity.tagline = "News of the plains"
    identity.save()  # as Settings → Site identity saves it
    assert '<p class="tagline">News of the plains</p>' in client.get(article.url).content.decode()


def test_the_section_menu_is_kept_with_the_page_cache_off_until_a_section_changes(client, home_page, section, article,
                                                                                settings):
    from pressclub.news.models import SectionPage

    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    assert ">Hills</a>" not in client.get(article.url).content.decode()
    hills = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))  # live, no page_published
    assert ">Hills</a>" in client.get(article.url).content.decode()
    hills.unpublish()
    assert ">Hills</a>" not in client.get(article.url).content.decode()

"""Pages routed by path lookup (core.routing) and view restrictions from a cached list (core.restrictions)
answer exactly as Wagtail's own routing and restriction checks would, with the page cache on or off."""

import pytest
from wagtail.models import PageViewRestriction

from pressclub.news.models import ArticlePage
from pressclub.testing.factories import add_section, publish_article, utc


@pytest.fixture(params=[300, 0], ids=["page cache on", "page cache off"])
def cached(request, settings):
    """Turn the page cache on, as in production, or off: the routes and the restriction list are
    kept until a purge either way."""
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = request.param


def test_a_private_section_and_its_stories_stay_hidden_from_every_listing(client, cached, home_page, section, article):
    private = add_section(home_page, title="Members desk", slug="desk")
    secret = publish_article(private, title="Secret water memo", when=utc(2026, 3, 20), labels=["Infrastructure"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    front = client.get("/").content.decode()
    label = client.get("/label/infrastructure/").content.decode()
    response = client.get(secret.url)

    assert ("Members desk" in front, "Secret water memo" in front) == (False, False)
    assert "Secret water memo" not in label and article.title in label
    assert response.status_code == 302
    assert response["Location"] == f"/_util/login/?next={secret.url}"


def test_a_restriction_added_after_a_page_was_served_applies_to_the_next_request(client, cached, article):
    assert client.get(article.url).status_code == 200
    assert client.get("/").content.decode().count(article.title) >= 1

    PageViewRestriction.objects.create(page=article, restriction_type="login")

    assert client.get(article.url).status_code == 302
    assert article.title not in client.get("/").content.decode()


def test_restriction_removed_makes_the_page_public_again(client, cached, article):
    restriction = PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert client.get(article.url).status_code == 302

    restriction.delete()

    assert client.get(article.url).status_code == 200


def test_an_unpublished_page_is_not_found_though_its_route_was_cached(client, cached, article):
    assert client.get(article.url).status_code == 200

    ArticlePage.objects.get(pk=article.pk).unpublish()

    assert client.get(article.url).status_code == 404


def test_a_renamed_page_answers_at_its_new_path_only(client, cached, article):
    old_url = article.url
    assert client.get(old_url).status_code == 200

    page = ArticlePage.objects.get(pk=article.pk)
    page.slug = "footbridge-approved"
    page.save_revision().publish()

    assert client.get(old_url).status_code == 404
    assert client.get("/local/footbridge-approved/").status_code == 200


def test_paths_that_name_no_page_are_not_found(client, cached, article):
    assert client.get("/local/no-such-story/").status_code == 404
    assert client.get("/nowhere/").status_code == 404
    assert client.get(article.url + "extra/").status_code == 404


def test_front_page_lists_each_sections_newest_stories_without_the_lead(client, cached, settings, home_page, section):
    settings.PRESSCLUB_HOME_STORIES_PER_SECTION = 2
    hills = add_section(home_page, title="Hills", slug="hills")
    for day in range(1, 5):
        publish_article(section, title=f"Local story {day}", when=utc(2026, 3, day))
        publish_article(hills, title=f"Hills story {day}", when=utc(2026, 3, day, 13))

    html = client.get("/").content.decode()
    lead = html.split('aria-label="Lead story"')[1].split("</section>")[0]
    listed = [part.split("</a>")[0].rsplit(">", 1)[1] for part in html.split("<h3")[1:]]

    assert "Hills story 4" in lead
    assert listed == ["Local story 4", "Local story 3", "Hills story 3", "Hills story 2"]


def test_a_site_saved_is_seen_on_the_next_request(client, cached, article):
    from wagtail.models import Site

    assert "Valley Press Club News" in client.get(article.url).content.decode()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Hill Town Chronicle"
    site.save()

    assert "Hill Town Chronicle" in client.get(article.url).content.decode()


def test_the_site_chosen_for_each_host_and_port_is_wagtails_choice(home_page):
    from django.test import RequestFactory
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    from pressclub.core.routing import site_for_request

    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="news.example", port=8080, root_page=home_page, site_name="News 8080")
    Site.objects.create(hostname="news.example", port=8443, root_page=home_page, site_name="News 8443")
    Site.objects.create(hostname="hills.example", port=80, root_page=home_page, site_name="Hills")
    Site.objects.create(hostname=default.hostname, port=8000, root_page=home_page, site_name="Default host, 8000")
    hosts = ["news.example", "hills.example", default.hostname, "elsewhere.example"]
    ports = ["80", "8000", "8080", "8443", "9999"]
    seen = set()
    for host in hosts:
        for port in ports:
            request = RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)
            try:
                expected = get_site_for_hostname(host, port)
            except Site.DoesNotExist:
                expected = None
            chosen = site_for_request(request)
            assert getattr(chosen, "pk", None) == getattr(expected, "pk", None), (host, port)
            seen.add(getattr(chosen, "site_name", None))
    # Every kind of answer came up: an exact host and port, a host's only site, the default site.
    assert {"News 8080", "News 8443", "Hills", "Default host, 8000", default.site_name} <= seen

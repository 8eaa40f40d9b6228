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

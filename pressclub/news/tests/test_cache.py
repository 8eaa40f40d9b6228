import pytest

from pressclub.core.cache import page_cache_purge
from pressclub.news.models import ArticlePage
from pressclub.testing.factories import publish_article, utc


def test_anonymous_article_is_served_from_cache_without_queries(client, page_cache, article,
                                                                django_assert_num_queries):
    first = client.get(article.url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/local/", "/label/infrastructure/", "/2026/03/", "/authors/asha-gurung/",
                                  "/feeds/rss/", "/feeds/atom/", "/sitemap.xml"])
def test_reader_pages_are_cached(client, page_cache, article, path):
    assert client.get(path)["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("path", ["/search/?q=footbridge", "/robots.txt", "/no-such-page/"])
def test_search_errors_and_others_are_not_cached(client, page_cache, article, path):
    client.get(path)
    assert "X-Page-Cache" not in client.get(path)


def test_signed_in_readers_are_never_served_the_anonymous_copy(client, page_cache, article, member):
    client.get(article.url)
    client.force_login(member)
    response = client.get(article.url)
    # Their own shared copy is made (core.member_pages), with their name in it.
    assert response["X-Page-Cache"] == "member-miss"
    assert "Ana Ruiz" in response.content.decode()


def test_publishing_purges_the_cache(client, page_cache, section, article):
    client.get("/local/")
    publish_article(section, title="Fresh story", when=utc(2026, 3, 30))
    response = client.get("/local/")
    assert response["X-Page-Cache"] == "miss"
    assert "Fresh story" in response.content.decode()


def test_unpublishing_purges_the_cache(client, page_cache, article):
    client.get("/")
    ArticlePage.objects.get(pk=article.pk).unpublish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert article.title not in response.content.decode()


def test_purge_function_forgets_every_page(client, page_cache, article):
    client.get(article.url)
    client.get("/")
    page_cache_purge()
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_query_strings_are_cached_apart(client, page_cache, article):
    client.get("/local/")
    assert client.get("/local/?page=2")["X-Page-Cache"] == "miss"


def test_section_navigation_is_cached_until_publishing(client, page_cache, home_page, article, member):
    client.force_login(member)  # signed in: pages are rendered, only the app's caches help
    client.get(article.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(article.url)
    # The navigation's query lists children of the front page (path LIKE …); routing's fetch by id stays.
    assert [q for q in ctx.captured_queries if 'FROM "news_sectionpage"' in q["sql"] and "LIKE" in q["sql"]] == []
    from pressclub.news.models import SectionPage

    home_page.add_child(instance=SectionPage(title="Hills", slug="hills")).save_revision().publish()
    doc = client.get(article.url).content.decode()
    assert ">Hills</a>" in doc


def _marked(status=200, **headers):
    from django.http import HttpResponse

    from pressclub.core.cache import mark_cacheable

    response = mark_cacheable(HttpResponse("story", status=status))
    for name, value in headers.items():
        response[name] = value
    return response


def test_only_marked_plain_200_responses_are_cacheable(rf):
    from django.http import HttpResponse

    from pressclub.core.cache import response_is_cacheable

    request = rf.get("/local/")
    assert response_is_cacheable(request, _marked()) is True
    assert response_is_cacheable(request, HttpResponse("story")) is False
    assert response_is_cacheable(request, _marked(status=301)) is False
    assert response_is_cacheable(request, _marked(status=404)) is False
    assert response_is_cacheable(request, _marked(Vary="Accept-Language")) is False
    assert response_is_cacheable(request, _marked(**{"Cache-Control": "private"})) is False
    assert response_is_cacheable(request, _marked(**{"Cache-Control": "no-store"})) is False
    with_cookie = _marked()
    with_cookie.set_cookie("seen", "1")
    assert response_is_cacheable(request, with_cookie) is False
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert response_is_cacheable(request, _marked()) is False


def test_head_and_post_requests_store_nothing(client, page_cache, article):
    assert "X-Page-Cache" not in client.head(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.head(article.url)["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.post(article.url)


def test_pages_with_a_session_cookie_are_neither_read_nor_stored(client, page_cache, article):
    client.cookies["sessionid"] = "nonsense"
    assert "X-Page-Cache" not in client.get(article.url)
    del client.cookies["sessionid"]
    assert client.get(article.url)["X-Page-Cache"] == "miss"


def test_a_section_added_without_publishing_shows_in_the_menu_at_once(client, page_cache, home_page, article):
    """Imports and the demo add live sections with add_child, which fires no page_published."""
    from pressclub.news.models import SectionPage

    assert client.get(article.url)["X-Page-Cache"] == "miss"
    home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    response = client.get(article.url)
    assert response["X-Page-Cache"] == "miss"
    assert ">Hills</a>" in response.content.decode()

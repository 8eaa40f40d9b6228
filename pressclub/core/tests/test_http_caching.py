"""Cache-Control and Vary on every response, and the Brotli and gzip copies the page cache keeps per encoding."""

import gzip

import brotli
import pytest

PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400"
PRIVATE = "private, no-store"
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def vary(response) -> list[str]:
    return sorted(field.strip() for field in response.get("Vary", "").split(",") if field.strip())


@pytest.mark.parametrize("path", ["/", "/local/", "/label/infrastructure/", "/2026/03/", "/feeds/rss/", "/sitemap.xml"])
def test_anonymous_reader_pages_are_public_for_a_short_while(client, article, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC
    assert vary(response) == ["Accept-Encoding", "Accept-Language", "Cookie"]


def test_stale_directives_whose_setting_is_zero_are_left_out(client, settings, article):
    settings.PRESSCLUB_STALE_WHILE_REVALIDATE_SECONDS = 0
    settings.PRESSCLUB_STALE_IF_ERROR_SECONDS = 0
    settings.PRESSCLUB_SHARED_CACHE_SECONDS = 60  # as behind CloudFront (README, "Scaling")

    assert client.get("/local/")["Cache-Control"] == "public, max-age=60, s-maxage=60"


def test_anonymous_article_from_the_page_cache_is_public_too(client, page_cache, article):
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    hit = client.get(article.url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Cache-Control"] == PUBLIC
    assert vary(hit) == ["Accept-Encoding", "Accept-Language", "Cookie"]


def test_a_members_article_page_is_private(client, article, member):
    client.force_login(member)
    response = client.get(article.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("path", ["/search/?q=bridge", "/no-such-page/", "/comments/post/1/"])
def test_searches_errors_and_other_answers_are_private(client, article, path):
    assert client.get(path)["Cache-Control"] == PRIVATE


def test_a_members_profile_is_private(client, member):
    client.force_login(member)
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_allauth_forms_keep_their_own_never_cache(client, db, path):
    assert client.get(path)["Cache-Control"] == NEVER_CACHE


def test_the_admin_keeps_its_own_never_cache(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NEVER_CACHE


def test_robots_txt_keeps_its_own_header(client, settings, db):
    assert client.get("/robots.txt")["Cache-Control"] == f"public, max-age={settings.PRESSCLUB_PAGE_CACHE_SECONDS}"


def test_html_is_gzipped_for_clients_that_ask(client, article):
    plain = client.get(article.url)
    zipped = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) // 2


def test_shared_pages_go_brotli_compressed_to_browsers_that_take_br(client, article):
    plain = client.get(article.url)
    compressed = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert (compressed["Content-Encoding"], compressed["Vary"]) == ("br", "Accept-Encoding, Cookie, Accept-Language")
    assert brotli.decompress(compressed.content) == plain.content
    # The page cache is off: compressed for every request, at the fast quality.
    assert compressed.content == brotli.compress(plain.content, mode=brotli.MODE_TEXT, quality=5)
    assert int(compressed["Content-Length"]) == len(compressed.content)


def test_the_page_cache_keeps_the_smallest_brotli_copy(client, page_cache, article):
    compressed = client.get(article.url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert (compressed["X-Page-Cache"], compressed["Content-Encoding"]) == ("miss", "br")
    hit = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert (hit["X-Page-Cache"], hit["Content-Encoding"]) == ("hit", "br")
    plain = client.get(article.url)
    assert brotli.decompress(hit.content) == plain.content
    assert hit.content == brotli.compress(plain.content, mode=brotli.MODE_TEXT, quality=11)
    zipped = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert (zipped["X-Page-Cache"], zipped["Content-Encoding"]) == ("miss", "gzip")


def test_pages_with_a_csrf_token_are_gzipped_even_for_brotli_clients(client, db):
    # A form's page holds a secret: it keeps gzip's random padding against BREACH.
    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert (response.status_code, response["Content-Encoding"]) == (200, "gzip")


def test_the_page_cache_keeps_gzipped_and_plain_copies_apart(client, page_cache, article):
    zipped = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert (zipped["X-Page-Cache"], zipped["Content-Encoding"]) == ("miss", "gzip")
    plain = client.get(article.url)
    assert plain["X-Page-Cache"] == "miss"
    assert "Content-Encoding" not in plain
    zipped_hit = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert (zipped_hit["X-Page-Cache"], zipped_hit["Content-Encoding"]) == ("hit", "gzip")
    assert gzip.decompress(zipped_hit.content) == plain.content
    plain_hit = client.get(article.url, HTTP_ACCEPT_ENCODING="identity")
    assert plain_hit["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in plain_hit
    assert plain_hit.content == plain.content


def test_pages_with_a_csrf_token_get_fresh_random_padding(client, db):
    # BREACH: the same form page compressed twice differs in length, so a secret's length cannot be read.
    lengths = {len(client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(lengths) > 1

"""The page cache stores ready bytes, reads a hit in one round trip, keeps the hottest pages in
process memory without ever serving a purged one, and keeps a copy per interface language."""

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pressclub.core import cache as page_cache
from pressclub.news.models import ArticlePage


@pytest.fixture
def cached(settings):
    """Turn the page cache on, as in production."""
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300


class CountingCache:
    """Wrap the page cache's Django cache, counting the page cache's own round trips (get, get_many
    of page keys and the generation alone; other parts' reads, such as the breaking-news list, are
    not counted)."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name in ("get", "get_many"):
            def counted(key_or_keys, *args, **kwargs):
                keys = [key_or_keys] if isinstance(key_or_keys, str) else list(key_or_keys)
                if all(key.startswith("pressclub:page") for key in keys):
                    self.calls.append(name)
                return attr(key_or_keys, *args, **kwargs)
            return counted
        return attr


@pytest.fixture
def counting(monkeypatch):
    counter = CountingCache(page_cache._cache())
    monkeypatch.setattr(page_cache, "_cache", lambda: counter)
    return counter


def test_a_copy_is_stored_as_bytes_and_headers_not_a_response_object(client, cached, article):
    client.get(article.url)
    key = page_cache.cache_key(client.get(article.url).wsgi_request)

    generation, version, expires, status, headers, body = cache.get(key)

    assert (generation, status) == (page_cache.page_cache_generation(), 200)
    assert version == cache.get(page_cache.version_key(article.url))
    assert isinstance(body, bytes) and b"Council approves new footbridge" in body
    assert dict(headers)["Content-Type"] == "text/html; charset=utf-8"
    assert b"HttpResponse" not in pickle.dumps(cache.get(key))


def test_a_hit_from_the_shared_cache_is_one_round_trip(client, cached, settings, article, counting):
    settings.PRESSCLUB_PAGE_CACHE_LOCAL_PAGES = 0
    client.get(article.url)
    counting.calls.clear()

    response = client.get(article.url)

    assert response["X-Page-Cache"] == "hit"
    assert counting.calls == ["get_many"]


def test_a_hit_from_process_memory_reads_only_the_generation_and_the_path_version(client, cached, article,
                                                                                  counting):
    client.get(article.url)
    client.get(article.url)  # the first hit brings it into this process's memory
    counting.calls.clear()

    response = client.get(article.url)

    assert response["X-Page-Cache"] == "hit"
    assert counting.calls == ["get_many"]
    assert b"Council approves new footbridge" in response.content


def test_process_memory_serves_a_page_evicted_from_the_shared_cache_until_a_purge(client, cached, article):
    client.get(article.url)
    client.get(article.url)
    first_key = page_cache.cache_key(client.get(article.url).wsgi_request)
    assert cache.delete(first_key)  # as when another process's writes pushed it out of Redis

    assert client.get(article.url)["X-Page-Cache"] == "hit"


def test_a_purge_in_another_process_reaches_this_processs_memory(client, cached, article):
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    assert len(page_cache._local_pages) == 1

    # Another worker publishes the headline change: only the shared generation moves.
    ArticlePage.objects.filter(pk=article.pk).update(title="Footbridge vote postponed")
    cache.incr(page_cache.GENERATION_KEY)
    response = client.get(article.url)

    assert response["X-Page-Cache"] == "miss"
    assert "Footbridge vote postponed" in response.content.decode()


def test_a_lost_generation_never_brings_old_copies_back(client, cached, article):
    client.get(article.url)
    client.get(article.url)
    old = page_cache.page_cache_generation()
    cache.delete(page_cache.GENERATION_KEY)  # evicted, or Redis restarted with its pages kept

    response = client.get(article.url)

    assert response["X-Page-Cache"] == "miss"
    assert page_cache.page_cache_generation() > old


def test_process_memory_keeps_the_most_recently_served_pages(client, cached, settings, section, article):
    settings.PRESSCLUB_PAGE_CACHE_LOCAL_PAGES = 2
    for path in ("/", "/local/", article.url):
        client.get(path)
        client.get(path)

    assert len(page_cache._local_pages) == 2
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url)["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def test_each_interface_language_has_its_own_copy(client, cached, article):
    def get(language):
        client.cookies["pressclub_language"] = language
        response = client.get(article.url)
        return response["X-Page-Cache"], response["Content-Language"]

    assert [get("en"), get("en"), get("ne"), get("ne"), get("en")] == [
        ("miss", "en"), ("hit", "en"), ("miss", "ne"), ("hit", "ne"), ("hit", "en"),
    ]


def test_the_language_is_part_of_the_key(rf, cached, db):
    request = rf.get("/local/", HTTP_ACCEPT_ENCODING="gzip")
    with translation.override("hi"):
        key = page_cache.cache_key(request)
    assert key.startswith("pressclub:page:gzip:hi:")


def test_hits_carry_the_policy_headers_of_the_current_settings(client, cached, settings, article):
    miss = client.get(article.url)
    hit = client.get(article.url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in hit["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["https:"]}}
    again = client.get(article.url)

    assert again["X-Page-Cache"] == "hit"
    assert again["Content-Security-Policy"] == "default-src 'self'"
    assert sorted(again["Content-Security-Policy-Report-Only"].split("; ")) == ["default-src 'self'", "img-src https:"]


def test_a_purge_by_url_reaches_every_variant_query_and_process(client, cached, article):
    from django.http import HttpResponse

    client.get(article.url)
    client.get(f"{article.url}?ref=front")
    request = client.get(article.url).wsgi_request  # a hit: now in this process's memory too
    assert page_cache.cached_response(request, variant="member") is None
    page_cache.store_response(request, HttpResponse("the members' copy"), variant="member")
    assert page_cache.cached_response(request, variant="member").content == b"the members' copy"
    anonymous_key = page_cache.cache_key(request)

    deleted = page_cache.page_cache_purge_urls([f"http://testserver{article.url}"], languages=("en", "ne"))

    assert deleted == [
        page_cache.page_cache_keys(f"http://testserver{article.url}", languages=(language,))[n]
        for language in ("en", "ne") for n in (0, 1, 2)
    ]
    assert anonymous_key in deleted and cache.get(anonymous_key) is None
    assert page_cache.cached_response(request, variant="member") is None
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(f"{article.url}?ref=front")["X-Page-Cache"] == "miss"


def test_a_purge_by_url_leaves_other_pages(client, cached, section, article):
    client.get("/local/")
    client.get(article.url)

    page_cache.page_cache_purge_urls([f"http://testserver{article.url}"], languages=("en",))

    assert client.get("/local/")["X-Page-Cache"] == "hit"
    assert client.get(article.url)["X-Page-Cache"] == "miss"


def test_a_lost_path_version_never_brings_old_copies_back(client, cached, article):
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    cache.delete(page_cache.version_key(article.url))  # evicted

    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"


def test_a_reader_waits_for_the_copy_another_request_is_rendering(client, cached, article,
                                                                  django_assert_num_queries):
    import threading

    key = page_cache.cache_key(client.get(article.url).wsgi_request)
    copy = cache.get(key)
    cache.delete(key)  # purged, and another request has started rendering it again
    assert cache.add(f"{key}:rendering", 1, timeout=2)
    threading.Timer(0.1, lambda: cache.set(key, copy, timeout=300)).start()

    with django_assert_num_queries(0):
        response = client.get(article.url)

    assert response["X-Page-Cache"] == "hit"
    assert b"Council approves new footbridge" in response.content


def test_a_reader_renders_the_page_when_the_other_render_ends_without_a_copy(client, cached, article):
    import threading

    key = page_cache.cache_key(client.get(article.url).wsgi_request)
    cache.delete(key)
    assert cache.add(f"{key}:rendering", 1, timeout=2)
    threading.Timer(0.1, lambda: cache.delete(f"{key}:rendering")).start()

    response = client.get(article.url)

    assert response["X-Page-Cache"] == "miss"
    assert cache.get(f"{key}:rendering") is None  # its own lock ended with its render


class AllReads:
    """Wrap Django's cache, noting the keys of each ``get`` and ``get_many`` (one round trip each)."""

    def __init__(self, inner):
        self.inner, self.reads = inner, []

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name in ("get", "get_many"):
            def noted(key_or_keys, *args, **kwargs):
                self.reads.append([key_or_keys] if isinstance(key_or_keys, str) else list(key_or_keys))
                return attr(key_or_keys, *args, **kwargs)
            return noted
        return attr


def test_values_read_ahead_are_read_in_one_round_trip(cached, monkeypatch):
    cache.clear()
    page_cache.cached_until_purge("pressclub:a", lambda: "A", timeout=60, scope="s")
    page_cache.cached_until_purge("pressclub:b", lambda: "B", timeout=60)
    counting = AllReads(cache)
    monkeypatch.setattr(page_cache, "_cache", lambda: counting)
    keys = [*page_cache.cached_until_purge_keys("pressclub:a", "s"), *page_cache.cached_until_purge_keys("pressclub:b")]
    with page_cache.read_ahead(keys):
        assert page_cache.cached_until_purge("pressclub:a", lambda: "new", timeout=60, scope="s") == "A"
        assert page_cache.cached_until_purge("pressclub:b", lambda: "new", timeout=60) == "B"
        assert page_cache.cached_until_purge("pressclub:b", lambda: "new", timeout=60) == "B"
    assert counting.reads == [[page_cache.GENERATION_KEY, "pressclub:a", page_cache.scope_key("s"), "pressclub:b"]]


def test_a_read_not_read_ahead_and_a_value_stored_inside_go_to_the_cache(cached, monkeypatch):
    cache.clear()
    page_cache.cached_until_purge("pressclub:a", lambda: "A", timeout=60)
    counting = AllReads(cache)
    monkeypatch.setattr(page_cache, "_cache", lambda: counting)
    with page_cache.read_ahead(page_cache.cached_until_purge_keys("pressclub:b")):
        assert page_cache.cached_until_purge("pressclub:a", lambda: "new", timeout=60) == "A"  # not read ahead
        assert page_cache.cached_until_purge("pressclub:b", lambda: "B", timeout=60) == "B"  # missing: stored
        assert page_cache.cached_until_purge("pressclub:b", lambda: "new", timeout=60) == "B"  # from the cache
    assert counting.reads == [
        [page_cache.GENERATION_KEY, "pressclub:b"],
        [page_cache.GENERATION_KEY, "pressclub:a"],
        [page_cache.GENERATION_KEY, "pressclub:b"],
    ]


def test_a_purge_after_the_block_is_seen(cached):
    cache.clear()
    page_cache.cached_until_purge("pressclub:a", lambda: "A", timeout=60)
    with page_cache.read_ahead(page_cache.cached_until_purge_keys("pressclub:a")):
        page_cache.page_cache_purge()
        assert page_cache.cached_until_purge("pressclub:a", lambda: "new", timeout=60) == "A"  # as read ahead
    assert page_cache.cached_until_purge("pressclub:a", lambda: "newer", timeout=60) == "newer"


def test_nothing_is_read_ahead_without_the_page_cache(settings, monkeypatch):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    counting = AllReads(cache)
    monkeypatch.setattr(page_cache, "_cache", lambda: counting)
    with page_cache.read_ahead(page_cache.cached_until_purge_keys("pressclub:a")):
        pass
    assert counting.reads == []

"""Redis stopped: pages are still served and comments still accepted, with production's Redis options."""

import datetime as dt
import socket

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone

from pressclub.comments.models import Comment
from pressclub.comments.tokens import started_token


@pytest.fixture
def dead_redis(settings):
    """Point the cache at a loopback port where nothing listens, with production's options and sessions."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "pressclub.core.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": django_settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    yield
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.mark.django_db
def test_a_member_signs_in_posts_and_reads_while_redis_is_down(client, dead_redis, article, club_member, caplog):
    assert cache.get("anything") is None  # the dead port answers as a miss
    response = client.post("/accounts/login/", {"login": "ana.ruiz@example.org", "password": "correct horse 42"})
    assert response.status_code == 302
    data = {
        "body": "The bridge is open again.",
        "idempotency_key": "outage-1",
        "started": started_token(timezone.now() - dt.timedelta(seconds=20)),
        "homepage": "",
        "parent": "",
    }
    response = client.post(f"/comments/post/{article.pk}/", data)
    comment = Comment.objects.get()
    assert (response.status_code, response["Location"]) == (303, f"{article.url}#comment-{comment.pk}")
    assert (comment.body, comment.status) == ("The bridge is open again.", "approved")
    page = client.get(article.url)
    assert page.status_code == 200
    assert "The bridge is open again." in page.content.decode()
    assert "Exception ignored" in caplog.text


@pytest.mark.django_db
def test_anonymous_readers_get_pages_while_redis_is_down(client, dead_redis, article):
    for _ in range(2):
        response = client.get(article.url)
        assert response.status_code == 200
        assert "Council approves new footbridge over the Seti" in response.content.decode()
        assert "X-Page-Cache" in response  # stored and looked up in vain: every request is a miss
        assert response["X-Page-Cache"] == "miss"

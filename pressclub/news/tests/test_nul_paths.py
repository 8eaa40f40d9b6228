"""A NUL character (``%00``) in a URL path is a 404 on every URL shape, with nothing logged at ERROR."""

import logging

import pytest

SHAPES = [
    "/%00/",
    "/local/%00/",
    "/local/council-approves%00/",
    "/label/%00/",
    "/label/infrastructure%00/",
    "/authors/%00/",
    "/authors/asha-gurung%00/",
    "/feeds/section/local%00/rss/",
    "/feeds/section/%00/atom/",
    "/feeds/label/infrastructure%00/rss/",
    "/feeds/label/%00/atom/",
    "/feeds/author/asha-gurung%00/rss/",
    "/feeds/author/%00/atom/",
    "/search/label/%00",
    "/feeds/posts/default/-/%00",
    "/2026/03/council%00.html",
    "/p/about%00.html",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", SHAPES)
def test_nul_in_the_path_is_not_found_without_a_traceback(client, article, path, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get(path)
    assert response.status_code == 404
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    # The site's own 404 page.
    assert "<title>Page not found — " in response.text

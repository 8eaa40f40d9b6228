"""``/media/`` served by the site itself: far-future headers for renditions, no listing, no way out."""

import pytest

from pressclub.core.media import ORIGINAL_CACHE_CONTROL, RENDITION_CACHE_CONTROL


@pytest.fixture
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, content in {
        "images/harbour.2e16d0ba.fill-300x200.jpg": b"\xff\xd8rendition",
        "original_images/harbour.jpg": b"\xff\xd8original",
        "documents/minutes.pdf": b"%PDF-private",
    }.items():
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(content)
    (tmp_path / "secret.txt").write_text("outside media")
    return settings.MEDIA_ROOT


def test_a_rendition_is_served_with_far_future_headers(client, media_root):
    response = client.get("/media/images/harbour.2e16d0ba.fill-300x200.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8rendition"
    assert (response["Content-Type"], response["Cache-Control"]) == ("image/jpeg", RENDITION_CACHE_CONTROL)
    assert RENDITION_CACHE_CONTROL == "public, max-age=31536000, immutable"
    assert "Last-Modified" in response


def test_an_original_is_served_for_an_hour(client, media_root):
    response = client.get("/media/original_images/harbour.jpg")
    assert response.status_code == 200
    assert response["Cache-Control"] == ORIGINAL_CACHE_CONTROL == "public, max-age=3600"


@pytest.mark.parametrize("path", ["/media/", "/media/images/", "/media/documents/minutes.pdf", "/media/nothing.jpg"])
def test_listings_documents_and_missing_files_are_404(client, media_root, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"PDF" not in response.content


@pytest.mark.parametrize("path", ["/media/../secret.txt", "/media/images/../../secret.txt", "/media/%2e%2e/secret.txt"])
def test_paths_outside_media_are_refused_as_bad_requests(client, media_root, path):
    response = client.get(path)  # Django's safe_join refuses them (SuspiciousFileOperation)
    assert response.status_code == 400
    assert b"outside media" not in response.content


def test_a_post_to_media_is_refused(client, media_root):
    assert client.post("/media/original_images/harbour.jpg").status_code == 405


def test_nginx_serving_media_turns_the_route_off(client, media_root, settings):
    from importlib import reload

    from django.urls import clear_url_caches

    from pressclub import urls

    settings.PRESSCLUB_SERVE_MEDIA = False
    try:
        clear_url_caches()
        reload(urls)
        assert client.get("/media/original_images/harbour.jpg", follow=True).status_code == 404
    finally:
        settings.PRESSCLUB_SERVE_MEDIA = True
        reload(urls)
        clear_url_caches()

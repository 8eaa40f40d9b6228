"""Uploading a damaged image in the admin: a clear message on the form, never a server error."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def jpeg_bytes(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (120, 160, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def desk_client(client, moderator):
    client.force_login(moderator)
    return client


def test_a_truncated_jpeg_is_refused_with_a_clear_message(desk_client):
    data = jpeg_bytes()
    damaged = SimpleUploadedFile("bridge.jpg", data[: len(data) // 2], content_type="image/jpeg")
    response = desk_client.post("/admin/images/add/", {"title": "Bridge", "file": damaged, "collection": "1"})
    assert response.status_code == 200
    assert "This image file is damaged or incomplete" in response.content.decode()
    assert get_image_model().objects.count() == 0


def test_a_truncated_jpeg_in_the_multiple_uploader_gets_the_same_message(desk_client):
    data = jpeg_bytes()
    damaged = SimpleUploadedFile("bridge.jpg", data[: len(data) // 2], content_type="image/jpeg")
    response = desk_client.post("/admin/images/multiple/add/", {"files[]": damaged, "collection": "1"},
                                headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    assert "This image file is damaged or incomplete" in response.content.decode()
    assert get_image_model().objects.count() == 0


def test_a_whole_jpeg_uploads(desk_client):
    whole = SimpleUploadedFile("bridge.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = desk_client.post("/admin/images/add/", {"title": "Bridge", "file": whole, "collection": "1"})
    assert response.status_code == 302
    assert get_image_model().objects.get().width == 800

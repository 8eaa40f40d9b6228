"""A reporter's iPhone photo, end to end in Debian's chromium: uploaded as HEIC in the admin, made
the lead image of a published story, and shown to readers as AVIF (WebP, JPEG fallback) with no
GPS position left in any file under MEDIA_ROOT."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.images import get_image_model

from pressclub.testing.photos import phone_photo, photo_metadata

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse 42"


def test_an_iphone_heic_upload_reaches_readers_as_avif_without_gps(chromium, live_server, ground, article, settings,
                                                                   tmp_path):
    media = tmp_path / "media"  # files on disk, as in production, to look into every one
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}}}
    heic = tmp_path / "IMG_0042.HEIC"
    heic.write_bytes(phone_photo("HEIF", size=(800, 600), orientation=1))
    assert photo_metadata(heic.read_bytes())["gps"] != {}
    get_user_model().objects.create_superuser(email="desk@example.org", password=PASSWORD, display_name="Desk")

    context = chromium.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("desk@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/images/multiple/add/")
    page.locator("#fileupload").set_input_files(str(heic))
    page.locator("#upload-list .upload-success").wait_for()
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (800, 600)

    article.lead_image = image
    article.lead_image_alt = "Marchers on the footbridge"
    article.save_revision().publish()  # publishing makes the renditions (the worker's task)
    # 360, 720 and its own 800 px, and the front page's 96 and 192 px thumbnails, in AVIF, WebP and JPEG
    assert image.renditions.count() == 15

    page.goto(f"{live_server.url}{article.url}")
    shown = page.evaluate("""() => {
        const picture = document.querySelector('picture');
        const img = picture.querySelector('img');
        return {types: [...picture.querySelectorAll('source')].map(s => s.type),
                widths: [...picture.querySelectorAll('source')].map(s => s.srcset.split(', ').map(c => c.split(' ')[1])),
                width: img.getAttribute('width'), height: img.getAttribute('height'),
                fallback: img.getAttribute('src'), loading: img.loading, current: img.currentSrc, alt: img.alt};
    }""")
    assert shown["types"] == ["image/avif", "image/webp"]
    assert shown["widths"] == [["360w", "720w", "800w"]] * 2
    assert (shown["width"], shown["height"]) == ("360", "270")
    assert shown["fallback"].endswith(".width-360.format-jpeg.jpg")
    assert shown["loading"] == "auto" and shown["alt"] == "Marchers on the footbridge"
    assert shown["current"].endswith(".avif")

    files = [path for path in media.rglob("*") if path.is_file()]
    assert len(files) == 16  # the stored original and its 15 renditions
    assert {path.name: photo_metadata(path.read_bytes())["gps"] for path in files} == {path.name: {} for path in files}

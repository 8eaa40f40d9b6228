"""Uploaded photos lose their location and camera metadata and stand upright, in every format."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from pressclub.core.images import ImageMetadataError, image_bytes_clean
from pressclub.testing.photos import phone_exif, phone_photo, photo_metadata

BLUE_TOP = "blue"
EXTENSIONS = {"JPEG": "jpg", "HEIF": "heic", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}


def colour(rgb):
    """Name the dominant channel of a pixel: "blue", "red" or "other"."""
    r, g, b = rgb
    return "blue" if b > 150 > r else "red" if r > 150 > b else "other"


def stored_bytes(field_file):
    with field_file.open("rb") as f:
        return f.read()


def save_photo(fmt, **kwargs):
    data = phone_photo(fmt, **kwargs)
    Image = get_image_model()
    image = Image(title="Protest at the bridge", file=SimpleUploadedFile(f"photo.{EXTENSIONS[fmt]}", data))
    image.save()
    return image


@pytest.mark.parametrize("fmt", ["JPEG", "HEIF", "PNG", "WEBP", "AVIF"])
def test_clean_bytes_drop_gps_camera_and_xmp_and_stand_upright(fmt):
    source = photo_metadata(phone_photo(fmt))
    assert source["gps"] != {} and source["xmp"] is True

    data, written = image_bytes_clean(phone_photo(fmt))
    found = photo_metadata(data)

    stored = "JPEG" if fmt == "HEIF" else fmt  # HEIC is stored as JPEG
    assert (written, found["format"], found["size"], found["exif"], found["gps"], found["xmp"]) == (stored, stored, (32, 64), {}, {}, False)
    assert (colour(found["top"]), colour(found["bottom"])) == ("blue", "red")


def animation(fmt, **metadata):
    from io import BytesIO

    from PIL import Image as PILImage

    frames = [PILImage.new("RGB", (20, 10), (n * 100, 0, 255 - n * 100)) for n in range(3)]
    out = BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0, **metadata)
    return out.getvalue()


def frames_of(data):
    from io import BytesIO

    from PIL import Image as PILImage

    image = PILImage.open(BytesIO(data))
    timing = []
    for n in range(image.n_frames):
        image.seek(n)
        image.load()  # WebP sets a frame's duration when it is decoded
        timing.append(image.info.get("duration"))
    return image.format, image.n_frames, timing, image.info.get("loop")


@pytest.mark.parametrize(("fmt", "metadata"), [
    ("GIF", {"comment": b"Taken at 27.7N 85.3E by R. Thapa", "xmp": b"<x>GPSLatitude 27.7N</x>"}),
    ("WEBP", {"exif": phone_exif(), "xmp": b"<x>GPSLatitude 27.7N</x>"}),
])
def test_animations_keep_their_frames_and_timing_and_lose_comments_exif_and_xmp(fmt, metadata):
    source = animation(fmt, **metadata)
    assert b"27.7N" in source

    data, written = image_bytes_clean(source)

    assert written == fmt
    assert b"27.7N" not in data and b"Thapa" not in data
    assert photo_metadata(data)["gps"] == {} and photo_metadata(data)["exif"] == {}
    assert frames_of(data) == (fmt, 3, [100, 200, 300], 0)
    assert image_bytes_clean(data) is None  # clean now: left alone
    assert image_bytes_clean(animation(fmt)) is None  # never had any


def test_clean_bytes_leave_a_clean_file_alone_and_refuse_garbage():
    from io import BytesIO

    from PIL import Image as PILImage

    out = BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(out, "JPEG")
    assert image_bytes_clean(out.getvalue()) is None
    with pytest.raises(ImageMetadataError, match="The image file could not be read"):
        image_bytes_clean(b"not an image at all")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["JPEG", "HEIF"])
def test_stored_original_and_every_rendition_carry_no_gps(fmt):
    image = save_photo(fmt)

    original = stored_bytes(image.file)
    assert image.file.name.endswith(".jpg")
    assert (image.width, image.height, image.file_size) == (32, 64, len(original))
    meta = photo_metadata(original)
    assert (meta["exif"], meta["gps"], meta["xmp"], colour(meta["top"])) == ({}, {}, False, BLUE_TOP)

    specs = ["width-16|format-avif", "width-16|format-webp", "width-16|format-jpeg", "width-16"]
    renditions = image.get_renditions(*specs)
    for spec in specs:
        data = stored_bytes(renditions[spec].file)
        meta = photo_metadata(data)
        assert (meta["exif"], meta["gps"], meta["xmp"], meta["size"], colour(meta["top"])) == ({}, {}, False, (16, 32), BLUE_TOP), spec
    assert photo_metadata(original)["format"] == photo_metadata(stored_bytes(renditions["width-16"].file))["format"] == "JPEG"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["IMG_0042.HEIC", "IMG_0042.heif"])
def test_heic_photo_uploaded_through_the_admin_form_is_stored_without_gps(client, name):
    editor = get_user_model().objects.create_superuser(email="desk@example.org", password="correct horse 42")
    client.force_login(editor)
    assert "image/heic, image/avif, image/heif" in client.get(reverse("wagtailimages:add")).content.decode()
    upload = SimpleUploadedFile(name, phone_photo("HEIF"), content_type="image/heic")

    response = client.post(reverse("wagtailimages:add"), {"title": "Bridge", "file": upload})

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Bridge")
    meta = photo_metadata(stored_bytes(image.file))
    assert (meta["format"], meta["size"], meta["gps"], meta["exif"], meta["xmp"]) == ("JPEG", (32, 64), {}, {}, False)
    assert (image.width, image.height) == (32, 64)
    # Stored as JPEG under its own name; the storage adds a suffix when an earlier test left that name.
    assert re.fullmatch(r"IMG_0042(_[A-Za-z0-9]{7})?\.jpg", image.file.name.rsplit("/", 1)[-1])


@pytest.mark.django_db
def test_admin_form_names_a_file_that_is_not_an_image(client):
    editor = get_user_model().objects.create_superuser(email="desk@example.org", password="correct horse 42")
    client.force_login(editor)
    upload = SimpleUploadedFile("notes.heic", b"just some text", content_type="image/heic")

    response = client.post(reverse("wagtailimages:add"), {"title": "Notes", "file": upload})

    assert response.status_code == 200
    assert "Upload a valid image." in response.content.decode()
    assert get_image_model().objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db
def test_twelve_megapixel_phone_photo_is_accepted(client):
    editor = get_user_model().objects.create_superuser(email="desk@example.org", password="correct horse 42")
    client.force_login(editor)
    data = phone_photo("JPEG", size=(4032, 3024), noise=True, quality=97)
    assert 7_000_000 < len(data) < 10_000_000

    upload = SimpleUploadedFile("IMG_0043.JPG", data, content_type="image/jpeg")
    response = client.post(reverse("wagtailimages:add"), {"title": "Twelve", "file": upload})

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Twelve")
    assert (image.width, image.height) == (3024, 4032)
    assert photo_metadata(stored_bytes(image.file))["gps"] == {}


def test_avif_renditions_are_encoded_at_the_configured_speed(settings):
    """Willow's AVIF writer hands PRESSCLUB_AVIF_SPEED to Pillow: the bytes are Pillow's at that speed."""
    from io import BytesIO

    from PIL import Image as PILImage
    from willow.image import Image as WillowImage

    picture = PILImage.radial_gradient("L").convert("RGB").resize((192, 144))
    source = BytesIO()
    picture.save(source, "PNG")

    def pillow(speed):
        out = BytesIO()
        PILImage.open(BytesIO(source.getvalue())).save(out, "AVIF", quality=40, speed=speed)
        return out.getvalue()

    from willow.plugins.pillow import PillowImage

    converted, direct = BytesIO(), BytesIO()
    WillowImage.open(BytesIO(source.getvalue())).save_as_avif(converted, quality=40)  # through the registry
    PillowImage(PILImage.open(BytesIO(source.getvalue()))).save_as_avif(direct, quality=40)  # as Wagtail calls it
    assert settings.PRESSCLUB_AVIF_SPEED == 4
    assert converted.getvalue() == direct.getvalue() == pillow(4) != pillow(6)


@pytest.fixture
def avif_encoder_speeds(monkeypatch):
    """Record the speed and ICC profile each AVIF encode hands libavif, as ``[(speed, icc), …]``."""
    from PIL import AvifImagePlugin

    calls = []
    encoder = AvifImagePlugin._avif.AvifEncoder

    def spy(*args):
        calls.append((args[3], args[11]))  # Pillow's positional order: size, subsampling, quality, speed, …
        return encoder(*args)

    monkeypatch.setattr(AvifImagePlugin._avif, "AvifEncoder", spy)
    return calls


def test_willow_hands_the_avif_speed_to_the_encoder(settings, avif_encoder_speeds):
    from io import BytesIO

    from PIL import Image as PILImage
    from willow.plugins.pillow import PillowImage

    PillowImage(PILImage.new("RGB", (32, 24), "blue")).save_as_avif(BytesIO(), quality=40)

    assert settings.PRESSCLUB_AVIF_SPEED == 4
    assert avif_encoder_speeds == [(4, b"")]


def test_the_avif_speed_reaches_the_encoder_for_a_cmyk_image_converted_to_srgb(avif_encoder_speeds, monkeypatch):
    """Willow saves another Pillow image than its own when a CMYK image has an ICC profile."""
    from io import BytesIO

    from PIL import Image as PILImage
    from PIL import ImageCms
    from willow.plugins.pillow import PillowImage

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    converted = []

    def to_srgb(self, rendering_intent=0):
        # Stands in for the ICC transform (no CMYK profile ships with the test tools): a new image.
        image = self.image.convert("RGB")
        image.info["icc_profile"] = srgb
        converted.append(image)
        return PillowImage(image)

    monkeypatch.setattr(PillowImage, "transform_colorspace_to_srgb", to_srgb)
    cmyk = PILImage.new("CMYK", (32, 24), (255, 0, 0, 0))
    cmyk.info["icc_profile"] = b"a CMYK profile"

    PillowImage(cmyk).save_as_avif(BytesIO(), quality=40)

    assert len(converted) == 1
    assert avif_encoder_speeds == [(4, srgb)]


def test_an_avif_save_naming_its_speed_keeps_it(avif_encoder_speeds):
    from io import BytesIO

    from PIL import Image as PILImage

    PILImage.new("RGB", (32, 24), "blue").save(BytesIO(), "AVIF", speed=9)
    PILImage.new("RGB", (32, 24), "blue").save(BytesIO(), "AVIF", save_all=True)

    assert avif_encoder_speeds == [(9, b""), (6, b"")]

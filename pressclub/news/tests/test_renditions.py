"""An article's images are made in every reader format and width when it is published, not on a read,
and its lead image's front-page thumbnails too."""

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from pressclub.testing.factories import publish_article, utc


def test_publishing_makes_every_reader_rendition_of_lead_and_body_images(section, django_capture_on_commit_callbacks):
    lead = Image.objects.create(title="Bridge", file=get_test_image_file(size=(1600, 900)))
    body = Image.objects.create(title="Market", file=get_test_image_file(size=(1000, 500)))

    with django_capture_on_commit_callbacks(execute=True):
        publish_article(section, title="Market day", when=utc(2026, 3, 9), lead_image=lead, body=[
            ("image", {"image": body, "alt_text": "", "caption": "Stalls.", "credit": ""}),
        ])

    assert sorted(lead.renditions.values_list("filter_spec", flat=True)) == sorted(
        [f"width-{w}|format-{fmt}" for fmt in ("avif", "webp", "jpeg") for w in (360, 720, 1080, 1280)]
        + [
            f"fill-{size}|format-{fmt}|{quality}"
            for fmt, quality in (("avif", "avifquality-40"), ("webp", "webpquality-60"), ("jpeg", "jpegquality-60"))
            for size in ("96x72", "192x144")
        ]
    )
    assert sorted(body.renditions.values_list("filter_spec", flat=True)) == sorted(
        f"width-{w}|format-{fmt}" for fmt in ("avif", "webp", "jpeg") for w in (360, 720, 1000)
    )


def test_reading_a_published_article_makes_no_rendition(client, section, django_capture_on_commit_callbacks):
    lead = Image.objects.create(title="Bridge", file=get_test_image_file(size=(800, 400)))
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_article(section, title="Bridge", when=utc(2026, 3, 9), lead_image=lead)
    made = lead.renditions.count()

    assert client.get(page.url).status_code == 200
    assert (made, lead.renditions.count()) == (15, 15)  # 3 widths and 2 thumbnail sizes, in 3 formats
    assert client.get("/").status_code == 200  # the front page's thumbnail is made already too
    assert lead.renditions.count() == 15

"""Library images inside imported (sanitised) HTML reach readers as AVIF/WebP/JPEG pictures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from pressclub.core.blocks import SanitizedHTMLBlock
from pressclub.core.html_images import html_pictures, library_file_name
from pressclub.core.renditions import image_renditions_make
from pressclub.testing.photos import phone_photo

pytestmark = pytest.mark.django_db


def library_image(name="bridge.jpg", size=(800, 600)):
    Image = get_image_model()
    image = Image(title="Bridge", file=SimpleUploadedFile(name, phone_photo("JPEG", size=size, orientation=1)))
    image.save()
    return image


def srcset(image, fmt, widths):
    return ", ".join(f"{image.get_rendition(f'width-{w}|format-{fmt}').url} {w}w" for w in widths)


def test_library_file_name_reads_paths_and_urls_under_media_originals():
    assert library_file_name("/media/original_images/bridge.jpg") == "original_images/bridge.jpg"
    assert library_file_name("https://news.example.org/media/original_images/a%20b.jpg") == "original_images/a b.jpg"
    assert library_file_name("/media/images/bridge.width-360.jpg") is None
    assert library_file_name("https://1.bp.blogspot.com/original_images/x.jpg") is None
    assert library_file_name("/media/original_images/") is None


def test_imported_img_becomes_the_reader_picture_never_wider_than_the_original():
    image = library_image()
    src = image.file.url
    html = f'<p>At the bridge.</p><img src="{src}" alt="Marchers &quot;on&quot; the bridge" title="Bridge" width="1600">'
    image_renditions_make(image)
    jpeg = image.get_rendition("width-360|format-jpeg")
    assert (jpeg.width, jpeg.height) == (360, 270)
    sizes = "(min-width:44rem) 42rem, calc(100vw - 2rem)"
    expected = (
        "<p>At the bridge.</p><picture>"
        f'<source sizes="{sizes}" srcset="{srcset(image, "avif", [360, 720, 800])}" type="image/avif">'
        f'<source sizes="{sizes}" srcset="{srcset(image, "webp", [360, 720, 800])}" type="image/webp">'
        f'<img alt="Marchers &quot;on&quot; the bridge" decoding="async" height="270" loading="lazy" '
        f'sizes="{sizes}" src="{jpeg.url}" srcset="{srcset(image, "jpeg", [360, 720, 800])}" title="Bridge" width="360">'
        "</picture>"
    )
    with CaptureQueriesContext(connection) as queries:
        out = str(SanitizedHTMLBlock().render(html))
    assert out.replace("\n", "") == expected
    assert len(queries) == 2  # the images, then their renditions: none is made on the reader's request


def test_two_images_in_one_block_take_two_queries_and_outside_images_stay():
    first, second = library_image("one.jpg", size=(400, 300)), library_image("two.jpg", size=(400, 300))
    for image in (first, second):
        image_renditions_make(image)
    html = (f'<img src="{first.file.url}" alt="One"><img src="https://example.org/x.jpg" alt="Away">'
            f'<img src="{second.file.url}">')
    with CaptureQueriesContext(connection) as queries:
        out = html_pictures(html)
    assert len(queries) == 2
    assert out.count("<picture>") == 2
    assert '<img src="https://example.org/x.jpg" alt="Away">' in out
    assert 'alt=""' in out  # the image with no alt is decorative, not unnamed
    assert f'src="{first.file.url}"' not in out


def test_an_alt_holding_angle_brackets_stays_whole():
    image = library_image("arrow.jpg", size=(400, 300))
    image_renditions_make(image)
    out = str(SanitizedHTMLBlock().render(f'<p><img alt="Road > river <b>" src="{image.file.url}"> after</p>'))
    assert out.startswith("<p><picture>") and out.endswith("</picture> after</p>")
    assert 'alt="Road &gt; river &lt;b&gt;"' in out
    assert out.count("<img") == 1


def test_a_src_naming_no_library_image_and_unsafe_markup_stay_as_sanitised():
    html = '<img src="/media/original_images/gone.jpg" alt="Gone" onerror="alert(1)"><script>x()</script>'
    out = str(SanitizedHTMLBlock().render(html))
    assert out == '<img src="/media/original_images/gone.jpg" alt="Gone">'


def test_publishing_makes_the_renditions_of_images_inside_html_blocks(article):
    from pressclub.news.tasks import make_article_renditions

    image = library_image("inside.jpg", size=(500, 400))
    article.lead_image = None
    article.body = [("html", f'<p>x</p><img src="{image.file.url}" alt="Inside">')]
    article.save()
    assert [i.pk for i in article.get_rendition_images()] == [image.pk]
    assert make_article_renditions.call(article.pk) == 6  # 360 and 500 px, in AVIF, WebP and JPEG
    assert image.renditions.count() == 6

"""Hostile Blogger exports: inline base64 images, gzipped files, oversized entries, unclosed raw-text tags."""

import base64
import gc
import gzip
import hashlib
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from wagtail.images import get_image_model

from pressclub.importers.blogger import parser
from pressclub.importers.blogger.parser import (
    BloggerPost,
    MalformedEntry,
    extract_inline_images,
    iter_entries,
)
from pressclub.importers.models import ImportedItem
from pressclub.importers.services import blogger_import
from pressclub.news.models import ArticlePage

LEGACY = Path(__file__).parent / "fixtures" / "legacy.xml"
B = "tag:blogger.com,1999:blog-300"
# A 1×1 GIF.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
GIF_SHA = hashlib.sha256(GIF).hexdigest()
GIF_URL = "data:image/gif;base64," + base64.b64encode(GIF).decode()


def export(*posts: tuple[str, str]) -> bytes:
    """Return a Takeout export with one live post per ``(slug, html)``."""
    entries = "".join(
        f"<entry><id>{B}.post-{n}</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>"
        f"<title>Story {n}</title><content type='html'>{escape(html)}</content>"
        f"<published>2015-03-0{n}T10:00:00Z</published><updated>2015-03-0{n}T10:00:00Z</updated>"
        f"<blogger:filename>/2015/03/{slug}.html</blogger:filename></entry>"
        for n, (slug, html) in enumerate(posts, start=1)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        f"xmlns:blogger='http://schemas.google.com/blogger/2018'><id>{B}</id><title>Hostile Desk</title>"
        f"{entries}</feed>"
    ).encode()


def body_html(slug: str) -> str:
    return "".join(str(block.value) for block in ArticlePage.objects.get(slug=slug).body)


# --- inline images ---------------------------------------------------------------------------------


def test_inline_images_are_taken_out_of_the_html():
    html = f'<p>Hall</p><img alt="Hall" src="{GIF_URL}"><img src=\'{GIF_URL[:22]}\n{GIF_URL[22:]}\'>'
    html += '<img src="data:image/svg+xml;base64,PHN2Zz4=">'

    content, images = extract_inline_images(html)

    assert content == (
        f'<p>Hall</p><img alt="Hall" src="inline-image:{GIF_SHA}"><img src=\'inline-image:{GIF_SHA}\'>'
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">'
    )
    assert list(images) == [GIF_SHA]
    assert (images[GIF_SHA].mime, images[GIF_SHA].data, images[GIF_SHA].extension) == ("image/gif", GIF, "gif")


def test_an_entry_with_an_inline_image_becomes_an_image_file(home_page, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    source = export(("hall", f'<p>The hall.</p><p><img src="{GIF_URL}" alt="The hall"></p><p>After.</p>'))

    report = blogger_import(source=source)
    again = blogger_import(source=source)

    image = get_image_model().objects.get()
    assert image.file.read() == GIF
    assert image.file.name == f"original_images/hall-{GIF_SHA[:12]}.gif"
    assert (image.title, image.width, image.height) == ("Story 1", 1, 1)
    assert body_html("hall") == f'<p>The hall.</p><p><img src="{image.file.url}" alt="The hall"></p><p>After.</p>'
    assert (report.images, report.skipped, again.images, again.unchanged) == (1, [], 0, 1)
    assert ImportedItem.objects.get(source_id=f"image:sha256:{GIF_SHA}").object_id == image.pk


def test_a_dry_run_counts_inline_images_and_writes_none(home_page):
    report = blogger_import(source=export(("hall", f'<img src="{GIF_URL}" alt="">')), dry_run=True)

    assert (report.images, report.posts) == (1, 1)
    assert get_image_model().objects.count() == 0


def test_inline_bytes_that_are_no_image_are_reported_and_the_post_kept(home_page):
    bogus = base64.b64encode(b"not a gif at all").decode()
    sha = hashlib.sha256(b"not a gif at all").hexdigest()

    report = blogger_import(source=export(("hall", f'<p>Text</p><img src="data:image/gif;base64,{bogus}" alt="x">')))

    assert report.posts == 1
    assert [entry_id for entry_id, _reason in report.skipped] == [f"inline image {sha[:12]} in {B}.post-1"]
    assert body_html("hall") == '<p>Text</p><img alt="x">'


def test_an_entry_too_large_to_hold_is_reported_with_its_id(home_page, monkeypatch):
    monkeypatch.setattr(parser, "MAX_BODY_CHARS", 1000)
    source = export(("small", "<p>Short.</p>"), ("huge", "<p>" + "word " * 400 + "</p>"))

    report = blogger_import(source=source)

    assert report.posts == 1
    assert report.skipped == [
        (f"{B}.post-2", "too large to import: the post's HTML is 0.0 million characters once its 0 inline "
                        "images are taken out (at most 0.0 million)"),
    ]
    assert list(ArticlePage.objects.values_list("slug", flat=True)) == ["small"]


def test_the_size_limit_counts_html_without_its_inline_images(monkeypatch):
    monkeypatch.setattr(parser, "MAX_BODY_CHARS", 200)
    big_image = "data:image/gif;base64," + base64.b64encode(GIF * 50).decode()

    items = list(iter_entries(export(("hall", f'<img src="{big_image}" alt="">'))))

    assert isinstance(items[1], BloggerPost) and not isinstance(items[1], MalformedEntry)
    assert items[1].content_html == f'<img src="inline-image:{hashlib.sha256(GIF * 50).hexdigest()}" alt="">'
    assert items[1].size == len(items[1].content_html) + len(GIF) * 50


def test_pages_of_a_large_batch_are_freed_before_the_next_batch(home_page, monkeypatch):
    # Every post is a batch of its own; with the automatic collector off, only the importer's own
    # collection after a large batch (and no cache holding a page) lets the pages go.
    from pressclub.importers.blogger import importer

    monkeypatch.setattr(importer, "BATCH_CHARS", 1)
    slugs = {"freed-hall", "freed-bridge", "freed-road"}
    source = export(*((slug, f"<p>{slug}</p>") for slug in sorted(slugs)))
    gc.collect()
    gc.disable()
    try:
        report = blogger_import(source=source)
        # type(), not isinstance(): that would evaluate lazy objects other tests left behind.
        alive = sorted(o.slug for o in gc.get_objects() if type(o) is ArticlePage and o.slug in slugs)
    finally:
        gc.enable()

    assert (report.posts, report.redirects) == (3, 3)
    assert alive == []


# --- gzip ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["blog.xml.gz", "feed.atom.gz", "no-extension"])
def test_a_gzipped_export_imports_like_the_plain_one(home_page, tmp_path, name):
    packed = tmp_path / name
    packed.write_bytes(gzip.compress(LEGACY.read_bytes()))

    report = blogger_import(source=packed)

    assert (report.posts, report.pages, report.comments, report.redirects) == (3, 1, 4, 3)
    assert ArticlePage.objects.count() == 3


def test_gzipped_bytes_and_upload_objects_import(home_page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    packed = gzip.compress(export(("hall", "<p>Hall</p>")))

    assert blogger_import(source=packed, dry_run=True).posts == 1
    assert blogger_import(source=SimpleUploadedFile("feed.atom.gz", packed)).posts == 1


def test_a_broken_gzip_is_refused_with_a_message(home_page, tmp_path):
    from pressclub.importers.services import BloggerFormatError

    broken = tmp_path / "feed.atom.gz"
    broken.write_bytes(gzip.compress(LEGACY.read_bytes())[:400])

    with pytest.raises(BloggerFormatError, match="^Cannot read the export: "):
        blogger_import(source=broken)
    assert ArticlePage.objects.count() == 0


# --- unclosed raw-text elements --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "html", "kept"),
    [
        ("script", "<p>Before.</p><script>track()<p>The council met on Tuesday.</p><p>रिपोर्ट</p>",
         "<p>Before.</p>track()<p>The council met on Tuesday.</p><p>रिपोर्ट</p>"),
        ("script", '<p>Before.</p><script src="x.js" <p>The council met on Tuesday.</p>',
         "<p>Before.</p>The council met on Tuesday."),
        ("style", "<p>Before.</p><style>p { color: red }<p>The council met on Tuesday.</p>",
         "<p>Before.</p>p { color: red }<p>The council met on Tuesday.</p>"),
        ("textarea", "<p>Before.</p><textarea rows=3><p>The council met on Tuesday.</p>",
         "<p>Before.</p><p>The council met on Tuesday.</p>"),
        ("plaintext", "<p>Before.</p><plaintext><p>The council met on Tuesday.</p></plaintext>",
         "<p>Before.</p><p>The council met on Tuesday.</p>"),
    ],
)
def test_an_unclosed_raw_text_tag_keeps_the_text_after_it(home_page, tag, html, kept):
    report = blogger_import(source=export(("agm", html)))

    assert body_html("agm") == kept
    assert report.unclosed_tags == [(f"{B}.post-1", tag)]
    summary = report.summary_lines()
    assert "Unclosed tags removed from bodies (the text after them was kept): 1" in summary
    assert f"  {B}.post-1: <{tag}>" in summary


@pytest.mark.parametrize(
    ("tag", "html", "blocks"),
    [
        ("!--", "<p>Before.</p><!-- note <p>The council met on Tuesday.</p><script>x()</script>",
         [("html", "<p>Before.</p> note <p>The council met on Tuesday.</p>")]),
        ("noscript", "<p>Before.</p><noscript><p>The council met on Tuesday.</p><img src=x onerror=alert(1)>",
         [("html", '<p>Before.</p><p>The council met on Tuesday.</p><img src="x" alt="">')]),
        ("iframe", "<p>Before.</p><iframe src='https://www.youtube.com/embed/abcdefghijk'><p>The council met.</p>",
         [("html", "<p>Before.</p>"), ("embed", "https://www.youtube.com/watch?v=abcdefghijk"),
          ("html", "<p>The council met.</p>")]),
        ("iframe", "<p>Before.</p><iframe src='https://evil.example/x' onload=alert(1)><p>The council met.</p>",
         [("html", "<p>Before.</p>"), ("html", "<p>The council met.</p>")]),
    ],
)
def test_an_unclosed_comment_noscript_or_iframe_keeps_the_text_after_it(home_page, tag, html, blocks):
    report = blogger_import(source=export(("agm", html)))

    body = ArticlePage.objects.get(slug="agm").body
    assert [(block.block_type, getattr(block.value, "url", str(block.value))) for block in body] == blocks
    assert report.unclosed_tags == [(f"{B}.post-1", tag)]
    shown = "<!--" if tag == "!--" else f"<{tag}>"
    assert f"  {B}.post-1: {shown}" in report.summary_lines()


def test_closed_comments_and_iframes_are_not_reported(home_page):
    html = "<!-- a --><p>One.</p><!-- b --><p>Two.</p><iframe src='https://player.vimeo.com/video/42'></iframe><p>Three.</p>"

    report = blogger_import(source=export(("agm", html)))

    body = ArticlePage.objects.get(slug="agm").body
    assert [(block.block_type, getattr(block.value, "url", str(block.value))) for block in body] == [
        ("html", "<p>One.</p><p>Two.</p>"), ("embed", "https://vimeo.com/42"), ("html", "<p>Three.</p>"),
    ]
    assert report.unclosed_tags == []


@pytest.mark.parametrize(
    "html",
    [
        "Before. <!-- note <b>The council met on Tuesday.</b>",
        "Before. <iframe src=https://evil.example/><b>The council met on Tuesday.</b>",
        "Before. <noscript><b>The council met on Tuesday.</b>",
        "Before. <script>alert(1)<b>The council met on Tuesday.</b>",
        "Before. <textarea><b>The council met on Tuesday.</b>",
    ],
)
def test_a_comment_with_an_unclosed_tag_keeps_the_text_after_it(home_page, html):
    from pressclub.comments.models import Comment

    source = export(("agm", "<p>Meeting.</p>")).replace(
        b"</feed>",
        f"<entry><id>{B}.post-c1</id><blogger:parent>{B}.post-1</blogger:parent>"
        "<blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status>"
        f"<author><name>Reader</name></author><content type='html'>{escape(html)}</content>"
        "<published>2015-03-02T10:00:00Z</published><updated>2015-03-02T10:00:00Z</updated></entry></feed>".encode(),
    )

    report = blogger_import(source=source)

    comment = Comment.objects.get()
    assert report.comments == 1
    assert comment.body.endswith("The council met on Tuesday.")
    assert comment.body_html.endswith("<b>The council met on Tuesday.</b></p>")
    assert "<script" not in comment.body_html and "<iframe" not in comment.body_html


def test_closed_raw_text_tags_are_left_to_the_sanitiser(home_page):
    report = blogger_import(source=export(("agm", "<script>track()</script><p>Council.</p><style>p{}</style>")))

    assert body_html("agm") == "<p>Council.</p>"
    assert report.unclosed_tags == []

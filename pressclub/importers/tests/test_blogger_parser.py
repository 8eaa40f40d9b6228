"""The Blogger parser: format detection, entry kinds, times, HTML decoding, refusals. No database."""

import datetime as dt
from pathlib import Path

import pytest

from pressclub.importers.blogger.parser import (
    BloggerBlog,
    BloggerComment,
    BloggerFormatError,
    BloggerPage,
    BloggerPost,
    MalformedEntry,
    SkippedEntry,
    iter_entries,
    parse_time,
    scan,
    slug_from_path,
)

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = FIXTURES / "legacy.xml"
TAKEOUT = FIXTURES / "takeout.atom"


def _entries(path):
    items = list(iter_entries(path))
    return items[0], items[1:]


def test_legacy_format_is_detected_and_every_kind_read():
    blog, entries = _entries(LEGACY)

    assert blog == BloggerBlog(format="legacy", id="tag:blogger.com,1999:blog-100.archive", title="Valley Press Club Notes")
    kinds = [type(e).__name__ for e in entries]
    assert kinds == [
        "SkippedEntry", "SkippedEntry", "SkippedEntry",
        "BloggerPost", "BloggerPost", "BloggerPost", "MalformedEntry", "BloggerPage",
        "BloggerComment", "BloggerComment", "BloggerComment", "BloggerComment", "BloggerComment", "MalformedEntry",
    ]
    assert [e.kind for e in entries if isinstance(e, SkippedEntry)] == ["template", "settings", "settings"]


def test_takeout_format_is_detected_with_comments_before_posts():
    blog, entries = _entries(TAKEOUT)

    assert blog == BloggerBlog(format="takeout", id="tag:blogger.com,1999:blog-200", title="Hill Desk")
    assert [type(e).__name__ for e in entries] == [
        "BloggerComment", "BloggerComment", "BloggerComment", "BloggerComment", "BloggerPost", "BloggerPost", "BloggerPage",
    ]


def test_comments_are_never_read_as_posts():
    for path in (LEGACY, TAKEOUT):
        _, entries = _entries(path)
        post_ids = {e.id for e in entries if isinstance(e, BloggerPost)}
        comment_ids = {e.id for e in entries if isinstance(e, BloggerComment)}
        assert post_ids and comment_ids and not post_ids & comment_ids


def test_legacy_post_fields():
    _, entries = _entries(LEGACY)
    post = entries[3]

    assert isinstance(post, BloggerPost) and not isinstance(post, BloggerPage)
    assert post.id == "tag:blogger.com,1999:blog-100.post-1001"
    assert post.title == "AGM notes: new committee & budget"
    assert post.status == "live" and post.is_live
    assert post.path == "/2013/02/agm-notes.html"
    assert post.slug == "agm-notes"
    assert post.labels == ["Local News", "local-news", "Roads & Bridges", "प्रेस क्लब", "প্রেস ক্লাব"]
    assert post.author.name == "Mina Rai"
    assert "mina.rai@example.org" not in repr(post)


def test_times_keep_their_offsets():
    _, entries = _entries(LEGACY)

    assert entries[3].published == dt.datetime(2014, 3, 29, 20, 0, tzinfo=dt.UTC)
    assert entries[3].updated == dt.datetime(2014, 3, 29, 20, 30, tzinfo=dt.UTC)
    assert entries[5].published == dt.datetime(2014, 4, 2, 7, 15, tzinfo=dt.UTC)
    assert parse_time("2014-03-30T01:30:00.000+05:30") == dt.datetime(2014, 3, 29, 20, 0, tzinfo=dt.UTC)
    assert parse_time("2012-04-30T10:15:00.000Z") == dt.datetime(2012, 4, 30, 10, 15, tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        parse_time("2014-03-30T01:30:00")


def test_legacy_draft_has_no_path():
    _, entries = _entries(LEGACY)
    draft = entries[4]

    assert draft.status == "draft" and not draft.is_live
    assert draft.path == "" and draft.slug == ""
    assert draft.title == "बजेट बैठक"


def test_html_content_is_decoded_once():
    _, legacy = _entries(LEGACY)
    _, takeout = _entries(TAKEOUT)

    assert "<pre>if (a &amp;&amp; b) {}</pre>" in legacy[3].content_html
    assert "<p>Code: &amp;quot;quoted&amp;quot;</p>" in takeout[4].content_html


def test_legacy_comment_threading_and_removed_content():
    _, entries = _entries(LEGACY)
    first, reply, orphan, removed, on_page = entries[8:13]

    assert first.post_id == "tag:blogger.com,1999:blog-100.post-1001" and first.parent_id == ""
    assert first.published == dt.datetime(2014, 3, 30, 4, 30, 0, 250000, tzinfo=dt.UTC)
    assert reply.parent_id == "tag:blogger.com,1999:blog-100.post-3001"
    assert orphan.parent_id == "tag:blogger.com,1999:blog-100.post-9999"
    assert removed.status == "removed"
    assert on_page.post_id == "tag:blogger.com,1999:blog-100.page-2001"


def test_takeout_comment_states_reply_and_line_breaks():
    _, entries = _entries(TAKEOUT)
    anonymous, reply, spam, ghosted = entries[:4]

    assert anonymous.author.name == ""
    assert anonymous.content_html == "Good report.<br><br>Please cover the school too.<BR/>Thanks &amp; regards"
    assert reply.parent_id == "tag:blogger.com,1999:blog-200.post-5001"
    assert (anonymous.status, spam.status, ghosted.status) == ("live", "spam", "ghosted")


def test_takeout_post_fields():
    _, entries = _entries(TAKEOUT)
    post, draft, page = entries[4:]

    assert post.path == "/2012/04/landslide-closes-highway.html"
    assert post.labels == ["Roads", "पहाड़"]
    assert post.description == "Road closed after the rain."
    assert post.published == dt.datetime(2012, 4, 30, 10, 15, tzinfo=dt.UTC)
    assert (draft.status, draft.path) == ("draft", "")
    assert isinstance(page, BloggerPage) and page.slug == "contact"


def test_malformed_entries_are_reported_by_id():
    report = scan(LEGACY)

    assert report.malformed == [
        MalformedEntry(id="tag:blogger.com,1999:blog-100.post-1004", reason="bad time: Invalid isoformat string: 'not a date'"),
        MalformedEntry(id="tag:blogger.com,1999:blog-100.post-3006", reason="comment without thr:in-reply-to"),
    ]
    assert dict(report.counts) == {"template": 1, "settings": 2, "post": 3, "page": 1, "comment": 5, "malformed": 2}
    assert report.total == 14


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not well-formed XML"),
        (b"<html><body><p>Hello</p></body></html>", "expected an Atom <feed>, found <html>"),
        (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><id>urn:x</id>"
         b"<entry><id>urn:1</id><title>Plain Atom</title></entry></feed>", "neither a Blogger kind category"),
        (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><id>urn:x</id></feed>", "no Blogger id"),
        (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>", "not well-formed XML"),
    ],
)
def test_foreign_input_is_refused(data, message):
    with pytest.raises(BloggerFormatError, match=message.replace("(", r"\(")):
        scan(data)


def test_a_truncated_export_is_refused_by_scan():
    data = TAKEOUT.read_bytes()
    with pytest.raises(BloggerFormatError, match="not well-formed XML"):
        scan(data[: len(data) // 2])


def test_entities_are_not_expanded():
    data = (
        b"<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY boom 'BOOM'>]>"
        b"<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>"
        b"<id>tag:blogger.com,1999:blog-9</id><entry><id>x</id><blogger:type>POST</blogger:type>"
        b"<title>&boom;</title><published>2012-01-01T00:00:00Z</published></entry></feed>"
    )
    entries = [e for e in iter_entries(data) if isinstance(e, BloggerPost)]
    assert entries[0].title == ""


def test_slug_from_path():
    assert slug_from_path("/2013/02/agm-notes.html") == "agm-notes"
    assert slug_from_path("/p/about-the-club.html") == "about-the-club"
    assert slug_from_path("/2013/02/%E0%A4%AA%E0%A5%8D%E0%A4%B0%E0%A5%87%E0%A4%B8.html") == "प्रेस"
    assert slug_from_path("") == ""


def test_file_objects_are_read_from_the_start(tmp_path):
    with TAKEOUT.open("rb") as handle:
        handle.read(100)
        assert scan(handle).counts["post"] == 2
        assert scan(handle).counts["post"] == 2


def test_image_download_takes_only_web_addresses(tmp_path):
    from pressclub.importers.blogger.images import ImageFetchError, fetch_url, filename_of

    secret = tmp_path / "settings.py"
    secret.write_text("SECRET_KEY = 'x'", encoding="utf-8")
    for url in (secret.as_uri(), "ftp://example.org/a.jpg", "javascript:alert(1)"):
        with pytest.raises(ImageFetchError, match="not an http"):
            fetch_url(url)
    assert filename_of("http://1.bp.blogspot.com/-x/s1600/agm%20hall.jpg") == "agm hall.jpg"
    assert filename_of("https://example.org/") == "image.jpg"

"""Read a Blogger export, streaming, into plain dataclasses. No database access here.

Two formats exist and are told apart from the file itself:

* legacy GData Atom ("Back up content" before 2020): every entry carries a
  ``<category scheme="http://schemas.google.com/g/2005#kind" term="…/blogger/2008/kind#post">`` (or
  ``page``, ``comment``, ``settings``, ``template``); labels are categories in the
  ``http://www.blogger.com/atom/ns#`` scheme; drafts have ``app:control/app:draft`` = ``yes``; a
  comment names its post in ``thr:in-reply-to/@ref`` and its parent comment only through
  ``<link rel="related" href="…/comments/default/<id>">``; removed comments carry
  ``gd:extendedProperty name="blogger.contentRemoved"``.
* Google Takeout ``feed.atom`` (namespace ``http://schemas.google.com/blogger/2018``): the kind is
  ``blogger:type`` (POST, PAGE, COMMENT), the state ``blogger:status`` (LIVE, DRAFT, SPAM_COMMENT,
  GHOSTED_COMMENT, …), the URL path ``blogger:filename``, a comment's post ``blogger:parent`` and its
  parent comment ``blogger:inReplyTo``; labels are plain ``category/@term``.

Titles and labels are HTML-escaped text inside the XML (``Roads &amp;amp; Bridges``): they are
XML-decoded and then HTML-unescaped once (``Roads & Bridges``). ``content type="html"`` is XML-decoded once by the parser and the result is HTML; it is never
unescaped a second time (code tutorials hold literal ``&amp;quot;``). Times keep their offsets and
are returned as aware UTC datetimes.

Posts pasted with images often carry them inline, as base64 ``data:image/…`` URLs megabytes long:
those are decoded into :class:`InlineImage` objects and taken out of ``content_html``, so a post's
HTML stays small. An entry that is still too large to hold (``MAX_BODY_CHARS`` of HTML once its
images are out, ``MAX_CONTENT_CHARS`` as written) becomes a :class:`MalformedEntry` naming its size.
A gzipped export (``.xml.gz``, ``.atom.gz``; told by its first bytes) is unpacked while streaming.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import html
import io
import os
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

from lxml import etree

from .entries import (  # noqa: F401  (re-exported: the parser's public names)
    BloggerAuthor,
    BloggerBlog,
    BloggerComment,
    BloggerFormatError,
    BloggerPage,
    BloggerPost,
    Entry,
    InlineImage,
    MalformedEntry,
    ParseReport,
    SkippedEntry,
    parse_time,
    slug_from_path,
)

ATOM = "http://www.w3.org/2005/Atom"
APP = "http://purl.org/atom/app#"
THR = "http://purl.org/syndication/thread/1.0"
GD = "http://schemas.google.com/g/2005"
TAKEOUT = "http://schemas.google.com/blogger/2018"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"

LEGACY = "legacy"
TAKEOUT_FORMAT = "takeout"

Source = str | os.PathLike | bytes | BinaryIO

# What one entry may hold: its content as written (inline images included), and its HTML once the
# inline images are taken out. Bigger entries are reported, not imported (memory stays bounded).
MAX_CONTENT_CHARS = 64 * 1024 * 1024
MAX_BODY_CHARS = 24 * 1024 * 1024
# Inline image types that become image files (the types Wagtail's image library takes by default).
INLINE_IMAGE_TYPES = {"image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/webp"}
_DATA_IMAGE_RE = re.compile(r"""\bsrc\s*=\s*(["']?)\s*data:(image/[\w.+-]+)\s*;\s*base64\s*,""", re.I)
_BASE64_RUN_RE = re.compile(r"[A-Za-z0-9+/=\s]*")
_GZIP_MAGIC = b"\x1f\x8b"

_A = f"{{{ATOM}}}"
_B = f"{{{TAKEOUT}}}"


class _TooLarge(ValueError):
    pass


def _open(source: Source):
    if isinstance(source, bytes | bytearray):
        stream = io.BytesIO(source)
    elif isinstance(source, str | os.PathLike):
        stream = open(os.fspath(source), "rb")  # noqa: SIM115 (closed by iter_entries)
    else:
        stream = source
        if hasattr(stream, "seek"):
            stream.seek(0)
    head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
    if not head and hasattr(stream, "seek") and hasattr(stream, "tell"):
        start = stream.tell()
        head = stream.read(2)
        stream.seek(start)
    if head == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=stream, mode="rb"), stream
    return stream, stream


def extract_inline_images(content: str) -> tuple[str, dict[str, InlineImage]]:
    """Return ``content`` with each ``<img src="data:image/…;base64,…">`` of a known type replaced by
    the image's :attr:`InlineImage.placeholder`, and the images by sha256.

    Types outside ``INLINE_IMAGE_TYPES`` (SVG …) and undecodable data stay as they were (the
    sanitiser then drops the ``data:`` URL, as for any other). Pure: no files, no database.
    """
    if "data:" not in content and "DATA:" not in content.upper():
        return content, {}
    pieces: list[str] = []
    images: dict[str, InlineImage] = {}
    position = 0
    for match in _DATA_IMAGE_RE.finditer(content):
        if match.start() < position:
            continue
        quote, mime = match.group(1), match.group(2).lower()
        run = _BASE64_RUN_RE.match(content, match.end())
        end = run.end()
        closed = content.startswith(quote, end) if quote else (end == len(content) or content[end] in " >/\t\n")
        if mime not in INLINE_IMAGE_TYPES or not closed:
            continue
        try:
            data = base64.b64decode(run.group())
        except (binascii.Error, ValueError):
            continue
        if not data:
            continue
        image = InlineImage(mime=mime, data=data, sha256=hashlib.sha256(data).hexdigest())
        images.setdefault(image.sha256, image)
        pieces.append(content[position:match.start()])
        mark = quote or '"'
        pieces.append(f"src={mark}{image.placeholder}{mark}")
        position = end + len(quote)
    if not images:
        return content, {}
    pieces.append(content[position:])
    return "".join(pieces), images


def _body(children: dict) -> tuple[str, dict[str, InlineImage]]:
    """Return the HTML of a post or page and its inline images, from its entry's
    :func:`_children`; raise _TooLarge past the limits."""
    content = _content_html(children)
    if len(content) > MAX_CONTENT_CHARS:
        raise _TooLarge(
            f"too large to import: the post is {len(content) / 1e6:.1f} million characters "
            f"(at most {MAX_CONTENT_CHARS / 1e6:.1f} million)"
        )
    content, images = extract_inline_images(content)
    if len(content) > MAX_BODY_CHARS:
        raise _TooLarge(
            f"too large to import: the post's HTML is {len(content) / 1e6:.1f} million characters "
            f"once its {len(images)} inline images are taken out (at most {MAX_BODY_CHARS / 1e6:.1f} million)"
        )
    return content, images


def _text(elem, path: str) -> str:
    found = elem.find(path)
    return (found.text or "").strip() if found is not None else ""


def _children(elem) -> dict:
    """Return ``{tag: first child element with that tag}`` of ``elem``.

    An entry's fields are looked up a dozen times each; one pass over its children is several
    times cheaper than as many ``find`` calls, and gives the same (first) element.
    """
    return {child.tag: child for child in reversed(elem)}


def _child_text(children: dict, tag: str) -> str:
    found = children.get(tag)
    return (found.text or "").strip() if found is not None else ""


def _plain(value: str) -> str:
    # Blogger stores titles and labels HTML-escaped inside the XML ("Roads &amp;amp; Bridges"):
    # after the XML decoding, one HTML unescape gives the text. Never a second one.
    return html.unescape(value).strip()


def _content_html(children: dict) -> str:
    content = children.get(_A + "content")
    if content is None:
        return ""
    kind = (content.get("type") or "text").lower()
    if kind == "xhtml":
        return "".join(etree.tostring(child, encoding="unicode") for child in content)
    text = content.text or ""
    if kind == "html":
        return text
    return html.escape(text).replace("\n", "<br>")


def _author(children: dict) -> BloggerAuthor | None:
    author = children.get(_A + "author")
    if author is None:
        return None
    fields = _children(author)
    # Names are HTML-escaped text like titles ("Jos&amp;#233;" in the XML): unescaped once.
    return BloggerAuthor(name=_plain(_child_text(fields, _A + "name")), uri=_child_text(fields, _A + "uri"))


def _blog(root, fmt: str) -> BloggerBlog:
    # The feed's title and subtitle are HTML-escaped text, as entry titles are.
    return BloggerBlog(
        format=fmt, id=_text(root, _A + "id"), title=_plain(_text(root, _A + "title")),
        description=_plain(_text(root, _A + "subtitle")),
    )


def _is_takeout_entry(entry) -> bool:
    return entry.find(_B + "type") is not None


def _legacy_kind(entry) -> str | None:
    for cat in entry.iterfind(_A + "category"):
        if cat.get("scheme") == KIND_SCHEME:
            term = cat.get("term") or ""
            if term.startswith(KIND_PREFIX):
                return term[len(KIND_PREFIX):]
    return None


def _legacy_entry(entry) -> Entry:
    entry_id = _text(entry, _A + "id")
    kind = _legacy_kind(entry)
    if kind not in {"post", "page", "comment"}:
        # The blog's description is a setting; the importer may take it as the site's tagline.
        text = _plain(_text(entry, _A + "content")) if entry_id.endswith(".settings.BLOG_DESCRIPTION") else ""
        return SkippedEntry(id=entry_id, kind=kind or "unknown", text=text)
    if not entry_id:
        return MalformedEntry(id="(no id)", reason=f"{kind} without an <id>")
    try:
        published = parse_time(_text(entry, _A + "published"))
        updated = parse_time(_text(entry, _A + "updated") or _text(entry, _A + "published"))
    except ValueError as exc:
        return MalformedEntry(id=entry_id, reason=f"bad time: {exc}")
    children = _children(entry)
    author = _author(children)
    if kind == "comment":
        reply_to = entry.find(f"{{{THR}}}in-reply-to")
        post_id = (reply_to.get("ref") or "").strip() if reply_to is not None else ""
        if not post_id:
            return MalformedEntry(id=entry_id, reason="comment without thr:in-reply-to")
        parent_id = ""
        for link in entry.iterfind(_A + "link"):
            if link.get("rel") == "related":
                href = (link.get("href") or "").rstrip("/")
                if "/comments/default/" in href:
                    parent_id = entry_id.rsplit(".post-", 1)[0] + ".post-" + href.rsplit("/", 1)[-1]
        status = "live"
        for prop in entry.iterfind(f"{{{GD}}}extendedProperty"):
            if prop.get("name") == "blogger.contentRemoved" and (prop.get("value") or "true") != "false":
                status = "removed"
        return BloggerComment(
            id=entry_id,
            post_id=post_id,
            parent_id=parent_id,
            content_html=_content_html(children),
            published=published,
            updated=updated,
            status=status,
            author=author,
        )
    draft = _text(entry, f"{{{APP}}}control/{{{APP}}}draft").lower() == "yes"
    path = ""
    for link in entry.iterfind(_A + "link"):
        if link.get("rel") == "alternate":
            path = urlsplit(link.get("href") or "").path
    labels = [
        _plain(cat.get("term") or "")
        for cat in entry.iterfind(_A + "category")
        if cat.get("scheme") == LABEL_SCHEME and (cat.get("term") or "").strip()
    ]
    try:
        content, images = _body(children)
    except _TooLarge as exc:
        return MalformedEntry(id=entry_id, reason=str(exc))
    cls = BloggerPage if kind == "page" else BloggerPost
    return cls(
        id=entry_id,
        title=_plain(_text(entry, _A + "title")),
        content_html=content,
        inline_images=images,
        published=published,
        updated=updated,
        status="draft" if draft else "live",
        path=path,
        labels=labels,
        author=author,
    )


_TAKEOUT_COMMENT_STATUS = {"LIVE": "live", "SPAM_COMMENT": "spam", "GHOSTED_COMMENT": "ghosted"}


def _takeout_entry(entry) -> Entry:
    children = _children(entry)

    def text(tag: str) -> str:
        return _child_text(children, tag)

    entry_id = text(_A + "id")
    kind = text(_B + "type").lower()
    if kind not in {"post", "page", "comment"}:
        return SkippedEntry(id=entry_id, kind=kind or "unknown")
    if not entry_id:
        return MalformedEntry(id="(no id)", reason=f"{kind} without an <id>")
    try:
        published = parse_time(text(_A + "published") or text(_B + "created"))
        updated = parse_time(text(_A + "updated") or text(_A + "published"))
    except ValueError as exc:
        return MalformedEntry(id=entry_id, reason=f"bad time: {exc}")
    raw_status = text(_B + "status").upper() or "LIVE"
    trashed = bool(text(_B + "trashed"))
    author = _author(children)
    if kind == "comment":
        post_id = text(_B + "parent")
        if not post_id:
            return MalformedEntry(id=entry_id, reason="comment without blogger:parent")
        status = "trashed" if trashed else _TAKEOUT_COMMENT_STATUS.get(raw_status, raw_status.lower())
        # Takeout comment bodies are typed text: raw newlines are line breaks, mixed with HTML.
        body = _content_html(children).replace("\r\n", "\n").replace("\n", "<br>")
        return BloggerComment(
            id=entry_id,
            post_id=post_id,
            parent_id=text(_B + "inReplyTo"),
            content_html=body,
            published=published,
            updated=updated,
            status=status,
            author=author,
        )
    labels = [
        _plain(cat.get("term") or "")
        for cat in entry.iterfind(_A + "category")
        if (cat.get("term") or "").strip()
    ]
    try:
        content, images = _body(children)
    except _TooLarge as exc:
        return MalformedEntry(id=entry_id, reason=str(exc))
    cls = BloggerPage if kind == "page" else BloggerPost
    return cls(
        id=entry_id,
        title=_plain(text(_A + "title")),
        content_html=content,
        inline_images=images,
        published=published,
        updated=updated,
        status="trashed" if trashed else raw_status.lower(),
        path=text(_B + "filename"),
        labels=labels,
        author=author,
        description=text(_B + "metaDescription"),
    )


def iter_entries(source: Source) -> Iterator[BloggerBlog | Entry]:
    """Yield the export's :class:`BloggerBlog` first, then each entry in document order.

    Entries are :class:`BloggerPost`, :class:`BloggerPage`, :class:`BloggerComment`,
    :class:`SkippedEntry` (settings, template, unknown kinds) or :class:`MalformedEntry`. The file is
    read with ``lxml.etree.iterparse`` and every entry is cleared once read, so memory stays bounded
    by the largest entry. ``source`` is a path, bytes, or a binary file object (rewound first),
    plain or gzipped.

    Raise :class:`BloggerFormatError` if the input is not XML or is neither legacy GData Atom
    (``kind#post`` categories) nor Takeout (``blogger/2018`` namespace). A syntax error late in a
    file is raised when it is reached; call :func:`scan` first to refuse a broken file up front.
    """
    stream, raw = _open(source)
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=_A + "entry",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )
    blog: BloggerBlog | None = None
    reader = None
    position = 0
    try:
        for _event, entry in context:
            position += 1
            if blog is None:
                root = entry.getparent()
                if root is None or root.tag != _A + "feed":
                    raise BloggerFormatError("Not a Blogger export: <entry> elements are not inside an Atom <feed>.")
                if _is_takeout_entry(entry):
                    fmt, reader = TAKEOUT_FORMAT, _takeout_entry
                elif _legacy_kind(entry) is not None:
                    fmt, reader = LEGACY, _legacy_entry
                else:
                    raise BloggerFormatError(
                        "Not a Blogger export: the first entry has neither a Blogger kind category "
                        "(legacy export) nor a blogger:type element (Takeout feed.atom)."
                    )
                blog = _blog(root, fmt)
                yield blog
            try:
                item = reader(entry)
            except Exception as exc:  # one broken entry must not stop the rest
                item = MalformedEntry(id=_text(entry, _A + "id") or f"(entry {position})", reason=str(exc))
            yield item
            entry.clear(keep_tail=False)
            parent = entry.getparent()
            while entry.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise BloggerFormatError(f"Not a Blogger export: the file is not well-formed XML ({exc}).") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise BloggerFormatError(f"Cannot read the export: {exc}") from None
    finally:
        if raw is not source:
            raw.close()
    if blog is None:
        root = context.root
        if root is None or root.tag != _A + "feed":
            tag = etree.QName(root).localname if root is not None else "nothing"
            raise BloggerFormatError(f"Not a Blogger export: expected an Atom <feed>, found <{tag}>.")
        feed_id = _text(root, _A + "id")
        fmt = TAKEOUT_FORMAT if TAKEOUT in (root.nsmap or {}).values() else LEGACY
        if not feed_id.startswith("tag:blogger.com,") and fmt != TAKEOUT_FORMAT:
            raise BloggerFormatError("Not a Blogger export: an Atom feed with no entries and no Blogger id.")
        yield _blog(root, fmt)


def scan(source: Source) -> ParseReport:
    """Read the whole export once and return what it holds, without keeping any entry.

    Use it before importing: it refuses a broken or foreign file before anything is written.
    ``counts`` keys: ``post``, ``page``, ``comment``, ``settings``, ``template``, ``malformed``, …
    Raise :class:`BloggerFormatError` as :func:`iter_entries` does.
    """
    report = ParseReport()
    for item in iter_entries(source):
        if isinstance(item, BloggerBlog):
            report.blog = item
        elif isinstance(item, MalformedEntry):
            report.counts["malformed"] += 1
            report.malformed.append(item)
        else:
            report.counts[item.kind] += 1
    return report

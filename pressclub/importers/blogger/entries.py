"""The dataclasses a Blogger export is read into (see :mod:`.parser`), and small helpers on them."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


class BloggerFormatError(ValueError):
    """The input is not XML, or is XML but neither Blogger export format."""


@dataclass(frozen=True)
class BloggerBlog:
    """The exported blog: its format (``"legacy"`` or ``"takeout"``), Blogger id, title and
    description (the feed's ``<subtitle>``, often empty; legacy exports also hold it as the
    ``BLOG_DESCRIPTION`` setting), both as plain text."""

    format: str
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class BloggerAuthor:
    """A post's or comment's author as Blogger names them. E-mail addresses are never read."""

    name: str
    uri: str = ""


@dataclass(frozen=True)
class InlineImage:
    """An image that was written into a post's HTML as a base64 ``data:`` URL.

    ``data`` holds the decoded bytes, ``mime`` the declared type (``"image/png"``), ``sha256`` the
    hex digest of ``data``. In the post's ``content_html`` the ``data:`` URL is replaced by
    :attr:`placeholder`, which the importer swaps for the image file's URL.
    """

    mime: str
    data: bytes
    sha256: str

    @property
    def placeholder(self) -> str:
        """Return the text that stands for this image's URL in ``content_html``."""
        return f"inline-image:{self.sha256}"

    @property
    def extension(self) -> str:
        """Return the file name extension for :attr:`mime` (``"png"``, ``"jpg"`` …)."""
        kind = self.mime.split("/", 1)[-1].lower()
        return {"jpeg": "jpg", "pjpeg": "jpg", "x-icon": "ico"}.get(kind, kind)


@dataclass
class BloggerPost:
    """A post. ``status`` is ``"live"``, ``"draft"`` or another lower-cased Blogger state
    (``"scheduled"``, ``"trashed"`` …); ``path`` is the old URL path (``/2013/02/agm-notes.html``) or
    ``""`` (drafts); ``content_html`` is HTML (already XML-decoded once); times are aware, in UTC.
    ``inline_images`` are the base64 ``data:`` images taken out of ``content_html``, by sha256."""

    id: str
    title: str
    content_html: str
    published: dt.datetime
    updated: dt.datetime
    status: str = "live"
    path: str = ""
    labels: list[str] = field(default_factory=list)
    author: BloggerAuthor | None = None
    description: str = ""
    inline_images: dict[str, InlineImage] = field(default_factory=dict)

    kind = "post"

    @property
    def size(self) -> int:
        """Return the characters of ``content_html`` plus the bytes of its inline images (what it holds)."""
        return len(self.content_html) + sum(len(image.data) for image in self.inline_images.values())

    @property
    def is_live(self) -> bool:
        """Return True when Blogger showed this entry to readers."""
        return self.status == "live"

    @property
    def slug(self) -> str:
        """Return the last segment of ``path`` without ``.html`` (``"agm-notes"``), or ``""``."""
        return slug_from_path(self.path)


@dataclass
class BloggerPage(BloggerPost):
    """A static page (``/p/<slug>.html``); same fields as a post, labels unused."""

    kind = "page"


@dataclass
class BloggerComment:
    """A comment on a post or page (``post_id``), possibly a reply to ``parent_id`` ("" when top-level).

    ``status``: ``"live"``, ``"spam"``, ``"ghosted"``, ``"removed"`` (content removed at Blogger),
    ``"trashed"``, or another lower-cased Blogger state. ``content_html`` is HTML; a Takeout body's
    raw newlines are already turned into ``<br>``.
    """

    id: str
    post_id: str
    content_html: str
    published: dt.datetime
    updated: dt.datetime
    parent_id: str = ""
    status: str = "live"
    author: BloggerAuthor | None = None

    kind = "comment"

    @property
    def is_live(self) -> bool:
        """Return True when Blogger showed this comment to readers."""
        return self.status == "live"


@dataclass(frozen=True)
class SkippedEntry:
    """An entry that is not content (``kind`` ``"settings"``, ``"template"`` or an unknown kind).

    ``text`` is the value of the ``BLOG_DESCRIPTION`` setting (plain text), ``""`` for any other.
    """

    id: str
    kind: str
    text: str = ""


@dataclass(frozen=True)
class MalformedEntry:
    """An entry that could not be read; ``id`` is its Blogger id (or its position), ``reason`` why."""

    id: str
    reason: str


Entry = BloggerPost | BloggerPage | BloggerComment | SkippedEntry | MalformedEntry


@dataclass
class ParseReport:
    """What a full pass over an export found: counts per kind and the malformed entries."""

    blog: BloggerBlog | None = None
    counts: Counter = field(default_factory=Counter)
    malformed: list[MalformedEntry] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return the number of entries seen (all kinds, malformed included)."""
        return sum(self.counts.values())


def slug_from_path(path: str) -> str:
    """Return the slug of a Blogger path: ``/2013/02/agm-notes.html`` → ``agm-notes``; ``""`` for none."""
    segment = unquote(urlsplit(path or "").path).rstrip("/").rsplit("/", 1)[-1]
    return segment[:-5] if segment.endswith(".html") else segment


def parse_time(value: str | None) -> dt.datetime:
    """Return an ISO 8601 time with offset (``2014-03-30T01:30:00.000+05:30``) as an aware UTC datetime.

    Raise ValueError when ``value`` is empty, malformed or has no offset.
    """
    value = (value or "").strip()
    if not value:
        raise ValueError("missing time")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time without offset: {value!r}")
    return parsed.astimezone(dt.UTC)


# Entry kinds that hold the blog's settings and layout, not content: counted, never imported.
NOT_CONTENT_KINDS = frozenset({"settings", "template"})
# Blogger's literal placeholders, left as the title and body of a post started from a template.
PLACEHOLDERS = frozenset({"%%TITLE%%", "%%CONTENT%%"})
PLACEHOLDER_REASON = "only Blogger's template placeholders (%%TITLE%%, %%CONTENT%%) as title and body: not imported"


_TAG_RE = re.compile(r"<[^>]*>")


def is_placeholder(text: str) -> bool:
    """Return True if ``text`` (a title, or a body's HTML) is one of Blogger's template placeholders
    (``%%TITLE%%``, ``%%CONTENT%%``), tags and blanks aside."""
    # Cheap on purpose: it runs on every entry, and a placeholder body is a few characters of HTML.
    return len(text) < 200 and _TAG_RE.sub("", text).replace("&nbsp;", " ").strip() in PLACEHOLDERS


def is_placeholder_draft(entry) -> bool:
    """Return True for a post or page whose title and body are Blogger's template placeholders
    (``%%TITLE%%``, ``%%CONTENT%%``) or empty, with at least one placeholder: it holds nothing an
    editor wrote, and is skipped (and reported) rather than shown with a placeholder as headline."""
    if not isinstance(entry, BloggerPost):
        return False
    if len(entry.content_html) >= 200:
        return False
    parts = [part for part in (entry.title, entry.content_html) if _TAG_RE.sub("", part).strip()]
    return bool(parts) and all(is_placeholder(part) for part in parts) and not entry.inline_images

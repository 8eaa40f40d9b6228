"""Extract a wire story from a news page's HTML: bytes in, a ``WireStory`` out (pure, no database).

The body comes from trafilatura (https://trafilatura.readthedocs.io) run on a tree that
``cleanup`` has repaired first (drop caps rejoined; bylines, captions and comment/share widgets
removed); the paragraphs are then cleaned again and a leading dateline is moved out of the lede.
Metadata comes from ``metadata.read_metadata``; the outlet is the name the page gives in its
structured data (a wire service's short form written out, ``outlets.readers_name``), else the wire
service publishing from the page's domain (``outlets.WIRE_SERVICES``), else the domain.
"""

import copy
import datetime as dt
import logging
import re
import zlib
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from pressclub.core.text import strip_control_chars

from ..fetch import MAX_BYTES as MAX_PAGE_BYTES
from . import cleanup
from .dom import comparison_key, squash
from .metadata import parse_timestamp, plausible_outlet, read_metadata
from .outlets import outlet_for_domain, readers_name, split_dateline
from .quality import tokenize

# trafilatura's options, chosen by measurement on the 125 shared pages (bench/article_extraction.py, the
# benchmark's shingle F1): after our repairs the default balance scores 0.985, favor_precision 0.987 and
# favor_recall 0.983. favor_precision's gain is one page's related-story box, and it drops paragraphs
# on 8 other pages (a missing paragraph is silent, an extra line an editor sees), so the default stays.
TRAFILATURA_OPTIONS = {"favor_precision": False, "favor_recall": False}

_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive",
    b"RIFF": "a media file",
}
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_MARKUP = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|div|p|section|h1)\b", re.IGNORECASE)
logger = logging.getLogger(__name__)
_MAX_PAGE_MB = MAX_PAGE_BYTES // 1024 // 1024
MAX_DEK_LENGTH = 300
# The shortest body taken as a story (a brief runs to a few sentences); fewer words is page chrome.
MIN_BODY_WORDS = 15
_BLOCK_TAGS = {"p", "head", "quote", "code", "item", "row"}


class ArticleExtractionError(ValueError):
    """The input is not a news page's HTML, or no article body could be found in it."""


@dataclass
class WireStory:
    """A story as its original outlet published it.

    ``paragraphs`` are plain-text paragraphs of the body in reading order (subheadings included,
    their positions listed in ``heading_indexes``); ``bylines`` are separate names;
    ``published_at`` is an aware datetime (None when the page gives no time); ``original_url`` is the
    page's canonical URL; ``language`` is a primary language subtag ("en") or "". ``dateline`` is
    the dateline that opened the lede ("KATHMANDU, Nov 3 (Reuters)", without its dash; "" when there
    was none), taken out of ``paragraphs``.
    """

    headline: str
    dek: str = ""
    bylines: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    source_outlet: str = ""
    original_url: str = ""
    lead_image_url: str = ""
    lead_image_caption: str = ""
    lead_image_credit: str = ""
    paragraphs: list[str] = field(default_factory=list)
    language: str = ""
    heading_indexes: tuple[int, ...] = ()
    dateline: str = ""

    @property
    def body_text(self) -> str:
        """Return the body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    @property
    def reader_text(self) -> str:
        """Return the story's text as the article page shows it: the dateline ("KATHMANDU, Nov 3
        (Reuters) —") on a line of its own before the body, as the template prints it; else the body."""
        return f"{self.dateline} —\n\n{self.body_text}" if self.dateline else self.body_text


def decode_html(data: bytes) -> str:
    """Return the page's text: gzip is unpacked, the bytes decoded as UTF-8 (see ``_decode``).

    Raise ArticleExtractionError for a page over ``MAX_PAGE_BYTES`` (10 MB) as given or unpacked
    (unpacking stops there, so a small archive that would unpack to gigabytes is refused without
    being unpacked), and for empty, binary (PDF, image, archive) or markup-less input.
    """
    if len(data) > MAX_PAGE_BYTES:
        raise ArticleExtractionError(f"The page is larger than {_MAX_PAGE_MB} MB; a news page is smaller.")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if not data.strip():
        raise ArticleExtractionError("The file is empty; expected a news page's HTML.")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ArticleExtractionError(f"The file is {kind}, not an HTML page.")
    if b"\x00" in data[:4096]:
        raise ArticleExtractionError("The file is binary, not an HTML page.")
    # Control characters (a stray NUL deep in the page) cannot live in an lxml tree: drop them.
    text = strip_control_chars(_decode(data).lstrip("\ufeff"))
    if not _HTML_MARKUP.search(text[:200_000]):
        raise ArticleExtractionError("No HTML markup found; expected a news page's HTML (.html or .html.gz).")
    return text


def _gunzip(data: bytes) -> bytes:
    """Return gzip-compressed ``data`` (one or more members) unpacked, never more than 10 MB + 1 byte of it.

    Raise ArticleExtractionError when the result would be larger than ``MAX_PAGE_BYTES`` or the
    data cannot be unpacked (not gzip, corrupt, cut short).
    """
    page = bytearray()
    rest = data
    try:
        while rest.strip(b"\x00"):  # gzip allows zero padding after the last member
            unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # one gzip member
            pending = rest
            while pending and len(page) <= MAX_PAGE_BYTES:
                page += unpacker.decompress(pending, MAX_PAGE_BYTES + 1 - len(page))
                pending = unpacker.unconsumed_tail
            if len(page) > MAX_PAGE_BYTES:
                raise ArticleExtractionError(
                    f"The page unpacks to more than {_MAX_PAGE_MB} MB; a news page is smaller, so it was not imported."
                )
            if not unpacker.eof:
                raise ArticleExtractionError("The file looks gzip-compressed but cannot be unpacked (it is cut short).")
            rest = unpacker.unused_data
    except zlib.error as error:
        raise ArticleExtractionError(f"The file looks gzip-compressed but cannot be unpacked ({error}).")
    return bytes(page)


def _decode(data: bytes) -> str:
    """Return the bytes decoded as UTF-8, which news pages are whatever their ``<meta charset>`` says
    (pages saved from a browser often have none, or a wrong one).

    Only bytes that are plainly not UTF-8 (more than 1 in 1,000 invalid) are read in the declared
    charset, else Windows-1252; the odd bad byte in a UTF-8 page becomes U+FFFD.
    """
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") * 1000 <= len(text):
        return text
    declared = _DECLARED_CHARSET.search(data[:4096])
    try:
        return data.decode(declared[1].decode("ascii") if declared else "cp1252", errors="replace")
    except LookupError:  # a charset Python does not know
        return text


def extract_story(html: bytes, *, source_url: str = "") -> WireStory:
    """Return the ``WireStory`` in a news page's HTML (bytes, UTF-8, optionally gzip-compressed).

    ``source_url`` is where the page was read from; it resolves relative links and is the canonical
    URL when the page names none. Raise ArticleExtractionError when the input is not HTML, unpacks
    to more than ``MAX_PAGE_BYTES``, or no article body is found. A fault of the extractor itself
    on some page's markup is logged with its traceback and reported as ArticleExtractionError too,
    so an editor gets a message and the page can be imported by hand.
    """
    text = decode_html(html)
    try:
        return _story_from_text(text, source_url=source_url)
    except ArticleExtractionError:
        raise
    except Exception as error:  # noqa: BLE001 - any page must give a story or a message, never a 500
        logger.exception("Wire-story extraction failed on %s", source_url or "an uploaded page")
        raise ArticleExtractionError(
            f"The story could not be read from this page ({type(error).__name__}); the error was logged. "
            "Copy the story into a new article by hand."
        ) from error


def _story_from_text(text: str, *, source_url: str) -> WireStory:
    """Return the ``WireStory`` of a decoded page (see ``extract_story``)."""
    # trafilatura (with courlan and htmldate) adds about 16 MB to a process: imported here, only
    # the worker or admin process that imports a story pays for it, never a site worker.
    import trafilatura
    from trafilatura.metadata import extract_metadata

    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as error:
        raise ArticleExtractionError(f"The HTML cannot be parsed ({error}).")

    cleanup.remove_comments(tree)
    cleanup.rejoin_drop_caps(tree)
    meta = read_metadata(tree, source_url=source_url)
    fallback = extract_metadata(copy.deepcopy(tree), default_url=source_url or None)
    cleanup.wrap_loose_text(tree)
    cleanup.unmark_embedded_posts(tree)

    main = cleanup.main_container(tree)
    cleanup.merge_split_body(tree, main)
    caption, credit = cleanup.take_lead_caption(tree, lead_image_url=meta.lead_image_url, main=main)
    cleanup.remove_boilerplate(tree, keep=main)
    cleanup.remove_link_lists(tree, keep=main)
    document = trafilatura.bare_extraction(
        tree,
        url=source_url or None,
        include_comments=False,
        include_tables=True,
        include_images=False,
        **TRAFILATURA_OPTIONS,
    )
    if document is None or document.body is None:
        raise ArticleExtractionError("No article body found in the page.")
    blocks = _without_standfirst(body_blocks(document.body), meta.dek)
    if not caption and not credit:
        caption, credit = cleanup.caption_from_paragraphs([block for block, _ in blocks[:6]])
    headline = meta.headline or squash(fallback.title)
    paragraphs = cleanup.clean_paragraphs(
        [block for block, _ in blocks],
        headlines=[headline, squash(fallback.title)],
        bylines=meta.bylines,
        caption=caption,
        credit=credit,
    )
    if len(tokenize(" ".join(paragraphs))) < MIN_BODY_WORDS:  # a menu or a footer, not a story
        raise ArticleExtractionError("No article body found in the page.")
    headings = {block for block, is_heading in blocks if is_heading}
    dateline, lede = split_dateline(paragraphs[0])
    if dateline:
        paragraphs[0] = lede
    return WireStory(
        headline=cleanup.strip_remnants(headline),
        dek=_dek(meta.dek, paragraphs),
        bylines=meta.bylines,
        published_at=meta.published_at or parse_timestamp(fallback.date or ""),
        source_outlet=readers_name(meta.source_outlet)
        or outlet_for_domain(meta.site_domain)
        or readers_name(plausible_outlet(fallback.sitename))
        or meta.site_domain,
        original_url=meta.original_url,
        lead_image_url=meta.lead_image_url,
        lead_image_caption=caption,
        lead_image_credit=credit,
        paragraphs=paragraphs,
        language=meta.language,
        heading_indexes=tuple(index for index, text in enumerate(paragraphs) if text in headings),
        dateline=dateline,
    )


def body_blocks(body) -> list[tuple[str, bool]]:
    """Return ``(text, is_heading)`` for each block of trafilatura's XML body, in order.

    Paragraphs, headings, quotes and code are one block each; list items and table rows one block
    per item/row (cells joined by spaces). Line breaks inside a block become spaces.
    """
    for line_break in body.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    for inner in body.iter(*_BLOCK_TAGS):  # a paragraph inside a quote ends apart from what follows
        if any(ancestor.tag in _BLOCK_TAGS for ancestor in inner.iterancestors()):
            inner.tail = " " + (inner.tail or "")
    blocks: list[tuple[str, bool]] = []
    for element in body.iter():
        if element.tag not in _BLOCK_TAGS or any(a.tag in _BLOCK_TAGS for a in element.iterancestors()):
            continue
        text = squash(" ".join(element.itertext()) if element.tag == "row" else "".join(element.itertext()))
        if text:
            blocks.append((text, element.tag == "head"))
    return blocks


def _without_standfirst(blocks: list[tuple[str, bool]], description: str) -> list[tuple[str, bool]]:
    """Return the body blocks without a standfirst: a subheading among the first three blocks whose
    text is the page's description (its summary line printed under the headline, the story's dek)."""
    summary = comparison_key(description.rstrip(" .…"))
    if not summary:
        return blocks
    for index, (text, is_heading) in enumerate(blocks[:3]):
        key = comparison_key(text)
        if is_heading and key and (key == summary or (len(summary) >= 40 and key.startswith(summary))):
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _dek(description: str, paragraphs: list[str]) -> str:
    """Return the summary line, unless it is the lede again (whole or cut short with "…") or an excerpt.

    A description longer than ``MAX_DEK_LENGTH`` characters is a machine-made excerpt of the page,
    not a summary line an editor would keep.
    """
    dek = cleanup.strip_remnants(description)
    lede = comparison_key(paragraphs[0]) if paragraphs else ""
    stem = comparison_key(dek.rstrip(" .…"))
    if len(dek) > MAX_DEK_LENGTH or (lede and stem and lede.startswith(stem)):
        return ""
    return dek

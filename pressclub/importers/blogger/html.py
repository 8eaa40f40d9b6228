"""Turn Blogger HTML into pressclub body blocks and comment text, through the one allow-list."""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from lxml import etree

from pressclub.core.sanitize import sanitize_html

COMMENT_LINK_REL = "nofollow ugc noopener"

# Players whose iframes become embed blocks: (pattern on the src, canonical URL for oEmbed).
EMBED_PROVIDERS = [
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/(?:embed|v)/([\w-]{6,})", re.I),
        "https://www.youtube.com/watch?v={}",
    ),
    (re.compile(r"^(?:https?:)?//(?:www\.)?youtu\.be/([\w-]{6,})", re.I), "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)", re.I), "https://vimeo.com/{}"),
]

# Old YouTube players name the video elsewhere than in a /v/ or /embed/ path: in the player URL's
# query (``get_player?video_id=…``), in ``flashvars`` or in Blogger's ``data-thumbnail-src``
# (``…/vi/<id>/0.jpg``). A YouTube video id is 11 characters of [A-Za-z0-9_-].
_YOUTUBE_PLAYER_RE = re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/", re.I)
_YOUTUBE_ID_PARAM_RE = re.compile(r"(?:^|[?&;])(?:video_id|v)(?:=|%3D)([\w-]{11})(?![\w-])")
_YOUTUBE_THUMBNAIL_RE = re.compile(r"/vi/([\w-]{11})/")
# Blogger's image hosts serve https too; http there would be mixed content on an https site.
_BLOGGER_IMAGE_HOST_RE = re.compile(r"^http://((?:[\w-]+\.)*bp\.blogspot\.com|blogger\.googleusercontent\.com)/", re.I)
_PLAYER_RE = re.compile(r"<\s*(?:iframe|embed|object)\b", re.I)
_MARKER = "\ue000EMBED{}\ue000"
_EMPTY_P_RE = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_EMPTY_RE = re.compile(r"<[^>]*>|&nbsp;|\s")
_MARKER_RE = re.compile("\ue000EMBED(\\d+)\ue000")


# Elements whose content an HTML parser reads as raw text up to their end tag (HTML's raw-text and
# RCDATA elements, <plaintext>, which has none, and <noscript>, raw text where scripts run): left
# open, they swallow the rest of a post. An unclosed <iframe> swallows it too; it is closed right
# after its start tag instead, so body_blocks can still turn a known player into an embed. An
# unclosed comment ("<!--" with no "-->") hides everything after it.
RAW_TEXT_TAGS = ("script", "style", "textarea", "plaintext", "xmp", "title", "noembed", "noframes", "noscript")
_RAW_TEXT_START_RE = re.compile(r"<(?:(!--)|({}|iframe)(?=[\s/>]|$))".format("|".join(RAW_TEXT_TAGS)), re.I)
# How a comment ends (HTML's tokenizer): "-->", "--!>", or at once in "<!-->" and "<!--->".
_COMMENT_END_RE = re.compile(r"\A->?>|-->|--!>")
COMMENT_OPENER = "!--"


def close_raw_text(html: str) -> tuple[str, list[str]]:
    """Return ``(html, unclosed)``: ``html`` with what is never closed made harmless, and what was
    unclosed (lower-case element names, ``"!--"`` for a comment, in order).

    An unclosed ``<script``, ``<style``, ``<textarea>``, ``<plaintext>`` (which no end tag closes),
    ``<xmp>``, ``<title>``, ``<noembed>``, ``<noframes>``, ``<noscript>`` or comment opener ``<!--``
    would make the sanitiser read everything after it as the element's content (or the comment) and
    drop it. Removing the start tag (up to its ``>``, or the whole unfinished tag) keeps that text;
    what it held is then sanitised like the rest. An unclosed ``<iframe …>`` gets its end tag right
    after the start tag, so the player is kept (or dropped) alone. Closed elements and comments are
    left alone.
    """
    if "<" not in html:
        return html, []
    unclosed: list[str] = []
    pieces: list[str] = []
    position = 0
    while True:
        match = _RAW_TEXT_START_RE.search(html, position)
        if match is None:
            break
        if match.group(1):  # a comment: skip it whole when it ends, else drop its opener
            end = _COMMENT_END_RE.search(html, match.end())
            if end is not None:
                pieces.append(html[position:end.end()])
                position = end.end()
            else:
                unclosed.append(COMMENT_OPENER)
                pieces.append(html[position:match.start()])
                position = match.end()
            continue
        name = match.group(2).lower()
        tag_end = html.find(">", match.end())
        if tag_end == -1:  # "<script src=…" never finished: the rest would be read as attributes
            closed = False
            tag_end = len(html) - 1
        elif name == "plaintext":
            closed = False
        else:
            end = re.compile(rf"</{name}\s*>", re.I).search(html, tag_end + 1)
            closed = end is not None
        if closed:
            pieces.append(html[position:end.end()])
            position = end.end()
        else:
            unclosed.append(name)
            pieces.append(html[position:match.start()])
            if name == "iframe" and html[tag_end] == ">":
                pieces.append(html[match.start():tag_end + 1] + "</iframe>")
            position = tag_end + 1
    if not unclosed:
        return html, []
    pieces.append(html[position:])
    return "".join(pieces), unclosed


# Blogger's editor writes a Tab key press as <span class="Apple-tab-span" style="white-space:pre">\t</span>:
# the style is what keeps the tab, and the allow-list drops styles. A span holding only blanks,
# with that class or a ``white-space: pre``/``pre-wrap``/``break-spaces`` style, is such a wrapper.
_TAB_SPAN_RE = re.compile(
    r"""<span\b(?=[^>]*(?:Apple-tab-span|white-space\s*:\s*(?:pre|pre-wrap|break-spaces)\b))[^>]*>([ \t\u00a0]*)</span>""",
    re.I,
)
TAB_WIDTH = 8  # no-break spaces a tab becomes: a browser's tab stop (CSS tab-size: 8) at a line's start


def keep_tab_spans(html: str) -> str:
    """Return ``html`` with the tab characters inside Blogger's tab-span wrappers (``<span
    class="Apple-tab-span" style="white-space:pre">\t</span>``, or any span with a preserving
    ``white-space`` style that holds only blanks) written as ``TAB_WIDTH`` no-break spaces each,
    and their spaces as no-break spaces, so indentation survives the allow-list, which drops the
    style. The span itself stays (the allow-list then keeps it bare). Tabs elsewhere are left
    alone: inside ``<pre>`` they show as written, and in running text Blogger collapsed them too.
    """
    if "\t" not in html or "<span" not in html.lower():
        return html

    def expand(match: re.Match) -> str:
        blanks = match.group(1).replace("\t", "\u00a0" * TAB_WIDTH).replace(" ", "\u00a0")
        start = match.group(0)[: match.start(1) - match.start(0)]
        return f"{start}{blanks}</span>"

    return _TAB_SPAN_RE.sub(expand, html)


def embed_url(src: str) -> str | None:
    """Return the canonical URL of a known player's ``src`` (YouTube, Vimeo), or None."""
    src = (src or "").strip()
    for pattern, template in EMBED_PROVIDERS:
        match = pattern.match(src)
        if match:
            return template.format(match.group(1))
    return None


def _youtube_fallback(element, src: str) -> str | None:
    """Return the watch URL of an old YouTube player whose src does not name the video, or None.

    Only a player served by youtube.com is considered; its video id is looked for in the src's
    query, then in ``flashvars`` and ``data-thumbnail-src`` of the element and its descendants.
    """
    if not _YOUTUBE_PLAYER_RE.match(src.strip()):
        return None
    candidates = [src]
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        candidates.append(node.get("flashvars") or "")
        if node.tag == "param" and (node.get("name") or "").lower() == "flashvars":
            candidates.append(node.get("value") or "")
    for candidate in candidates:
        if match := _YOUTUBE_ID_PARAM_RE.search(candidate):
            return f"https://www.youtube.com/watch?v={match.group(1)}"
    for node in (element, *element.iterancestors()):
        if match := _YOUTUBE_THUMBNAIL_RE.search(node.get("data-thumbnail-src") or ""):
            return f"https://www.youtube.com/watch?v={match.group(1)}"
    return None


def fix_images(root) -> None:
    """Give every ``<img>`` under ``root`` an ``alt`` ("" when it had none: decorative until an editor
    writes one) and move Blogger-hosted ``http://`` sources (``*.bp.blogspot.com``,
    ``blogger.googleusercontent.com``) to ``https://``."""
    for img in root.iter("img"):
        if img.get("alt") is None:
            img.set("alt", "")
        src = (img.get("src") or "").strip()
        if _BLOGGER_IMAGE_HOST_RE.match(src):
            img.set("src", "https://" + src[len("http://") :])


def _player_src(element) -> str:
    if element.tag == "object":
        for param in element.iter("param"):
            if (param.get("name") or "").lower() in {"movie", "src"}:
                return param.get("value") or ""
        inner = next(element.iter("embed"), None)
        return (inner.get("src") or "") if inner is not None else (element.get("data") or "")
    return element.get("src") or ""


def _fragment(html: str):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def _inner_html(root) -> str:
    return (root.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)


def body_blocks(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Return ``(blocks, removed)`` for a post's HTML.

    ``blocks`` is a list of StreamField ``(type, value)`` pairs: ``("html", sanitised HTML)`` and, where
    a YouTube or Vimeo player stood, ``("embed", canonical URL)``, in reading order. ``removed`` lists
    the ``src`` of every other iframe/embed/object, which the allow-list drops. Images are passed
    through ``fix_images`` (an ``alt`` on each, https for Blogger's image hosts).
    """
    if not (html or "").strip():
        return [], []
    embeds: list[str | None] = []
    removed: list[str] = []
    if "<img" in html:
        root = _fragment(html)
        fix_images(root)
        html = _inner_html(root)
    if _PLAYER_RE.search(html):
        root = _fragment(html)
        handled: set = set()
        for element in list(root.iter("iframe", "object", "embed")):
            if any(ancestor in handled for ancestor in element.iterancestors()):
                continue
            handled.add(element)
            src = _player_src(element)
            url = embed_url(src) or _youtube_fallback(element, src)
            if url is None:
                removed.append(src or f"<{element.tag}> without src")
            embeds.append(url)
            marker = _MARKER.format(len(embeds) - 1)
            # Split the body between top-level elements only, so no paragraph is cut in two:
            # a player inside a paragraph is placed right after that paragraph.
            top = element
            while top.getparent() is not root:
                top = top.getparent()
            if top is element:
                element.tail = marker + (element.tail or "")
            else:
                top.tail = marker + (top.tail or "")
            element.drop_tree()
        html = _inner_html(root)
    blocks: list[tuple[str, str]] = []
    pieces = _MARKER_RE.split(html)
    for index, piece in enumerate(pieces):
        if index % 2:
            url = embeds[int(piece)]
            if url:
                blocks.append(("embed", url))
        else:
            clean = _EMPTY_P_RE.sub("", sanitize_html(piece)).strip()
            if clean and (_EMPTY_RE.sub("", clean) or "<img" in clean or "<hr" in clean):
                blocks.append(("html", clean))
    return blocks, removed


def html_to_text(html: str) -> str:
    """Return the plain text of an HTML fragment: ``<br>`` as a newline, paragraphs apart by a blank line."""
    if not (html or "").strip():
        return ""
    root = _fragment(html)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "blockquote", "pre"):
        block.tail = "\n\n" + (block.tail or "")
    text = root.text_content()
    text = re.sub(r"[ \t\r\f\v]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# Block elements a comment body may hold (after the allow-list); a body with none is inline text.
_COMMENT_BLOCK_RE = re.compile(r"<(?:p|div|blockquote|ul|ol|dl|pre|table|figure|h[2-6])[\s>]", re.I)
_BR_RUN_RE = re.compile(r"(?:\s*<br\s*/?>\s*){2,}", re.I)
_EDGE_BR_RE = re.compile(r"^(?:\s*<br\s*/?>)+|(?:<br\s*/?>\s*)+$", re.I)


def comment_paragraphs(clean: str) -> str:
    """Return sanitised comment HTML as block markup, as a native comment's body is.

    Blogger stores a comment as inline text with ``<br>`` line breaks; placed after the comment's
    name and date, it would run into the date ("19:10Step 4. …"). Inline text becomes paragraphs
    (split at blank lines, i.e. two or more ``<br>`` in a row; single ones stay); a body that
    already holds block elements is wrapped in one ``<div>``. ``""`` stays ``""``.
    """
    if not clean.strip():
        return ""
    if _COMMENT_BLOCK_RE.search(clean):
        return f"<div>{clean}</div>"
    paragraphs = (_EDGE_BR_RE.sub("", part).strip() for part in _BR_RUN_RE.split(clean))
    return "".join(f"<p>{part}</p>" for part in paragraphs if part)


def comment_body(html: str, *, max_length: int = 5000) -> tuple[str, str]:
    """Return ``(text, sanitised_html)`` of a comment; ``text`` is at most ``max_length`` characters
    and the HTML is block markup (see :func:`comment_paragraphs`).

    What an unclosed tag or comment would swallow is kept, as in posts (:func:`close_raw_text`).
    """
    html, _unclosed = close_raw_text(html or "")
    clean = sanitize_html(html, link_rel=COMMENT_LINK_REL).strip()
    return html_to_text(clean)[:max_length], comment_paragraphs(clean)


def rewrite_image_sources(html: str, replace: Callable[[str], str | None]) -> str:
    """Return ``html`` with each ``<img src>`` replaced by ``replace(src)`` (kept when it returns None)."""
    if "<img" not in html:
        return html
    root = _fragment(html)
    for img in root.iter("img"):
        new = replace(img.get("src") or "")
        if new:
            img.set("src", new)
    return _inner_html(root)

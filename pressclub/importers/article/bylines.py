"""Read a story's bylines as separate names from JSON-LD, meta tags, microdata and byline markup."""

import re

from .dom import class_words, element_text, ld_text, ld_types, meta_content, squash

ORGANISATION_TYPES = {"organization", "newsmediaorganization", "corporation", "ngo"}
# Links to an author's page: "/by/mara-lind", "/author/mara", "/authors/…", "/people/…", "/staff/…".
_AUTHOR_LINKS = (
    './/a[contains(@href, "/by/") or contains(@href, "/author/") or contains(@href, "/authors/")'
    ' or contains(@href, "/people/") or contains(@href, "/staff/")]'
)
_BYLINE_GLUE = re.compile(r"(?:\s|[,;&|·]|\b(?:by|and|with|und|et|y|e)\b)*", re.IGNORECASE)
_INLINE_TAGS = {"span", "em", "strong", "b", "i", "a", "small", "font"}
# Class/id words of page parts whose author links belong to other stories.
_ELSEWHERE_WORDS = {
    "related", "recommended", "popular", "trending", "sidebar", "comments", "comment", "footer", "promo", "more",
    "newsletter", "widget", "nav", "menu", "respond", "disqus", "reply", "replies", "mostread", "most", "read",
    "recirc", "teaser", "teasers",
}

# Words that introduce a byline in the languages we meet ("By", "Von", "Por", "Par", "Di", "Door"…),
# with the kind of piece some outlets put before them ("Analysis by", "Opinion by").
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:written|posted|reported|text|words|story|analysis|opinion|commentary|review|interview|column)\s+)?"
    r"(?:by|von|por|par|di|da|door|av|af|from|текст)\b[:\s]*",
    re.IGNORECASE,
)
# Separators between names inside one piece of byline text: "A, B and C", "A & B", "A; B", "A | B".
_NAME_SEPARATOR = re.compile(r"\s*(?:[,;|/·•]|\s(?:and|und|et|y|e|и|&)\s|&)\s*", re.IGNORECASE)
# Suffixes written after a comma that belong to the name before it ("…, Jr.", "…, MD", "…, PhD").
_NAME_SUFFIX = re.compile(
    r"(?:jr|sr|ii|iii|iv|md|m\.d|phd|ph\.d|dds|dmd|rn|np|pa-c|esq|mba|mph|cpa|facp|frcs|obe|mbe|cbe|kc)\.?",
    re.IGNORECASE,
)
# Words that make a byline piece an organisation or a role rather than a person's name.
_ORGANISATION_WORDS = {
    "press", "news", "times", "post", "herald", "journal", "tribune", "gazette", "leader", "agency",
    "media", "network", "wire", "daily", "weekly", "reuters", "afp", "bureau", "desk", "correspondent",
    "reporter", "editor", "editors", "contributor", "newsroom", "team", "writer", "writers", "columnist",
}
_NOT_NAME_WORDS = _ORGANISATION_WORDS | {
    "share", "shares", "comment", "comments", "updated", "published", "read", "min", "follow", "email",
    "print", "more", "minute", "minutes", "ago", "advertisement", "subscribe", "topic", "staff", "photo",
    # what a comment form or a teaser box prints where a name would be
    "name", "anonymous", "unknown", "guest", "admin", "administrator", "user", "reply", "website",
    "about", "view", "archive", "rss", "feed", "profile", "bio", "all",
    # days and times: "Tuesday", "Mon", "today", "noon" are never a writer
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "today", "yesterday", "tomorrow", "noon", "midnight", "am", "pm", "a.m", "p.m", "gmt", "utc", "ist", "npt",
}


def read_bylines(tree, *, article: dict | None = None, by_id: dict | None = None, outlet: str = "") -> list[str]:
    """Return the story's bylines as a list of separate names, in page order, without duplicates.

    Structured data first: JSON-LD ``author`` (persons only, ``@id`` references resolved), ``<meta
    name="author">`` (and ``byl``/``article:author``/``dc.creator``/``parsely-author`` when not a
    URL) and microdata ``itemprop="author"``; a visible byline (a block of author-page links or a
    ``.byline`` element) that names all of those and more completes them. Only when structured data
    names nobody, visible byline markup: ``rel="author"`` links, blocks of author-page links and
    ``.byline`` elements. Inside a byline
    element every child element is its own name, so adjacent ``<span>Mara Lind</span><span>Tomas
    Reyes</span>`` never run together; free text "By A, B and C" gives three names. Reading stops at
    the first piece that is not a name (a date, a weekday, a time, "5 min read", a section).
    Markup inside readers' comments, "most read"/"trending"/related boxes, navigation, footers and
    forms (a comment form's "Name" field) is never read, and a name equal to the outlet is dropped.
    """
    by_id = by_id or {}
    names: list[str] = []
    authors = article.get("author", []) if article else []
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and "name" not in author and author.get("@id") in by_id:
            author = by_id[author["@id"]]
        if isinstance(author, str):
            names += _names_from_pieces([author])
        elif isinstance(author, dict) and not ld_types(author) & ORGANISATION_TYPES:
            names += _names_from_pieces([ld_text(author, "name")])
    for key in ("author", "byl", "article:author", "dc.creator", "parsely-author"):
        value = meta_content(tree, key)
        if value and "://" not in value:
            names += _names_from_pieces([value])
    for element in _this_story(tree.xpath('//*[@itemprop="author"]')):
        inner = element.xpath('.//*[@itemprop="name"]')
        names += _names_from_pieces([_attribute_or_text(node) for node in (inner or [element])])
    visible = [
        [name for link in block.xpath(_AUTHOR_LINKS) for name in _names_from_pieces([element_text(link)])]
        for block in byline_blocks(tree)
    ] + [_names_from_pieces(_text_pieces(element)) for element in _this_story(_byline_elements(tree))]
    structured = _unique_names(names, outlet)
    if structured:
        # A visible byline that names everyone the structured data names, and more, completes it.
        keys = {_name_key(name) for name in structured}
        for line in visible:
            if keys < {_name_key(name) for name in line}:
                return _unique_names(structured + line, outlet)
        return structured
    for element in _this_story(tree.xpath('//*[contains(concat(" ", normalize-space(@rel), " "), " author ")]')):
        names += _names_from_pieces([element_text(element)])
    for line in visible:
        names += line
    return _unique_names(names, outlet)


def _name_key(name: str) -> str:
    return re.sub(r"\W", "", name.casefold())


def _elsewhere(element) -> bool:
    """Return True when ``element`` sits in a part of the page about other things than this story's
    writers: navigation, a footer, an aside, a form, readers' comments (also schema.org ``Comment``
    microdata) or a related/most-read/trending box (``_ELSEWHERE_WORDS``)."""
    for ancestor in (element, *element.iterancestors()):
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor is not element and ancestor.tag in ("nav", "footer", "aside"):
            return True
        if ancestor is not element and ancestor.tag == "form" and not _wraps_the_page(ancestor):
            return True
        if class_words(ancestor) & _ELSEWHERE_WORDS or "comment" in (ancestor.get("itemtype") or "").casefold():
            return True
    return False


# Some publishing systems wrap the whole page in one ``<form>``: a form holding more words than this,
# or a headline, is the page, not a comment or sign-up form.
_PAGE_FORM_WORDS = 300


def _wraps_the_page(form) -> bool:
    """Return True for a ``<form>`` that holds the page (a headline, or more than ``_PAGE_FORM_WORDS`` words)."""
    return bool(form.xpath(".//h1")) or len(element_text(form).split()) > _PAGE_FORM_WORDS


def _this_story(elements) -> list:
    """Return the elements that are not ``_elsewhere`` on the page."""
    return [element for element in elements if not _elsewhere(element)]


def byline_blocks(tree) -> list:
    """Return the elements holding only links to author pages and byline glue ("By", ",", "and").

    That is a byline printed without a byline class: ``<p>By <a href="/by/mara-lind">Mara Lind</a>
    and <a href="/by/tomas-reyes">Tomas Reyes</a></p>``. Links inside related-story lists, sidebars,
    comment sections, navigation and footers are not bylines of this story.
    """
    blocks: list = []
    for link in tree.xpath("//body" + _AUTHOR_LINKS[1:]):
        if _elsewhere(link):
            continue
        block = link.getparent()
        while block is not None and block.tag in _INLINE_TAGS and block.getparent() is not None:
            block = block.getparent()
        if block is None or block in blocks or block.tag in ("body", "html"):
            continue
        leftover = element_text(block)
        for inner in block.xpath(_AUTHOR_LINKS):
            leftover = leftover.replace(element_text(inner), " ", 1)
        if _BYLINE_GLUE.fullmatch(leftover):
            blocks.append(block)
    return blocks


def _attribute_or_text(element) -> str:
    return squash(element.get("content")) if element.tag == "meta" else element_text(element)


def _byline_elements(tree) -> list:
    """Return the outermost elements whose class names them a byline (not its date or prefix)."""
    found = tree.xpath(
        '//*[contains(translate(@class, "BYLINE", "byline"), "byline")'
        ' and not(contains(translate(@class, "DATETIMPREFX", "datetimprefx"), "date"))'
        ' and not(contains(translate(@class, "DATETIMPREFX", "datetimprefx"), "time"))'
        ' and not(contains(translate(@class, "DATETIMPREFX", "datetimprefx"), "prefix"))]'
    )
    chosen = set(found)
    return [el for el in found if not any(ancestor in chosen for ancestor in el.iterancestors())]


_END_OF_NAMES = "\x00"


def _text_pieces(element) -> list[str]:
    """Return the element's text split at every element boundary (text and tails apart).

    A ``<time>`` element ends the pieces with a marker that is never a name.
    """
    pieces: list[str] = []
    for node in element.iter():
        if node.tag == "time":  # the dateline part of a byline: no names follow
            pieces.append(_END_OF_NAMES)
            break
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            if node is not element:
                pieces.append(squash(node.tail))
            continue
        pieces.append(squash(node.text))
        if node is not element:
            pieces.append(squash(node.tail))
    return pieces


def _names_from_pieces(pieces: list[str]) -> list[str]:
    """Return the names in byline text pieces, stopping at the first piece that is not names.

    A name suffix after a comma stays with its name: "Martin Lind, Jr." and "Ana Ruiz, MD" are one
    person each, in structured data (JSON-LD, microdata, meta tags) as in visible bylines. A role
    or an outlet after a comma ("Tom Krisher, AP Auto Writer") ends the names.
    """
    names: list[str] = []
    for piece in pieces:
        piece = _BYLINE_PREFIX.sub("", squash(piece)).strip(" ,;:|-–—")
        if not piece or piece.casefold() in ("and", "&", "by", "und", "et"):
            continue
        candidates: list[str] = []
        for part in _NAME_SEPARATOR.split(piece):
            if _NAME_SUFFIX.fullmatch(part.strip(" ,;:|")) and candidates:
                candidates[-1] += ", " + part.strip(" ,;:|")
            elif part.strip(" .,;:|-–—"):
                name = _BYLINE_PREFIX.sub("", part.strip(" ,;:|-–—")).strip()
                last_word = name.rsplit(None, 1)[-1] if name else ""
                candidates.append(name if _NAME_SUFFIX.fullmatch(last_word) else name.strip(" ."))
        for candidate in candidates:
            if not _plausible_name(candidate):
                return names
            names.append(candidate)
    return names


def _plausible_name(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 5
        and len(text) <= 60
        and any(char.isalpha() for char in text)
        and not any(char.isdigit() for char in text)
        and not re.search(r"@|://|[:!?()\[\]\x00]", text)
        and not {part.strip(".") for word in words for part in word.casefold().split("-")} & _NOT_NAME_WORDS
    )


def _unique_names(names: list[str], outlet: str) -> list[str]:
    seen = {re.sub(r"\W", "", outlet.casefold())} if outlet else set()
    unique: list[str] = []
    for name in names:
        if name.isupper() and len(name) > 3:  # AP-style capitals: "LISA MASCARO" → "Lisa Mascaro"
            name = name.title()
        key = re.sub(r"\W", "", name.casefold())
        if key and key not in seen:
            seen.add(key)
            unique.append(name)
    return unique

"""Read a news page's metadata: headline, dek, bylines, outlet, canonical URL, time, language, image.

Sources, in the order each reader tries them: schema.org JSON-LD (``<script type="application/ld+json">``,
``@graph`` and ``@id`` references resolved), Open Graph / ``article:`` meta tags, plain ``<meta name>``
tags, microdata (``itemprop``) and finally visible markup (``<h1>``, ``rel="author"``, ``.byline``).
All functions take an lxml HTML tree and never touch the network or the database.
"""

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.utils.dateparse import parse_date, parse_datetime

ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "techarticle", "report", "socialmediaposting", "posting", "claimreview",
}
ORGANISATION_TYPES = {"organization", "newsmediaorganization", "corporation", "ngo"}

# Words that introduce a byline in the languages we meet ("By", "Von", "Por", "Par", "Di", "Door"…).
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:written|posted|reported|text|words|story)\s+)?(?:by|von|por|par|di|da|door|av|af|from|текст)\b[:\s]*",
    re.IGNORECASE,
)
# Separators between names inside one piece of byline text: "A, B and C", "A & B", "A; B", "A | B".
_NAME_SEPARATOR = re.compile(r"\s*(?:[,;|/·•]|\s(?:and|und|et|y|e|и|&)\s|&)\s*", re.IGNORECASE)
# Words that make a byline piece an organisation or a role rather than a person's name.
_ORGANISATION_WORDS = {
    "press", "news", "times", "post", "herald", "journal", "tribune", "gazette", "leader", "agency",
    "media", "network", "wire", "daily", "weekly", "reuters", "afp", "bureau", "desk", "correspondent",
    "reporter", "editor", "editors", "contributor", "newsroom", "team",
}
_NOT_NAME_WORDS = _ORGANISATION_WORDS | {
    "share", "shares", "comment", "comments", "updated", "published", "read", "min", "follow", "email",
    "print", "more", "minute", "minutes", "ago", "advertisement", "subscribe", "topic", "staff", "photo",
}


@dataclass
class PageMetadata:
    """What a page says about itself, before its body is read."""

    headline: str = ""
    dek: str = ""
    bylines: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    source_outlet: str = ""
    original_url: str = ""
    lead_image_url: str = ""
    language: str = ""


def squash(text: str | None) -> str:
    """Return ``text`` with runs of whitespace collapsed to single spaces and ends stripped."""
    return " ".join((text or "").split())


def element_text(element) -> str:
    """Return the visible text of an lxml element, whitespace-collapsed."""
    return squash(element.text_content())


def read_metadata(tree, *, source_url: str = "") -> PageMetadata:
    """Return the ``PageMetadata`` of a parsed page (lxml HTML tree); missing values stay empty."""
    objects = json_ld_objects(tree)
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    article = next((obj for obj in objects if _types(obj) & ARTICLE_TYPES), None)
    webpage = next((obj for obj in objects if "webpage" in _types(obj)), None)
    outlet = _outlet(tree, article, by_id)
    original_url = _canonical_url(tree, source_url)
    return PageMetadata(
        headline=_headline(tree, article, site_keys_for(outlet, original_url or source_url)),
        dek=_first_text(
            _ld_text(article, "description"),
            _meta(tree, "og:description"),
            _meta(tree, "description"),
            _meta(tree, "twitter:description"),
        ),
        bylines=read_bylines(tree, article=article, by_id=by_id, outlet=outlet),
        published_at=_published_at(tree, article, webpage),
        source_outlet=outlet,
        original_url=original_url,
        lead_image_url=_lead_image_url(tree, article, source_url),
        language=_language(tree, article),
    )


def json_ld_objects(tree) -> list[dict]:
    """Return every JSON object in the page's JSON-LD scripts, ``@graph`` members flattened."""
    found: list[dict] = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            found.append(node)
            walk(node.get("@graph", []))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text or ""))
        except ValueError:  # a broken block is ignored; the page's other sources still count
            continue
    return found


def _types(obj: dict | None) -> set[str]:
    if not isinstance(obj, dict):
        return set()
    kind = obj.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).casefold() for k in kinds}


def _ld_text(obj: dict | None, key: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    return squash(html.unescape(value)) if isinstance(value, str) else ""


def _meta(tree, key: str) -> str:
    """Return the content of the first ``<meta>`` whose name, property or itemprop is ``key``."""
    for attribute in ("property", "name", "itemprop"):
        for value in tree.xpath(f'//meta[@{attribute}=$key]/@content', key=key):
            if squash(value):
                return squash(html.unescape(value))
    return ""


def _first_text(*values: str) -> str:
    return next((value for value in values if value), "")


_HEADLINE_XPATH = (
    '//h1 | //*[@itemprop="headline"] | //*[contains(concat(" ", normalize-space(@class), " "), " entry-title ")]'
    ' | //*[contains(concat(" ", normalize-space(@class), " "), " post-title ")]'
    ' | //*[contains(concat(" ", normalize-space(@class), " "), " headline ")]'
)


def _headline(tree, article: dict | None, site_keys: set[str]) -> str:
    """Return the visible headline, else the page's title without the site name.

    Visible candidates are ``<h1>`` elements and elements marked as the headline
    (``itemprop="headline"``, class ``entry-title``, ``post-title`` or ``headline``), except one that
    is just the site's name (a blog's ``<h1>``). The one sharing most words with the page's titles
    (``og:title``, JSON-LD ``headline``, ``<title>``) wins, the earliest on ties; when none shares a
    word with a title the page has, the title (without the site name) is the headline.
    """
    titles = [_meta(tree, "og:title"), _ld_text(article, "headline"), squash(" ".join(tree.xpath("//title//text()")))]
    titles = [strip_site_name(title, site_keys) for title in titles if title]
    heads = [
        text
        for text in (element_text(node) for node in tree.xpath(_HEADLINE_XPATH) if node.tag != "meta")
        if text and len(text) <= 300 and not _is_site_name(text, site_keys)
    ]
    title_words = set(" ".join(titles).casefold().split())
    if heads:
        best = max(heads, key=lambda head: (len(set(head.casefold().split()) & title_words), -heads.index(head)))
        if not titles or set(best.casefold().split()) & title_words:
            return best
    return titles[0] if titles else ""


def site_keys_for(outlet: str, url: str) -> set[str]:
    """Return comparison keys naming the site: the outlet's name and the host's main label."""
    labels = [label for label in urlsplit(url).hostname.split(".") if label != "www"] if url else []
    return {key for key in (comparison_key(outlet), comparison_key(labels[0]) if labels else "") if len(key) >= 3}


def strip_site_name(title: str, site_keys: set[str]) -> str:
    """Remove a leading or trailing " | Site" / " - Site" / "Site: " part from a page title."""
    parts = re.split(r"\s+[|–—-]\s+|:\s+", title)
    if len(parts) > 1 and _is_site_name(parts[-1], site_keys):
        return title[: title.rindex(parts[-1])].rstrip(" |–—-:")
    if len(parts) > 1 and _is_site_name(parts[0], site_keys):
        return title[len(parts[0]) :].lstrip(" |–—-:")
    return title


def _is_site_name(text: str, site_keys: set[str]) -> bool:
    """Return True when ``text`` is (a short form of) the site's name: "ZDNet", "Space.com"."""
    key = comparison_key(text)
    return bool(key) and any(key in site or (site in key and len(key) <= len(site) + 10) for site in site_keys)


def comparison_key(text: str) -> str:
    """Return a comparison key: letters, marks and digits only, case-folded."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


def _outlet(tree, article: dict | None, by_id: dict) -> str:
    publisher = article.get("publisher") if article else None
    if isinstance(publisher, dict) and "name" not in publisher and publisher.get("@id") in by_id:
        publisher = by_id[publisher["@id"]]
    name = _ld_text(publisher, "name") if isinstance(publisher, dict) else ""
    return _first_text(name, _meta(tree, "og:site_name"), _meta(tree, "application-name"))


def _canonical_url(tree, source_url: str) -> str:
    for candidate in (*tree.xpath('//link[@rel="canonical"]/@href'), _meta(tree, "og:url"), source_url):
        url = urljoin(source_url, squash(candidate)) if candidate else ""
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
            return url
    return ""


def _lead_image_url(tree, article: dict | None, source_url: str) -> str:
    image = article.get("image") if article else None
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url") or image.get("contentUrl")
    for candidate in (_meta(tree, "og:image"), _meta(tree, "twitter:image"), image if isinstance(image, str) else ""):
        url = urljoin(source_url, candidate.strip()) if candidate else ""
        if urlsplit(url).scheme in ("http", "https"):
            return url
    return ""


def _language(tree, article: dict | None) -> str:
    """Return the primary language subtag ("en" for "en-US"), lower-case, or ""."""
    for value in (
        *tree.xpath("/html/@lang"),
        _ld_text(article, "inLanguage"),
        _meta(tree, "og:locale"),
        *tree.xpath('//meta[@http-equiv="content-language"]/@content'),
    ):
        code = re.split(r"[-_,\s]", squash(value).lower())[0] if value else ""
        if re.fullmatch(r"[a-z]{2,3}", code):
            return code
    return ""


def parse_timestamp(value: str) -> dt.datetime | None:
    """Return an aware datetime from an ISO 8601 timestamp or date, or None.

    A time without an offset is taken as UTC, a bare date as midnight UTC. Years before 1900
    (placeholders such as ``0001-01-01``) give None.
    """
    value = squash(value)
    if not value:
        return None
    try:
        when = parse_datetime(value.replace(" ", "T", 1)) or (
            dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) if (day := parse_date(value[:10])) else None
        )
    except ValueError:
        return None
    if when is None or when.year < 1900:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _published_at(tree, article: dict | None, webpage: dict | None) -> dt.datetime | None:
    candidates = [
        _ld_text(article, "datePublished"),
        _meta(tree, "article:published_time"),
        _meta(tree, "datePublished"),
        _ld_text(webpage, "datePublished"),
        *tree.xpath("//time[@pubdate]/@datetime"),
        *tree.xpath('//*[@itemprop="datePublished"]/@datetime'),
    ]
    return next((when for when in map(parse_timestamp, candidates) if when), None)


# --- bylines -----------------------------------------------------------------------------------


def read_bylines(tree, *, article: dict | None = None, by_id: dict | None = None, outlet: str = "") -> list[str]:
    """Return the story's bylines as a list of separate names, in page order, without duplicates.

    Names come from JSON-LD ``author`` (persons only, ``@id`` references resolved), ``<meta
    name="author">`` (and ``byl``/``article:author`` when not a URL), microdata ``itemprop="author"``,
    ``rel="author"`` links and ``.byline`` elements. Inside a byline element every child element is
    its own name, so adjacent ``<span>Mara Lind</span><span>Tomas Reyes</span>`` never run together;
    free text "By A, B and C" gives three names. Reading stops at the first piece that is not a name
    (a date, "5 min read", a section), and a name equal to the outlet is dropped.
    """
    by_id = by_id or {}
    names: list[str] = []
    authors = article.get("author", []) if article else []
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and "name" not in author and author.get("@id") in by_id:
            author = by_id[author["@id"]]
        if isinstance(author, str):
            names += _names_from_pieces([author])
        elif isinstance(author, dict) and not _types(author) & ORGANISATION_TYPES:
            names += _names_from_pieces([_ld_text(author, "name")])
    for key in ("author", "byl", "article:author", "dc.creator", "parsely-author"):
        value = _meta(tree, key)
        if value and "://" not in value:
            names += _names_from_pieces([value])
    for element in tree.xpath('//*[@itemprop="author"]'):
        inner = element.xpath('.//*[@itemprop="name"]')
        names += _names_from_pieces([_attribute_or_text(node) for node in (inner or [element])])
    for element in tree.xpath('//*[contains(concat(" ", normalize-space(@rel), " "), " author ")]'):
        names += _names_from_pieces([element_text(element)])
    for element in _byline_elements(tree):
        names += _names_from_pieces(_text_pieces(element))
    return _unique_names(names, outlet)


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
    """Return the names in byline text pieces, stopping at the first piece that is not names."""
    names: list[str] = []
    for piece in pieces:
        piece = _BYLINE_PREFIX.sub("", squash(piece)).strip(" ,;:|-–—")
        if not piece or piece.casefold() in ("and", "&", "by", "und", "et"):
            continue
        candidates = [part.strip(" ,;:.|-–—") for part in _NAME_SEPARATOR.split(piece)]
        candidates = [_BYLINE_PREFIX.sub("", part).strip() for part in candidates if part.strip(" .")]
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
        and not {word.casefold().strip(".") for word in words} & _NOT_NAME_WORDS
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

"""Read a news page's metadata: headline, dek, bylines, outlet, canonical URL, time, language, image.

Sources, in the order each reader tries them: schema.org JSON-LD (``<script type="application/ld+json">``,
``@graph`` and ``@id`` references resolved), Open Graph / ``article:`` meta tags, plain ``<meta name>``
tags, microdata (``itemprop``) and finally visible markup (``<h1>``, ``rel="author"``, ``.byline``).
All functions take an lxml HTML tree and never touch the network or the database.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.utils.dateparse import parse_date, parse_datetime
from tld import get_fld

from .bylines import read_bylines
from .dom import comparison_key, element_text, json_ld_objects, ld_text, ld_types, meta_content, squash

ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "techarticle", "report", "socialmediaposting", "posting", "claimreview",
}

# Single words some pages put in og:site_name that name a section, a region or a hosting product
# rather than the outlet ("U.S." on a wire service's markets story, "Hosted" on a syndication
# host). Compared by ``comparison_key``; a name made of several words is never rejected by this.
SECTION_WORDS = frozenset(
    comparison_key(word)
    for word in (
        "home", "homepage", "index", "main", "site", "website", "untitled", "hosted", "news", "latest",
        "breaking", "top", "blog", "blogs", "article", "articles", "story", "stories", "post", "posts",
        "world", "u.s.", "us", "usa", "uk", "u.k.", "europe", "asia", "africa", "americas", "national",
        "international", "local", "region", "regional", "politics", "business", "economy", "markets",
        "finance", "money", "sport", "sports", "opinion", "opinions", "editorial", "analysis", "technology",
        "tech", "science", "health", "entertainment", "culture", "arts", "lifestyle", "life", "travel",
        "food", "video", "videos", "photos", "gallery", "media", "features",
    )
)


@dataclass
class PageMetadata:
    """What a page says about itself, before its body is read."""

    headline: str = ""
    dek: str = ""
    bylines: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    source_outlet: str = ""  # named by the page; "" when it names none that looks like an outlet
    site_domain: str = ""  # registrable domain of the canonical URL ("reuters.com"), or ""
    original_url: str = ""
    lead_image_url: str = ""
    language: str = ""


def read_metadata(tree, *, source_url: str = "") -> PageMetadata:
    """Return the ``PageMetadata`` of a parsed page (lxml HTML tree); missing values stay empty."""
    objects = json_ld_objects(tree)
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    article = next((obj for obj in objects if ld_types(obj) & ARTICLE_TYPES), None)
    webpage = next((obj for obj in objects if "webpage" in ld_types(obj)), None)
    outlet = _outlet(tree, article, by_id)
    original_url = _canonical_url(tree, source_url)
    site_keys = site_keys_for(outlet, original_url or source_url) | site_keys_for(meta_content(tree, "og:site_name"), "")
    return PageMetadata(
        headline=_headline(tree, article, site_keys),
        dek=_first_text(
            ld_text(article, "description"),
            meta_content(tree, "og:description"),
            meta_content(tree, "description"),
            meta_content(tree, "twitter:description"),
        ),
        bylines=read_bylines(tree, article=article, by_id=by_id, outlet=outlet),
        published_at=_published_at(tree, article, webpage),
        source_outlet=outlet,
        site_domain=registrable_domain(original_url or source_url),
        original_url=original_url,
        lead_image_url=_lead_image_url(tree, article, source_url),
        language=_language(tree, article),
    )


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
    titles = [meta_content(tree, "og:title"), ld_text(article, "headline"), squash(" ".join(tree.xpath("//title//text()")))]
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


def absolute_url(base: str, candidate: str) -> str:
    """Return ``candidate`` resolved against ``base`` when the result is an http(s) URL with a host, else ""."""
    try:
        url = urljoin(base or "", squash(candidate)) if candidate else ""
        parts = urlsplit(url)
        return url if parts.scheme in ("http", "https") and parts.hostname else ""
    except ValueError:  # "http://[::1" and other malformed URLs
        return ""


def site_keys_for(outlet: str, url: str) -> set[str]:
    """Return comparison keys naming the site: the outlet's name and the host's main label."""
    host = urlsplit(url).hostname if absolute_url("", url) else ""
    labels = [label for label in host.split(".") if label != "www"] if host else []
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


def _outlet(tree, article: dict | None, by_id: dict) -> str:
    """Return the outlet the page names: the first plausible of JSON-LD ``publisher.name``,
    ``article:publisher`` (when a name; a URL, usually a social-media page, names nothing),
    ``og:site_name`` and ``application-name``; "" when none is (see ``plausible_outlet``)."""
    publisher = article.get("publisher") if article else None
    if isinstance(publisher, dict) and "name" not in publisher and publisher.get("@id") in by_id:
        publisher = by_id[publisher["@id"]]
    name = ld_text(publisher, "name") if isinstance(publisher, dict) else ""
    candidates = (
        name,
        meta_content(tree, "article:publisher"),
        meta_content(tree, "og:site_name"),
        meta_content(tree, "application-name"),
    )
    return next((outlet for outlet in map(plausible_outlet, candidates) if outlet), "")


def plausible_outlet(value: str) -> str:
    """Return ``value`` as an outlet name (whitespace collapsed), or "" when it does not look like one.

    Not names: URLs and paths, social-media handles ("@Wday"), identifiers with an underscore
    ("Wday_", "site_name"), copyright lines ("Copyright 2014") and a single word in ``SECTION_WORDS`` ("U.S.", "Hosted", "World"). A
    host name is one ("www.wday.ru" gives "wday.ru", without "www.").
    """
    name = squash(value)
    if not name or "://" in name or name.startswith(("@", "/", "www.facebook.", "facebook.")):
        return ""
    if "_" in name and " " not in name:
        return ""
    if re.match(r"(?:copyright\b|©|\(c\)\s)", name, re.IGNORECASE):  # a copyright line, not a name
        return ""
    if " " not in name and comparison_key(name) in SECTION_WORDS:
        return ""
    if re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,}", name, re.I) and " " not in name:
        return name[4:] if name.lower().startswith("www.") else name
    return name


def registrable_domain(url: str) -> str:
    """Return the registrable domain of an http(s) URL ("reuters.com" for https://www.reuters.com/…,
    "entermedia.co.kr"), by the Public Suffix List; "" for an IP address or no URL."""
    if not absolute_url("", url):
        return ""
    return get_fld(url, fail_silently=True) or ""


def _canonical_url(tree, source_url: str) -> str:
    for candidate in (*tree.xpath('//link[@rel="canonical"]/@href'), meta_content(tree, "og:url"), source_url):
        if url := absolute_url(source_url, candidate):
            return url
    return ""


def _lead_image_url(tree, article: dict | None, source_url: str) -> str:
    image = article.get("image") if article else None
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url") or image.get("contentUrl")
    for candidate in (meta_content(tree, "og:image"), meta_content(tree, "twitter:image"), image if isinstance(image, str) else ""):
        if url := absolute_url(source_url, candidate):
            return url
    return ""


def _language(tree, article: dict | None) -> str:
    """Return the primary language subtag ("en" for "en-US"), lower-case, or ""."""
    for value in (
        *tree.xpath("/html/@lang"),
        ld_text(article, "inLanguage"),
        meta_content(tree, "og:locale"),
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
        ld_text(article, "datePublished"),
        meta_content(tree, "article:published_time"),
        meta_content(tree, "datePublished"),
        ld_text(webpage, "datePublished"),
        *tree.xpath("//time[@pubdate]/@datetime"),
        *tree.xpath('//*[@itemprop="datePublished"]/@datetime'),
    ]
    return next((when for when in map(parse_timestamp, candidates) if when), None)

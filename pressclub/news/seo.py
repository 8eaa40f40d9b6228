"""What search engines and link previews read: site identity, canonical URLs, JSON-LD ``NewsArticle``.

The JSON-LD vocabulary is schema.org's (https://schema.org/NewsArticle); Google reads headline,
image, datePublished, dateModified, author, isAccessibleForFree and the publisher's logo from it.
"""

import logging
import re

from django.conf import settings
from django.utils.encoding import iri_to_uri

from pressclub.core.links import absolute_url
from pressclub.core.text import strip_control_chars

logger = logging.getLogger(__name__)

#: The rendition of the site's logo that search engines get: Google asks for at most 600 × 60 pixels.
LOGO_SPEC = "max-600x60|format-png"


def site_identity(request) -> dict:
    """Return ``{"name", "tagline", "publisher", "footer_note", "root_url", "about_url", "policy_url",
    "logo"}`` for the request's site.

    The name is Wagtail's ``Site.site_name`` (falling back to ``PRESSCLUB_SITE_NAME``); the rest come
    from the ``SiteIdentity`` setting (the two URLs are the chosen About and comment policy pages'
    paths, "" when none is chosen or the page is not live; one query when either is chosen). ``logo`` is
    ``{"url", "width", "height"}`` (absolute URL, pixels) of a PNG rendition of the chosen logo
    (``LOGO_SPEC``), or None. Cached on the request. Works without a request or a site
    (error pages), returning the defaults.
    """
    cached = getattr(request, "_pressclub_identity", None)
    if cached is not None:
        return cached
    from pressclub.core.models import SiteIdentity
    from pressclub.core.routing import site_for_request

    identity = {
        "name": settings.PRESSCLUB_SITE_NAME,
        "tagline": "",
        "publisher": "",
        "footer_note": "",
        "root_url": "/",
        "about_url": "",
        "policy_url": "",
        "logo": None,
    }
    site = site_for_request(request) if request is not None else None
    if site is not None:
        identity["name"] = site.site_name or identity["name"]
        setting = SiteIdentity.for_request(request)
        identity["tagline"] = setting.tagline
        identity["footer_note"] = setting.footer_note
        identity["publisher"] = setting.publisher_name
        identity.update(_linked_page_urls(setting, request))
        identity["logo"] = _logo(setting, request)
    identity["publisher"] = identity["publisher"] or identity["name"]
    if request is not None:
        request._pressclub_identity = identity
    return identity


def _linked_page_urls(setting, request) -> dict:
    """Return ``{"about_url", "policy_url"}`` of the SiteIdentity's chosen pages (live ones only)."""
    from wagtail.models import Page

    ids = {"about_url": setting.about_page_id, "policy_url": setting.comment_policy_page_id}
    wanted = [pk for pk in ids.values() if pk]
    if not wanted:
        return {}
    pages = {p.pk: p for p in Page.objects.filter(pk__in=wanted).live().only("id", "url_path", "live")}
    return {key: (pages[pk].get_url(request=request) or "") if pk in pages else "" for key, pk in ids.items()}


def _logo(setting, request) -> dict | None:
    """Return the SiteIdentity logo's rendition as ``{"url", "width", "height"}``, or None."""
    if not setting.logo_id or setting.logo is None:
        return None
    try:
        rendition = setting.logo.get_rendition(LOGO_SPEC)
    except OSError:  # a missing or damaged original: no logo rather than no page
        logger.warning("The site logo (image %s) could not be read", setting.logo_id)
        return None
    return {"url": absolute_url(rendition.url, request=request), "width": rendition.width, "height": rendition.height}


def canonical_url(page, request) -> str:
    """Return the canonical URL: the original for a wire story, else the page's own full URL."""
    if getattr(page, "original_url", ""):
        return iri_to_uri(page.original_url)
    return absolute_url(page.get_url(request=request) or "", request=request, page=page)


def lead_image_url(page, request, renditions=None) -> str:
    """Return the absolute URL of the article's largest lead image, or ""."""
    if renditions:
        return absolute_url(renditions[-1].url, request=request, page=page)
    return iri_to_uri(page.lead_image_url) if page.lead_image_url else ""


def byline_names(bylines: str) -> list[str]:
    """Split a free-text byline into names, in order, without repeats.

    Names are separated by commas or the word "and"; a leading "By" is dropped and control
    characters are stripped: ``"By Tomas Varga, Leila Haddad and Sita Lama"`` →
    ``["Tomas Varga", "Leila Haddad", "Sita Lama"]``. Return [] for blank text.
    """
    text = re.sub(r"^\s*by\s+", "", strip_control_chars(bylines or ""), flags=re.IGNORECASE)
    names = []
    for piece in text.split(","):
        for part in re.split(r"(?:^|\s+)and(?:\s+|$)", piece.strip(), flags=re.IGNORECASE):
            name = " ".join(part.split())
            if name and name not in names:
                names.append(name)
    return names


def article_jsonld_data(page, *, request=None, renditions=None) -> dict:
    """Return the schema.org ``NewsArticle`` for ``page`` as a dict ready for JSON.

    Every text is stripped of control characters; ``isBasedOn`` names the original of a wire story.
    ``isAccessibleForFree`` is true (no paywall); the publisher carries the site's logo (``ImageObject``) when one is chosen; each
    correction (not updates, nor withdrawn ones) is a ``CorrectionComment`` in ``correction``.
    ``author`` lists the article's Authors (Person with name and author-page url); a story without
    any, such as a wire story, gets a Person (name only) per name of ``original_bylines``.
    """
    identity = site_identity(request)
    own_url = absolute_url(page.get_url(request=request) or "", request=request, page=page)
    authors = getattr(page, "authors", None)
    if authors is None:
        authors = page.get_authors()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": strip_control_chars(page.title),
        "description": strip_control_chars(page.dek),
        "author": [
            {"@type": "Person", "name": strip_control_chars(a.name), "url": absolute_url(a.get_absolute_url(), request=request, page=page)}
            for a in authors
        ] or [{"@type": "Person", "name": name} for name in byline_names(page.original_bylines)],
        "datePublished": page.published_at.isoformat(),
        "dateModified": page.modified_at.isoformat(),
        "inLanguage": page.language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": own_url},
        "url": own_url,
        # Readers need no account or payment. A page behind a view restriction (members, a
        # password) is never seen by a search engine's crawler at all, so its markup is moot.
        "isAccessibleForFree": True,
        "publisher": {
            "@type": "Organization",
            "name": strip_control_chars(identity["publisher"]),
            "url": absolute_url("/", request=request, page=page),
        },
    }
    logo = identity.get("logo")
    if logo:
        data["publisher"]["logo"] = {"@type": "ImageObject", **logo}
    corrections = [
        {"@type": "CorrectionComment", "datePublished": c.published_at.isoformat(), "text": strip_control_chars(c.text)}
        for c in page.get_corrections()
        if c.is_correction and not c.is_withdrawn
    ]
    if corrections:
        data["correction"] = corrections
    image = lead_image_url(page, request, renditions)
    if image:
        data["image"] = [image]
    if page.is_syndicated and page.original_url:
        based_on = {"@type": "NewsArticle", "url": iri_to_uri(page.original_url)}
        if page.source_outlet:
            based_on["publisher"] = {"@type": "Organization", "name": strip_control_chars(page.source_outlet)}
        if page.original_published_at:
            based_on["datePublished"] = page.original_published_at.isoformat()
        data["isBasedOn"] = based_on
    return data

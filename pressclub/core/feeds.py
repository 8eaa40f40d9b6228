"""Feed generators: RSS 2.0 that writes plain text where feed readers may read HTML, and RSS and
Atom items that credit the source of a wire story.

Django's syndication framework takes titles and the feed description as plain text and each
item's description as HTML, and escapes every value once for XML. Atom says so in the markup
(``<title>`` is text, ``<summary type="html">``), but RSS 2.0 leaves the type of ``<title>`` and
``<description>`` unsaid, and readers (feedparser, SimplePie and the readers built on them) guess
HTML as soon as a value looks like markup. A headline such as ``<img src=x onerror=…>`` would
then run in a subscriber's feed reader.
"""

import html
from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed


def rss_text(value):
    """Return the plain text ``value`` as it must stand in an RSS element a reader may take for HTML.

    A value that HTML would read exactly as the text (no ``<``, no character reference such as
    ``&amp;`` or ``&copy``) is returned unchanged, so ``"Roads & bridges"`` stays right in readers
    that show RSS titles as text. Any other value is HTML-escaped (``&``, ``<``, ``>``): a reader
    that guesses HTML shows the text as typed, and no element or attribute can come of it.
    ``None`` and ``""`` are returned as they are.
    """
    if not value:
        return value
    value = str(value)
    if "<" in value or html.unescape(value) != value:
        return html.escape(value, quote=False)
    return value


class RssFeed(Rss201rev2Feed):
    """RSS 2.0 whose channel title, channel description and item titles are safe as HTML.

    Values are plain text in, as Django's :class:`~django.contrib.syndication.views.Feed` gives
    them; each goes through :func:`rss_text`. Item descriptions are HTML already and pass
    unchanged, so a feed that holds plain text there (a dek) must escape it itself.
    """

    def __init__(self, title, link, description, *args, **kwargs):
        super().__init__(rss_text(title), link, rss_text(description), *args, **kwargs)

    def add_item(self, title, link, description, *args, **kwargs):
        """Add an item as Django's generator does, with its title made safe by :func:`rss_text`."""
        super().add_item(rss_text(title), link, description, *args, **kwargs)


def source_credit(outlet: str, original_url: str) -> dict:
    """Return the extra item fields that credit a wire story's source, for :class:`RssFeed` and
    :class:`AtomFeed` (a ``Feed.item_extra_kwargs`` result).

    ``outlet`` is the outlet's name as readers know it ("Reuters"), ``original_url`` the story's
    address at the outlet; either may be empty. The keys are ``source_name`` (the outlet, else the
    original's host name), ``source_home`` (the original's ``scheme://host/``) and ``via_url`` (the
    original). ``{}`` when both are empty. Only ``http``/``https`` originals are credited by link.
    """
    outlet = (outlet or "").strip()
    original_url = (original_url or "").strip()
    parts = urlsplit(original_url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        original_url = ""
    if not outlet and not original_url:
        return {}
    home = f"{parts.scheme.lower()}://{parts.netloc}/" if original_url else ""
    return {
        "source_name": outlet or (parts.hostname or ""),
        "source_home": iri_to_uri(home),
        "via_url": iri_to_uri(original_url),
    }


class CreditingRssFeed(RssFeed):
    """:class:`RssFeed` whose items credit their source when :func:`source_credit` fields are given.

    RSS 2.0's ``<source url="…">`` names the outlet (its ``url`` is the outlet's site, as Google
    News' feeds give it; the outlet's own feed is not known) and an ``<atom:link rel="via">`` gives
    the original story's address (RFC 4287's "via" relation, in the Atom namespace that the
    channel already declares).
    """

    def add_item_elements(self, handler, item):
        """Write the item as :class:`RssFeed` does, then its ``<source>`` and ``via`` link."""
        super().add_item_elements(handler, item)
        if item.get("source_name") and item.get("source_home"):
            handler.addQuickElement("source", rss_text(item["source_name"]), {"url": item["source_home"]})
        if item.get("via_url"):
            handler.addQuickElement("atom:link", "", {"rel": "via", "href": item["via_url"]})


class AtomFeed(Atom1Feed):
    """Atom 1.0 whose entries credit their source when :func:`source_credit` fields are given.

    An entry gets ``<link rel="via" href="original">`` and ``<source>`` with the outlet's name as
    its ``<title>`` and the outlet's site as its alternate ``<link>`` (RFC 4287, 4.1.2 and 4.2.7.2).
    """

    def add_item_elements(self, handler, item):
        """Write the entry as Django's :class:`Atom1Feed` does, then its ``via`` link and ``<source>``."""
        super().add_item_elements(handler, item)
        if item.get("via_url"):
            handler.addQuickElement("link", "", {"rel": "via", "href": item["via_url"]})
        if item.get("source_name"):
            handler.startElement("source", {})
            handler.addQuickElement("title", item["source_name"])
            if item.get("source_home"):
                handler.addQuickElement("link", "", {"rel": "alternate", "href": item["source_home"]})
            handler.endElement("source")

"""An RSS 2.0 generator that writes plain text where feed readers may read HTML.

Django's syndication framework takes titles and the feed description as plain text and each
item's description as HTML, and escapes every value once for XML. Atom says so in the markup
(``<title>`` is text, ``<summary type="html">``), but RSS 2.0 leaves the type of ``<title>`` and
``<description>`` unsaid, and readers (feedparser, SimplePie and the readers built on them) guess
HTML as soon as a value looks like markup. A headline such as ``<img src=x onerror=…>`` would
then run in a subscriber's feed reader.
"""

import html

from django.utils.feedgenerator import Rss201rev2Feed


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

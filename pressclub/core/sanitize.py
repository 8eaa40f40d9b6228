"""The one server-side HTML allow-list (nh3) for editor, imported and user HTML."""

from functools import cache

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template"}


@cache
def _cleaner(link_rel: str | None) -> nh3.Cleaner:
    # Building the allow-list costs several times more than cleaning a comment with it: build it
    # once per ``link_rel`` (there are two or three) and reuse it.
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=link_rel,
        strip_comments=True,
    )


def sanitize_html(html: str, *, link_rel: str | None = "noopener") -> str:
    """Return ``html`` reduced to pressclub's allow-list of tags and attributes.

    Scripts, styles, iframes, ``on*`` attributes and links or images whose scheme is not
    http/https/mailto (``javascript:``, ``data:``, in any case and padded with spaces) are removed;
    the text inside removed tags is kept. ``link_rel`` is set on every ``<a>`` (``None`` leaves it
    out). Input is an HTML fragment (str); output is a well-formed fragment (str).
    """
    return _cleaner(link_rel).clean(html or "")

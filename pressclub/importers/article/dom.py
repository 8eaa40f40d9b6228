"""Small readers over lxml HTML trees and schema.org JSON-LD objects, shared by the metadata readers."""

import html
import json
import re


def squash(text: str | None) -> str:
    """Return ``text`` with runs of whitespace collapsed to single spaces and ends stripped."""
    return " ".join((text or "").split())


def element_text(element) -> str:
    """Return the visible text of an lxml element, whitespace-collapsed."""
    return squash(element.text_content())


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


def ld_types(obj: dict | None) -> set[str]:
    """Return the JSON-LD object's ``@type`` values, case-folded ({"newsarticle"}); empty for a non-object."""
    if not isinstance(obj, dict):
        return set()
    kind = obj.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).casefold() for k in kinds}


def ld_text(obj: dict | None, key: str) -> str:
    """Return the JSON-LD object's string value at ``key``, HTML entities decoded once and squashed, or "".

    A ``<script>``'s text is not decoded by the HTML parser, and publishing systems write JSON-LD
    values HTML-escaped ("Gas &amp; Electric", "&#8216;"), so the one decoding happens here. The
    result is text, never decoded again: "&amp;#60;img" gives the text "&#60;img".
    """
    value = obj.get(key) if isinstance(obj, dict) else None
    return squash(html.unescape(value)) if isinstance(value, str) else ""


def meta_content(tree, key: str) -> str:
    """Return the content of the first ``<meta>`` whose name, property or itemprop is ``key``.

    The HTML parser has decoded the attribute's entities already; the value is taken as it is (a
    page that writes ``&amp;#60;img`` means the text "&#60;img", not an element).
    """
    for attribute in ("property", "name", "itemprop"):
        for value in tree.xpath(f'//meta[@{attribute}=$key]/@content', key=key):
            if squash(value):
                return squash(value)
    return ""


def comparison_key(text: str) -> str:
    """Return a comparison key: letters, marks and digits only, case-folded."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


def class_words(element) -> set[str]:
    """Return the lower-case words of an element's class and id, split at spaces, "-", "_" and camelCase."""
    label = f'{element.get("class", "")} {element.get("id", "")}'
    if not label.strip():
        return set()
    label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label)
    return {word.lower() for word in re.split(r"[\s_\-]+", label) if word}

"""Cleaning a reader's search text and turning it into a search of the published articles.

The search runs through Wagtail's search backend (``pressclub.search.backend``): FTS5 on SQLite,
``tsvector`` on PostgreSQL, both keeping Devanagari and Bengali words whole. A reader's text becomes
a modelsearch query: every word must match, as itself or one of its word forms
(:mod:`pressclub.search.wordforms`: "বাজার" also finds "বাজারে"; the backend's :class:`Word`), and
text in double quotes must match as a phrase, word for word.
"""

import re
import unicodedata

from modelsearch.query import And, Phrase, SearchQuery
from wagtail.models import Page

from pressclub.core.text import strip_control_chars, words
from pressclub.news.models import ArticlePage

from .backend import Word

MAX_QUERY_LENGTH = 200
_SURROGATES_RE = re.compile(r"[\ud800-\udfff]")
# Bidirectional embeddings, overrides, isolates and marks: a search text that starts with U+202E
# would print the page's "… results for “…”" line backwards.
_BIDI_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Typographic double quotes, as phone keyboards type them, count as ".
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def clean_query(raw: str) -> str:
    """Return ``raw`` NFC-normalised, without control characters, bidirectional controls, lone
    surrogates or U+FFFD, whitespace collapsed and cut to ``MAX_QUERY_LENGTH`` characters; "" when
    no letter or digit is left. The joiners U+200C and U+200D stay: they shape Indic conjuncts.

    A cut text ends at its last whole word, so a Devanagari or Bengali word is never left with a
    dangling virama or vowel sign ("क्षत्"); a single word longer than the limit is cut as it is.
    """
    text = _BIDI_RE.sub("", _SURROGATES_RE.sub("", strip_control_chars(raw or ""))).replace("\ufffd", " ")
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[: MAX_QUERY_LENGTH + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUERY_LENGTH]
    text = text.strip()
    return text if any(ch.isalnum() for ch in text) else ""


def search_parts(query: str) -> list[tuple[str, ...]]:
    """Return what ``query`` asks for: one tuple of words per part, a phrase being a tuple of 2+ words.

    Text between a pair of double quotes (straight or typographic) is a phrase; an unpaired quote is
    ignored. Words are runs of letters, marks and digits in any script; everything else (``*``,
    brackets, ``:``, FTS5 and tsquery syntax) only separates them. ``'rain "river bank" flood'`` →
    ``[("rain",), ("river", "bank"), ("flood",)]``.
    """
    text = query.translate(_QUOTES)
    pieces = text.split('"')
    if len(pieces) % 2 == 0:  # an unpaired quote: the last one opens nothing
        pieces[-2:] = [pieces[-2] + " " + pieces[-1]]
    parts = []
    for i, piece in enumerate(pieces):
        found = words(piece)
        if i % 2 and found:
            parts.append(tuple(found))
        else:
            parts.extend((word,) for word in found)
    return parts


def search_query(query: str) -> SearchQuery | None:
    """Return the modelsearch query for a reader's cleaned ``query``, or None when it has no words.

    Each single word becomes a :class:`~pressclub.search.backend.Word` (itself or its word forms);
    each phrase ``Phrase``; all of them ``And``-ed.
    """
    terms = [Phrase(" ".join(part)) if len(part) > 1 else Word(part[0]) for part in search_parts(query)]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)


def search_articles(query: str):
    """Return live, public articles matching ``query`` (see :func:`search_query`), most relevant first:
    a match in the headline above one in the dek above one in the rest (body, bylines, labels).

    The result is Wagtail search results: sliceable and countable, read when sliced.
    """
    # Pages of the article type rather than ArticlePage rows: the search then checks each hit
    # against the page table alone, not also against the (large) rows of news_articlepage.
    articles = Page.objects.live().public().type(ArticlePage).specific()
    built = search_query(query)
    if built is None:
        return articles.none()
    return articles.search(built)

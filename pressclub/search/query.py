"""Cleaning a reader's search text and running it against Wagtail's search backend.

Wagtail's database backend searches full text on PostgreSQL (``to_tsvector``) and on SQLite (FTS5).
PostgreSQL keeps Devanagari and Bengali words whole. SQLite's FTS5 ``unicode61`` tokenizer does
not count combining marks (vowel signs, virama, anusvara) as word characters, so "प्रेस" (press) is
indexed as "प", "र", "स" and also matches "प्रिंस" (prince). On SQLite a query holding such marks is
therefore answered by a substring match over the same index entries (headline, dek, body, bylines,
labels) instead.
"""

import re
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Q
from wagtail.search.models import IndexEntry

from pressclub.core.text import strip_control_chars, words
from pressclub.news.models import ArticlePage

MAX_QUERY_LENGTH = 200
MAX_SUBSTRING_HITS = 1000
_SURROGATES_RE = re.compile(r"[\ud800-\udfff]")


def clean_query(raw: str) -> str:
    """Return ``raw`` NFC-normalised, without control characters, lone surrogates or U+FFFD, whitespace
    collapsed and cut to ``MAX_QUERY_LENGTH`` characters; "" when no letter or digit is left."""
    text = _SURROGATES_RE.sub("", strip_control_chars(raw or "")).replace("\ufffd", " ")
    text = unicodedata.normalize("NFC", " ".join(text.split()))[:MAX_QUERY_LENGTH].strip()
    return text if any(ch.isalnum() for ch in text) else ""


def search_terms(query: str) -> list[str]:
    """Return the words of ``query``: runs of letters, marks and digits in any script.

    Quotes, brackets, ``*`` and the like are dropped: FTS5 reads them as query syntax, and an
    unbalanced ``"`` is an error there.
    """
    return words(query)


def _has_combining_marks(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("M") for ch in text)


def needs_substring_search(query: str) -> bool:
    """Return True when full-text search would split the query's words (SQLite and combining marks)."""
    return connections[ArticlePage.objects.db].vendor == "sqlite" and _has_combining_marks(query)


def search_articles(query: str):
    """Return live, public articles matching every word of ``query`` (sliceable and countable).

    Full-text results come in relevance order; substring results (see the module docstring) newest first.
    """
    articles = ArticlePage.objects.live().public()
    terms = search_terms(query)
    if not terms:
        return articles.none()
    if needs_substring_search(query):
        entries = IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(ArticlePage))
        for term in terms:
            entries = entries.filter(Q(title__icontains=term) | Q(body__icontains=term))
        ids = [int(pk) for pk in entries.values_list("object_id", flat=True)[:MAX_SUBSTRING_HITS]]
        return articles.filter(pk__in=ids).order_by("-first_published_at", "-pk")
    return articles.search(" ".join(terms))

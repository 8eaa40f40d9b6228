"""Cleaning a reader's search text and running it against Wagtail's search backend."""

import re

from pressclub.core.text import strip_control_chars
from pressclub.news.models import ArticlePage

MAX_QUERY_LENGTH = 200
_SURROGATES_RE = re.compile(r"[\ud800-\udfff]")


def clean_query(raw: str) -> str:
    """Return ``raw`` without control characters or lone surrogates, whitespace collapsed,
    cut to ``MAX_QUERY_LENGTH`` characters; "" when nothing searchable is left."""
    text = _SURROGATES_RE.sub("", strip_control_chars(raw or "")).replace("\ufffd", " ")
    text = " ".join(text.split())[:MAX_QUERY_LENGTH].strip()
    return text if any(ch.isalnum() for ch in text) else ""


def search_articles(query: str):
    """Return published articles matching ``query`` (a search results object, sliceable and countable)."""
    return ArticlePage.objects.live().public().search(query)

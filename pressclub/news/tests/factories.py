"""Builders for page trees in tests (the root conftest gives home_page, section, author, article)."""

import datetime as dt

from django.db import connection

from pressclub.news.models import ArticleAuthor, ArticlePage

# U+0000 cannot be stored in a PostgreSQL text column at all (the driver refuses it), so there the
# second pasted control character is U+001F, which PostgreSQL stores and XML forbids just the same.
NUL = "\x00" if connection.vendor == "sqlite" else "\x1f"


def publish_article(section, *, title, when, authors=(), labels=(), **fields):
    """Add a live ArticlePage under ``section`` first published at ``when`` (aware datetime); return it."""
    page = ArticlePage(title=title, **fields)
    for author in authors:
        page.byline_links.add(ArticleAuthor(author=author))
    section.add_child(instance=page)
    for label in labels:
        page.labels.add(label)
    page.save_revision().publish()
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    page.refresh_from_db()
    return page


def utc(year, month, day, hour=12, minute=0):
    """Return an aware UTC datetime."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)

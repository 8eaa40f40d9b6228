"""Receivers for Wagtail's page signals, connected by :func:`register` from ``NewsConfig.ready()``."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from pressclub.core.cache import page_cache_purge

from .breaking import breaking_news_schedule
from .models import ArticlePage, SectionPage
from .tasks import make_article_renditions


def reindex_published_article(sender, instance, **kwargs):
    """Index the article again once it is published.

    ``page_published`` fires after the revision's child rows (bylines, labels) are saved; the index
    entry written by the page's own ``post_save`` came before them and misses the labels. The page
    is read back from the database so the index sees the saved rows, not the revision's copy.
    """
    page = type(instance).objects.filter(pk=instance.pk).first()
    if page is not None:
        index.insert_or_update_object(page)


def enqueue_article_renditions(sender, instance, **kwargs):
    """Have the published article's renditions made now, so no reader waits for an AVIF to be encoded."""
    page_id = instance.pk
    transaction.on_commit(lambda: make_article_renditions.enqueue(page_id))


def schedule_breaking_news_purges(sender, instance, **kwargs):
    """A breaking story was published: purge every cached page now and when its banner ends."""
    breaking_news_schedule(instance)


def purge_page_cache(sender, **kwargs):
    """Empty the anonymous page cache when a page is published, unpublished, moved or deleted.

    One story appears on many cached pages (front page, section, labels, archive, feeds), so
    the whole cache goes.
    """
    page_cache_purge()


def purge_on_section_saved(sender, instance, **kwargs):
    """Empty the page cache (and with it the cached section menu) when a live section is saved.

    Sections added with ``add_child`` (imports, the demo, code) are live without ever firing
    ``page_published``; without this the menu would miss them until its cache expired.
    """
    if instance.live:
        page_cache_purge()


def register() -> None:
    """Connect the receivers (called once from ``NewsConfig.ready()``)."""
    page_published.connect(reindex_published_article, sender=ArticlePage, dispatch_uid="news_reindex_article")
    page_published.connect(enqueue_article_renditions, sender=ArticlePage, dispatch_uid="news_article_renditions")
    page_published.connect(schedule_breaking_news_purges, sender=ArticlePage, dispatch_uid="news_breaking_purges")
    # Any page type: sender=None. post_delete fires per concrete model, so it is not filtered either.
    page_published.connect(purge_page_cache, dispatch_uid="news_purge_published")
    page_unpublished.connect(purge_page_cache, dispatch_uid="news_purge_unpublished")
    post_page_move.connect(purge_page_cache, dispatch_uid="news_purge_moved")
    post_delete.connect(purge_page_cache, sender=Page, dispatch_uid="news_purge_deleted")
    post_save.connect(purge_on_section_saved, sender=SectionPage, dispatch_uid="news_purge_section_saved")

"""Receivers for Wagtail's page signals, connected by :func:`register` from ``NewsConfig.ready()``."""

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from pressclub.core.purge import cache_purge_on_commit
from pressclub.core.purge_lists import everything, purge_list

from . import purge_lists
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


def _purge_story(event: str, page, **facts) -> None:
    # The list is read now, while the rows it names are those of the change (a deleted page's
    # labels are still there: Wagtail unpublishes a page before deleting it).
    purged = purge_list(event, page=page, **facts)
    purge_lists.story_listing_remember(page, purged)
    cache_purge_on_commit(purged)


def purge_published(sender, instance, **kwargs):
    """A page was published: purge the pages it shows on (``core.purge_lists``).

    A story published for the first time (or again after it was withdrawn) is "story_published";
    published again while live, "story_edited". Other page types answer for themselves
    (``purge_lists.page_purge_list``).
    """
    page = instance.specific
    if isinstance(page, ArticlePage):
        _purge_story("story_edited" if purge_lists.story_was_live(page) else "story_published", page)
    else:
        cache_purge_on_commit(purge_list("page_published", page=page))


def purge_unpublished(sender, instance, **kwargs):
    """A page was unpublished (or is about to be deleted): purge the pages it showed on."""
    page = instance.specific
    if isinstance(page, ArticlePage):
        _purge_story("story_unpublished", page)
    else:
        cache_purge_on_commit(purge_list("page_unpublished", page=page))


def purge_moved(sender, instance, url_path_before, parent_page_before, **kwargs):
    """A page was moved: a story purges its old and new section and URL; any other page (a section,
    the pages under it) changes the menu or many URLs at once, and purges everything."""
    page = instance.specific
    if isinstance(page, ArticlePage):
        _purge_story("story_moved", page, url_path_before=url_path_before,
                     parent_before=parent_page_before.specific)
    else:
        cache_purge_on_commit(everything("section_menu_changed"))


def purge_on_section_saved(sender, instance, **kwargs):
    """Purge every cached page (and with it the cached section menu) when a live section is saved.

    Sections added with ``add_child`` (imports, the demo, code) are live without ever firing
    ``page_published``; without this the menu would miss them until its cache expired.
    """
    if instance.live:
        cache_purge_on_commit(purge_list("section_menu_changed"))


def register() -> None:
    """Connect the receivers (called once from ``NewsConfig.ready()``)."""
    page_published.connect(reindex_published_article, sender=ArticlePage, dispatch_uid="news_reindex_article")
    page_published.connect(enqueue_article_renditions, sender=ArticlePage, dispatch_uid="news_article_renditions")
    page_published.connect(schedule_breaking_news_purges, sender=ArticlePage, dispatch_uid="news_breaking_purges")
    # Any page type: sender=None. A live page being deleted is unpublished first (Wagtail's
    # pre_delete receiver sends page_unpublished), which purges what it showed on.
    page_published.connect(purge_published, dispatch_uid="news_purge_published")
    page_unpublished.connect(purge_unpublished, dispatch_uid="news_purge_unpublished")
    post_page_move.connect(purge_moved, dispatch_uid="news_purge_moved")
    post_save.connect(purge_on_section_saved, sender=SectionPage, dispatch_uid="news_purge_section_saved")

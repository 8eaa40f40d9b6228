"""Receivers for Wagtail's page signals, connected in NewsConfig.ready()."""

from wagtail.search import index

from pressclub.core.cache import page_cache_purge


def reindex_published_article(sender, instance, **kwargs):
    """Index the article again once it is published.

    ``page_published`` fires after the revision's child rows (bylines, labels) are saved; the index
    entry written by the page's own ``post_save`` came before them and misses the labels. The page
    is read back from the database so the index sees the saved rows, not the revision's copy.
    """
    page = type(instance).objects.filter(pk=instance.pk).first()
    if page is not None:
        index.insert_or_update_object(page)


def purge_page_cache(sender, **kwargs):
    """Empty the anonymous page cache when a page is published, unpublished, moved or deleted.

    One story appears on many cached pages (front page, section, labels, archive, feeds), so
    the whole cache goes.
    """
    page_cache_purge()

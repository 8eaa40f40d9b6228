from django.apps import AppConfig


class NewsConfig(AppConfig):
    """Front page, sections, articles, labels, archives and feeds."""

    name = "pressclub.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import signal_handlers
        from .models import ArticlePage

        page_published.connect(
            signal_handlers.reindex_published_article, sender=ArticlePage, dispatch_uid="news_reindex_article"
        )
        # Any page type: sender=None. post_delete fires per concrete model, so it is not filtered either.
        page_published.connect(signal_handlers.purge_page_cache, dispatch_uid="news_purge_published")
        page_unpublished.connect(signal_handlers.purge_page_cache, dispatch_uid="news_purge_unpublished")
        post_page_move.connect(signal_handlers.purge_page_cache, dispatch_uid="news_purge_moved")
        post_delete.connect(signal_handlers.purge_page_cache, sender=Page, dispatch_uid="news_purge_deleted")

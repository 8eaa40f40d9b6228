from django.apps import AppConfig


class NewsConfig(AppConfig):
    """Front page, sections, articles, labels, archives and feeds."""

    name = "pressclub.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from wagtail.signals import page_published

        from . import signal_handlers
        from .models import ArticlePage

        page_published.connect(
            signal_handlers.reindex_published_article, sender=ArticlePage, dispatch_uid="news_reindex_article"
        )

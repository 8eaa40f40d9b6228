"""Background work of the news app (django-tasks): an article's image renditions, and the purges
of every cached page when a breaking-news banner starts and ends.

Enqueued by ``signal_handlers.py`` once the transaction that published the article has committed.
"""

from django_tasks import task

from pressclub.core.renditions import image_renditions_make


@task()
def make_article_renditions(page_id: int) -> int:
    """Make the reader renditions of the article ``page_id``'s images, and its lead image's front-page
    thumbnails; return how many renditions exist. Return 0 when the article is gone or shows no image.
    """
    from .models import ArticlePage, thumbnail_renditions_make

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    made = sum(image_renditions_make(image) for image in page.get_rendition_images())
    if page.lead_image_id:
        made += thumbnail_renditions_make(page.lead_image)
    return made


@task()
def breaking_news_purge() -> int:
    """Purge every cached page (page cache and front-end caches) as a breaking-news banner starts
    or ends; return the number of pages purged from the front-end caches.

    Enqueued when a breaking story is published, and again deferred to its ``breaking_until``
    (``run_after``) so the banner leaves every cached page when it ends, with no editor action.
    """
    from pressclub.core.purge import cache_purge_everything

    return cache_purge_everything()

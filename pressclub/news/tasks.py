"""Background work of the news app (django-tasks): an article's image renditions.

Enqueued by ``signal_handlers.py`` once the transaction that published the article has committed.
"""

from django_tasks import task

from pressclub.core.renditions import image_renditions_make


@task()
def make_article_renditions(page_id: int) -> int:
    """Make the reader renditions of the article ``page_id``'s images; return how many renditions exist.

    Return 0 when the article is gone or shows no image.
    """
    from .models import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return sum(image_renditions_make(image) for image in page.get_rendition_images())

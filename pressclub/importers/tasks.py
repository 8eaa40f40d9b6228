"""Background tasks of the importers app."""

from django.apps import apps
from django_tasks import task
from wagtail.search.backends import get_search_backends


@task()
def search_index_pages(model_label: str, page_ids: list[int]) -> int:
    """Add the pages ``page_ids`` of the model ``model_label`` ("news.ArticlePage") to every
    auto-updated search backend at once; return how many were indexed.

    The Blogger import saves pages without indexing them one by one (see
    :func:`pressclub.importers.signal_handlers.search_index_deferred`) and enqueues this per batch.
    """
    model = apps.get_model(model_label)
    pages = list(model.objects.filter(pk__in=page_ids))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, pages)
    return len(pages)

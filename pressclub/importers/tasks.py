"""Background tasks of the importers app: admin imports, and the search index after an import."""

from django.apps import apps
from django.db import transaction
from django_tasks import task
from wagtail.search.backends import get_search_backends

from .indexing import reference_index_update_bulk

# Related rows the search fields and the reference index read for each page, fetched in one go.
PREFETCH = {"news.ArticlePage": ("byline_links__author", "label_links__tag", "labels")}


@task()
def index_imported_pages(model_label: str, page_ids: list[int]) -> int:
    """Add the pages ``page_ids`` of the model ``model_label`` ("news.ArticlePage") to every
    auto-updated search backend at once, and record their references (bylines, labels) in
    Wagtail's reference index; return how many pages were indexed.

    The Blogger import saves pages without either update (Wagtail runs both as a task per save;
    see :func:`pressclub.importers.indexing.search_index_deferred`) and enqueues this once
    per batch of pages.
    """
    model = apps.get_model(model_label)
    pages = list(model.objects.filter(pk__in=page_ids).prefetch_related(*PREFETCH.get(model_label, ())))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, pages)
    with transaction.atomic():
        reference_index_update_bulk(pages)
    return len(pages)


@task()
def run_blogger_import(run_id: int) -> str:
    """Run the Blogger import the admin queued as ImportRun ``run_id`` (``services.blogger_import_run``);
    return its final status."""
    from .services import blogger_import_run

    return blogger_import_run(run_id=run_id)

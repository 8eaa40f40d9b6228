"""Search indexing for bulk imports: page saves may leave it to the importer.

Wagtail's search app indexes each page from a ``post_save`` receiver, as a task that fetches the
page again; over thousands of imported pages that doubles the import's time. Inside
:func:`search_index_deferred` the receiver skips pages saved by the current thread, and the
importer indexes them in bulk (``backend.add_bulk``, in the ``index_imported_pages`` task) once
per batch. Other threads and other saves are indexed as before. This module wraps another app's
receiver on first use and holds none of its own, so it is not a ``signal_handlers`` module.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_save

_local = threading.local()
_lock = threading.Lock()
_wrapped: set[str] = set()


def _deferrable(handler):
    def receiver(sender, instance, **kwargs):
        if getattr(_local, "deferred", False):
            return
        handler(sender=sender, instance=instance, **kwargs)

    return receiver


def _wrap_search_receivers(models) -> None:
    # Done on first use: the search app connects its receivers after this app is ready.
    from modelsearch.signal_handlers import post_save_signal_handler

    with _lock:
        for model in models:
            if model._meta.label in _wrapped:
                continue
            if post_save.disconnect(post_save_signal_handler, sender=model):
                post_save.connect(
                    _deferrable(post_save_signal_handler),
                    sender=model,
                    weak=False,
                    dispatch_uid=f"pressclub-deferrable-search-index-{model._meta.label}",
                )
            _wrapped.add(model._meta.label)


@contextmanager
def search_index_deferred(models):
    """Within this block, saving an instance of ``models`` in this thread does not index it.

    The caller must index what it saved (e.g. ``backend.add_bulk(model, objects)``).
    """
    _wrap_search_receivers(models)
    previous = getattr(_local, "deferred", False)
    _local.deferred = True
    try:
        yield
    finally:
        _local.deferred = previous

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


def reference_index_update_bulk(objects: list) -> int:
    """Record the outbound references of ``objects`` (instances of one model) in Wagtail's reference
    index, as ``ReferenceIndex.create_or_update_for_object`` does for each, in a few queries in all;
    return how many index rows were added.

    Upstream reads each child relation of each object (a query per relation per object) and the
    object's existing rows (another query) and writes per object: over an imported batch of 100
    articles that is about 700 queries. Here the child relations are prefetched, the existing rows
    of every object read at once, the new rows inserted in one ``bulk_create`` and the removed ones
    deleted in one query. Rows recorded under a more specific content type than the objects' are
    kept, as upstream keeps them. Run it inside a transaction.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import prefetch_related_objects
    from modelcluster.models import get_all_child_relations
    from wagtail.models import ReferenceIndex

    if not objects:
        return 0
    model = type(objects[0])
    # Relations the caller prefetched already are skipped by Django.
    prefetch_related_objects(objects, *[relation.get_accessor_name() for relation in get_all_child_relations(model)])
    content_types = [
        ContentType.objects.get_for_model(m, for_concrete_model=False) for m in [model, *model._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    known = {ct.id for ct in content_types}
    wanted = {str(obj.pk): set(ReferenceIndex._extract_references_from_object(obj)) for obj in objects}
    existing: dict[str, dict[tuple, tuple[int, int]]] = {object_id: {} for object_id in wanted}
    ids = list(wanted)
    for start in range(0, len(ids), 500):  # SQLite limits the parameters of one query
        rows = ReferenceIndex.objects.filter(base_content_type=base_content_type, object_id__in=ids[start:start + 500])
        for pk, ct_id, object_id, to_ct, to_id, model_path, content_path in rows.values_list(
            "id", "content_type_id", "object_id", "to_content_type_id", "to_object_id", "model_path", "content_path"
        ):
            existing[object_id][(to_ct, to_id, model_path, content_path)] = (ct_id, pk)
    new, removed = [], []
    for object_id, references in wanted.items():
        found = existing[object_id]
        new.extend(
            ReferenceIndex(
                content_type=content_type, base_content_type=base_content_type, object_id=object_id,
                to_content_type_id=to_ct, to_object_id=to_id, model_path=model_path, content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_ct, to_id, model_path, content_path in references - found.keys()
        )
        removed.extend(pk for reference, (ct_id, pk) in found.items() if reference not in references and ct_id in known)
    ReferenceIndex.objects.bulk_create(new, ignore_conflicts=connection.features.supports_ignore_conflicts)
    for start in range(0, len(removed), 500):
        ReferenceIndex.objects.filter(id__in=removed[start:start + 500]).delete()
    return len(new)

"""Background work of the ground floor (django-tasks): the front-end cache purges of ``core.purge``."""

from django_tasks import task


@task()
def frontend_purge_flush() -> int:
    """Send the queued purges to the front-end caches together; return the number of URLs sent.

    Enqueued by ``core.purge.frontend_purge_later``, deferred ``PRESSCLUB_FRONTEND_PURGE_DELAY``
    seconds when the task backend can defer, so the purges of those seconds go in one batch.
    """
    from .purge import frontend_purge_flush as flush

    return flush()


@task()
def frontend_purge_everything_task() -> int:
    """Purge every live, public page from the front-end caches; return the number of pages sent."""
    from .purge import frontend_purge_everything

    return frontend_purge_everything()

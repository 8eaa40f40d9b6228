"""Import services: one function per import, called by the management commands and the admin views."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from pressclub.core.cache import page_cache_purge

from .blogger.images import fetch_url
from .blogger.importer import BloggerImporter, BloggerImportError, ImportReport
from .blogger.parser import BloggerFormatError, ParseReport, Source, scan
from .models import ImportRun, ImportRunStatus

__all__ = [
    "BloggerFormatError", "BloggerImportError", "ImportReport", "blogger_import", "blogger_import_start",
    "blogger_import_rerun", "blogger_import_run", "blogger_scan",
]  # fmt: skip

logger = logging.getLogger(__name__)
# Seconds between two writes of an admin import's progress.
PROGRESS_INTERVAL = 1.0


class _DryRunRollback(Exception):
    pass


def blogger_scan(*, source: Source) -> ParseReport:
    """Read a Blogger export once and return its counts per kind; write nothing.

    Raise BloggerFormatError if the file is not XML, or is neither legacy GData Atom (``kind#post``
    categories) nor Takeout (``blogger/2018`` namespace).
    """
    return scan(source)


def blogger_import(
    *,
    source: Source,
    dry_run: bool = False,
    section: str = "",
    fetch_images: bool | Callable[[str], tuple[bytes, str]] = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a Blogger export (legacy Atom backup or Takeout ``feed.atom``) and return its report.

    ``source`` is a path, bytes or a binary file object. Posts become articles in the section
    titled ``section`` (by default "From the archive", made under the front page when missing),
    pages become standard pages under the front page, comments keep their threading, and the old
    ``/YYYY/MM/slug.html`` and ``/p/slug.html`` paths redirect (301) to the new pages.

    The file is read twice, streaming: a first pass refuses a broken or foreign file before anything
    is written; the second imports. Posts and pages are written as they stream by; comments are
    kept (as small dataclasses) until the end, because Takeout lists them before their posts. No
    entry is ever half-applied: pages are written in batches of 100 inside a savepoint, and when a
    batch fails its entries are written again one by one, each in its own savepoint; a post's
    comments likewise go in with a batch of posts or, on failure, on their own. An entry that still
    fails is listed in ``report.skipped`` with its id and the rest goes on. Entries imported before
    are found by their Blogger id and updated only when they changed. An import that created or
    changed anything empties the anonymous page cache once at the end (``page_cache_purge``).

    The export may be gzipped (unpacked while streaming). Memory stays bounded whatever the posts'
    size: inline base64 ``data:`` images become image files in the media library (``report.images``),
    a batch is written once its posts hold 8 MB, and an entry still too large to hold is listed in
    ``report.skipped`` with its id. Raw-text tags left open in a body (``<script``, ``<style``,
    ``<textarea>``, ``<plaintext>`` …) lose their start tag, so the text after them is kept; they are
    listed in ``report.unclosed_tags``.

    ``dry_run`` runs the whole import inside a transaction that is rolled back (the report is what
    a real run would do; nothing is kept, no image file is written). ``fetch_images`` copies ``<img>`` files into the media
    library (True: download over http/https; or a callable ``url → (bytes, filename)``); never
    during a dry run. ``progress(done, total)`` is called after each entry.

    Raise BloggerFormatError for a file that is not a Blogger export, BloggerImportError when there
    is no front page to import under.
    """
    parsed = scan(source)
    total = parsed.total
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    fetch = None
    if fetch_images and not dry_run:
        fetch = fetch_url if fetch_images is True else fetch_images
    importer = BloggerImporter(section_title=section, fetch_image=fetch, progress=advance, write_files=not dry_run)
    if not dry_run:
        report = importer.run(source)
        if report.created or report.updated or report.comments_created or report.comments_updated:
            # Pages and comments went in by bulk writes, which send no ``page_published``: empty the
            # anonymous page cache once, now, since the front page, sections and labels show them.
            page_cache_purge()
        return report
    try:
        with transaction.atomic():
            importer.run(source)
            raise _DryRunRollback
    except _DryRunRollback:
        pass
    importer.report.dry_run = True
    return importer.report


def blogger_import_start(*, upload, section: str = "", dry_run: bool = False, user=None) -> ImportRun:
    """Check the uploaded export, keep it, and queue its import for the worker; return the ImportRun.

    ``upload`` is a Django uploaded file. The file is read once here (``blogger_scan``, which counts
    its entries for the progress page), so a foreign file is refused before anything is queued:
    raise BloggerFormatError then. The import itself runs in the task ``tasks.run_blogger_import``
    once the current transaction commits.
    """
    parsed = scan(upload)
    upload.seek(0)
    run = ImportRun(filename=upload.name[:255], section=section, dry_run=dry_run, started_by=user, total=parsed.total)
    run.export.save(upload.name, upload, save=False)
    run.save()

    transaction.on_commit(lambda: _queue(run.pk))
    return run


def _queue(run_id: int) -> None:
    from .tasks import run_blogger_import

    run_blogger_import.enqueue(run_id)


def blogger_import_rerun(*, run_id: int) -> bool:
    """Queue the interrupted admin import ``run_id`` again, from its kept file; return True if queued.

    Return False when the run is not interrupted (finished, failed, already queued again: a double
    click) or its file is gone. The import is idempotent, so entries the interrupted run wrote are
    found and left as they are. The task is queued once the current transaction commits.
    """
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or not run.can_rerun:
        return False
    requeued = ImportRun.objects.filter(pk=run_id, status=ImportRunStatus.INTERRUPTED).update(
        status=ImportRunStatus.QUEUED, done=0, error="", finished_at=None
    )
    if requeued:
        transaction.on_commit(lambda: _queue(run_id))
    return bool(requeued)


def blogger_import_run(*, run_id: int) -> str:
    """Run the queued admin import ``run_id`` (``blogger_import``), recording its progress and outcome.

    Return the run's final status ("finished" or "failed"), or "skipped" when it is not waiting (a
    task run twice). An export that fails to import is recorded as failed with the reason, never
    raised; the uploaded file is deleted either way.
    """
    if not ImportRun.objects.filter(pk=run_id, status=ImportRunStatus.QUEUED).update(status=ImportRunStatus.RUNNING):
        return "skipped"
    run = ImportRun.objects.get(pk=run_id)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_INTERVAL or done == total:
            last = time.monotonic()
            ImportRun.objects.filter(pk=run_id).update(done=done, total=total)

    try:
        with run.export.open("rb") as source:
            report = blogger_import(source=source, dry_run=run.dry_run, section=run.section, progress=progress)
    except (BloggerFormatError, BloggerImportError) as exc:
        outcome = {"status": ImportRunStatus.FAILED, "error": str(exc)}
    except Exception as exc:
        logger.exception("The Blogger import %s failed", run_id)
        outcome = {"status": ImportRunStatus.FAILED, "error": f"The import stopped: {type(exc).__name__}: {exc}"}
    else:
        outcome = {"status": ImportRunStatus.FINISHED, "summary": report.summary_lines(),
                   "warnings": bool(report.skipped), "done": run.total}
    ImportRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), **outcome)
    run.export.delete(save=False)
    return outcome["status"]

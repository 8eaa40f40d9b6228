"""The ledger of one Blogger import: what it created, what maps a Blogger id to a row, what it skipped.

The importer reads an entry and decides what it becomes; the writers (:mod:`.bulk`, :mod:`.images`
and the importer's own one-entry path) write the rows and record them here. They never call back
into the importer. Every record an entry makes can be forgotten again when the entry's savepoint
rolls back (:meth:`ImportLedger.entry`), so no cache outlives the rows it describes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from ..models import ImportedItem, ImportSource
from .report import ImportReport


class ImportLedger:
    """The rows a Blogger import has written or found, keyed the way the export names them.

    ``mapping``: Blogger id (``tag:blogger.com,1999:blog-1.post-2``, ``author:<name>``,
    ``image:<src>``) → :class:`ImportedItem`; ``redirects``: normalised old path → ``Redirect``
    on ``site``; ``pages``: Blogger id of each post or page written or left unchanged in this run →
    page pk; ``skipped`` and the image count go to ``report``.
    """

    def __init__(self, *, report: ImportReport, site: Site | None = None):
        self.report = report
        self.site = site
        self.mapping: dict[str, ImportedItem] = {}
        self.redirects: dict[str, Redirect] = {}
        self.pages: dict[str, int] = {}
        self._undo: list[Callable[[], None]] = []

    def load(self, *, site: Site | None) -> None:
        """Load what earlier imports left: every Blogger mapping and the redirects of ``site``."""
        self.site = site
        self.mapping = {item.source_id: item for item in ImportedItem.objects.from_blogger()}
        self.redirects = {r.old_path: r for r in Redirect.objects.filter(site=site)}

    # --- one entry (or one batch) at a time ---------------------------------------------------------

    @contextmanager
    def entry(self) -> Iterator[None]:
        """Run the block in a savepoint; if it raises, forget what the block recorded, then re-raise.

        Writers record each row as they make it; the caches must not outlive rows the database
        rolled back (the next entry would link to a label or redirect that no longer exists).
        """
        self._undo = []
        try:
            with transaction.atomic():
                yield
        except BaseException:
            self.rollback()
            raise
        finally:
            self._undo = []

    def rollback(self) -> None:
        """Forget everything recorded since the current :meth:`entry` began, newest first."""
        for forget in reversed(self._undo):
            forget()
        self._undo = []

    def on_rollback(self, forget: Callable[[], None]) -> None:
        """Call ``forget()`` if the current entry rolls back (for the reader's own caches)."""
        self._undo.append(forget)

    # --- mapped: Blogger id → row ----------------------------------------------------------------

    def mapped(self, source_id: str) -> ImportedItem | None:
        """Return the mapping of ``source_id`` from this or an earlier import, or None."""
        return self.mapping.get(source_id)

    def remember(self, source_id: str, kind: str, obj, *, fingerprint: str = "", old_path: str = "") -> ImportedItem:
        """Map ``source_id`` to the saved ``obj`` (creating or updating its ``ImportedItem``) and return it.

        ``kind`` is ``"post"``, ``"page"``, ``"author"``, ``"image"`` or ``"label"``; ``fingerprint`` tells a later
        import whether the entry changed; ``old_path`` is the Blogger path or image URL.
        """
        values = {
            "source": ImportSource.BLOGGER,
            "kind": kind,
            "content_type": ContentType.objects.get_for_model(type(obj)),
            "object_id": obj.pk,
            "fingerprint": fingerprint,
            "old_path": old_path,
        }
        item = self.mapping.get(source_id)
        self.on_rollback(lambda: self._reload_mapping(source_id))
        if item is None:
            item = ImportedItem.objects.create(source_id=source_id, **values)
        else:
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
        self.mapping[source_id] = item
        return item

    def remember_all(self, items: Iterable[ImportedItem]) -> None:
        """Record mappings already written in bulk (``ImportedItem.objects.bulk_create``)."""
        for item in items:
            self.mapping[item.source_id] = item
            self.on_rollback(lambda source_id=item.source_id: self._reload_mapping(source_id))

    def _reload_mapping(self, source_id: str) -> None:
        item = ImportedItem.objects.filter(source_id=source_id).first()
        if item is None:
            self.mapping.pop(source_id, None)
        else:
            self.mapping[source_id] = item

    # --- created: redirects and pages ------------------------------------------------------------

    def redirect(self, old_path: str, page: Page) -> None:
        """Make the old Blogger path ``old_path`` redirect permanently to ``page`` (creating or moving it)."""
        # Redirects are kept for the whole run: they hold the page's pk, never the page (with its body).
        path = Redirect.normalise_path(old_path)
        self.on_rollback(lambda: self._reload_redirect(path))
        redirect = self.redirects.get(path)
        if redirect is None:
            self.redirects[path] = Redirect.objects.create(
                old_path=path, site=self.site, redirect_page_id=page.pk, is_permanent=True
            )
        elif redirect.redirect_page_id != page.pk:
            redirect.redirect_page_id = page.pk
            redirect.save(update_fields=["redirect_page"])

    def redirect_all(self, targets: list[tuple[str, Page]]) -> None:
        """Make each ``(old path, page)`` redirect: paths seen before one by one, new ones in one insert."""
        new = []
        for old_path, page in targets:
            path = Redirect.normalise_path(old_path)
            if path in self.redirects:
                self.redirect(old_path, page)
            else:
                new.append(Redirect(old_path=path, site=self.site, redirect_page_id=page.pk, is_permanent=True))
        for redirect in Redirect.objects.bulk_create(new):
            self.redirects[redirect.old_path] = redirect
            self.on_rollback(lambda path=redirect.old_path: self._reload_redirect(path))

    def _reload_redirect(self, path: str) -> None:
        redirect = Redirect.objects.filter(site=self.site, old_path=path).first()
        if redirect is None:
            self.redirects.pop(path, None)
        else:
            self.redirects[path] = redirect

    def page_written(self, source_id: str, page_pk: int) -> None:
        """Record that the post or page ``source_id`` is the page ``page_pk`` after this run."""
        self.pages[source_id] = page_pk

    def page_of(self, source_id: str) -> int | None:
        """Return the page pk of the post or page ``source_id`` (this run, else an earlier one), or None."""
        page_pk = self.pages.get(source_id)
        if page_pk is None:
            item = self.mapping.get(source_id)
            page_pk = item.object_id if item is not None and item.kind in {"post", "page"} else None
        return page_pk

    # --- skipped and counted ---------------------------------------------------------------------

    def skip(self, source_id: str, reason: str) -> None:
        """List ``source_id`` (an entry id, or ``image <src>``) as skipped, with the reason, in the report."""
        self.report.skipped.append((source_id, reason))

    def image_copied(self) -> None:
        """Count one image copied into the media library."""
        self.report.images += 1


def label_source_id(name: str) -> str:
    """Return the ``ImportedItem.source_id`` under which a Blogger label's exact name is mapped to
    its label: ``"label:"`` and the name, NFC-normalised (``"label:C#"``, ``"label:TCP/IP"``);
    at most 500 characters."""
    return ("label:" + unicodedata.normalize("NFC", name).strip())[:500]

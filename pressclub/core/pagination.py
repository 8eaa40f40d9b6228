"""Pagination for reader listings that never fails on a bad ``?page=``."""

from collections.abc import Callable

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class ListingPaginator(Paginator):
    """Django's Paginator for reader listings: ``PRESSCLUB_ARTICLES_PER_PAGE`` stories a page unless
    ``per_page`` says otherwise, and a ``get_page()`` that answers page 1 for any number it cannot show.

    Django's ``get_page()`` already gives page 1 for a missing or malformed number (``?page=abc``,
    ``?page=%00``, ``?page=1e3``); this one also gives page 1, not the last page, for a number out
    of range (``?page=0``, ``?page=99999``), so a stale link lands on the newest stories.

    ``count``, when given, is called (once) for the number of items instead of ``object_list.count()``:
    a cheaper query, or a kept number, that must give the same number.
    """

    def __init__(self, object_list, per_page: int | None = None, *, count: Callable[[], int] | None = None, **kwargs):
        super().__init__(object_list, per_page or settings.PRESSCLUB_ARTICLES_PER_PAGE, **kwargs)
        self._count = count

    @cached_property
    def count(self) -> int:
        """Return the number of items: ``count()`` if given, else Django's (``object_list.count()``)."""
        return self._count() if self._count is not None else super().count

    def get_page(self, number):
        """Return the page ``number`` (as a string from the query string, or None), else page 1."""
        try:
            return self.page(number)
        except (PageNotAnInteger, EmptyPage):
            return self.page(1)

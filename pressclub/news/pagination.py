"""Pagination for reader listings that never fails on a bad ``?page=``."""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


def paginate(request, object_list, *, per_page: int | None = None) -> Page:
    """Return the page of ``object_list`` named by ``?page=``; page 1 for a missing, malformed or
    out-of-range value (``?page=abc``, ``?page=0``, ``?page=99999``, ``?page=%00``).

    ``per_page`` defaults to ``PRESSCLUB_ARTICLES_PER_PAGE``.
    """
    paginator = Paginator(object_list, per_page or settings.PRESSCLUB_ARTICLES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page", "1").strip()[:12] or "1")
    except (PageNotAnInteger, EmptyPage, ValueError):
        return paginator.page(1)

"""Page view restrictions (private sections, password pages) answered from one cached list.

Wagtail's ``PageQuerySet.public()`` reads every ``PageViewRestriction`` each time it is called, and
serving a page reads its ancestors and their restrictions (two queries per page served). A listing
that filters several querysets with ``public()`` (the front page: one per section) pays that once
per queryset. Here the paths of restricted pages, and of alias pages (which take their source's
restrictions), are read once and kept until the next purge of the page cache
(:func:`pressclub.core.cache.cached_until_purge`, whether or not whole pages are kept); saving or deleting a restriction, or saving an
alias page, purges it (``signal_handlers``).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db.models import Q
from wagtail.query import PageQuerySet

from .cache import cached_until_purge

BUNDLE_KEY = "pressclub:view-restrictions"


def _read_paths() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from wagtail.models import Page, PageViewRestriction

    # One query, a UNION of two indexed look-ups (the restrictions' pages by primary key, alias
    # pages by alias_of_id): an OR across the join read every page of the tree (60–100 ms at
    # 100,000 stories on PostgreSQL, against under 2 ms).
    restricted = Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id")).order_by()
    aliases = Page.objects.filter(alias_of__isnull=False).order_by()
    rows = restricted.values_list("path", "alias_of_id").union(aliases.values_list("path", "alias_of_id"))
    restricted, aliases = set(), set()
    for path, alias_of_id in rows:
        (aliases if alias_of_id else restricted).add(path)
    return tuple(sorted(restricted)), tuple(sorted(aliases))


# The list read during the current request (a dict with it under "paths"), or None outside one:
# one page asks several times (each listing's public(), the page served, the menu).
_request_memo: ContextVar[dict | None] = ContextVar("pressclub_view_restrictions", default=None)


def request_started_receiver(**kwargs) -> None:
    """Start a request with nothing remembered (connected to ``request_started``)."""
    _request_memo.set({})


def request_finished_receiver(**kwargs) -> None:
    """Remember nothing outside a request (connected to ``request_finished``)."""
    _request_memo.set(None)


def restrictions_forget() -> None:
    """Forget the list read in this request (a restriction or alias was just saved or deleted)."""
    if _request_memo.get() is not None:
        _request_memo.set({})


def restriction_paths() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return ``(restricted paths, alias paths)``: treebeard paths (``"000100010003"``) of the pages
    that carry a view restriction, and of alias pages. One query, then kept until the next purge,
    with the page cache on or off, and for the rest of the request.
    """
    memo = _request_memo.get()
    if memo is not None and "paths" in memo:
        return memo["paths"]
    paths = cached_until_purge(
        BUNDLE_KEY, _read_paths, timeout=settings.PRESSCLUB_PAGE_CACHE_SECONDS or 300, site_wide=True
    )
    if memo is not None:
        memo["paths"] = paths
    return paths


def private_q(restricted: tuple[str, ...] | None = None) -> Q:
    """Return a filter matching pages under (or at) a view-restricted page, like Wagtail's ``private_q``.

    ``restricted`` is the list of restricted paths to go by (the first of :func:`restriction_paths`,
    read when not given).
    """
    if restricted is None:
        restricted, _aliases = restriction_paths()
    q = Q()
    for path in restricted:
        q |= Q(path__startswith=path)
    return q if q else Q(pk__in=[])


def is_unrestricted(page) -> bool:
    """Return True when no view restriction applies to ``page`` and no alias is on its way from the root.

    False means "ask Wagtail" (its own ``get_view_restrictions``), not "restricted".
    """
    restricted, aliases = restriction_paths()
    path = page.path or ""
    return not any(path.startswith(prefix) for prefix in restricted + aliases)


class CachedPublicPageQuerySet(PageQuerySet):
    """Wagtail's page queryset whose ``public()`` excludes restricted pages by the cached list
    (:func:`private_q`) instead of reading every ``PageViewRestriction`` each time it is called.

    Page types whose listings filter on ``public()`` use it for their manager
    (``PageManager.from_queryset(CachedPublicPageQuerySet)()``); ``Page.objects`` stays Wagtail's.
    """

    def public(self, restricted: tuple[str, ...] | None = None):
        """Return the pages under no view restriction (as Wagtail's ``public()``); ``restricted`` as
        for :func:`private_q`."""
        return self.exclude(private_q(restricted))


class CachedViewRestrictionsMixin:
    """Mixin for page types: ``get_view_restrictions()`` costs no query when nothing restricts the page."""

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if self.path and is_unrestricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

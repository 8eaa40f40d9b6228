"""The sitemap: every live, public page of the request's site, with percent-encoded URLs.

``/sitemap.xml`` is a sitemap index (sitemaps.org 0.9, ``<sitemapindex>``) naming the pages of the
``pages`` sitemap, ``/sitemap-pages.xml`` (first 1,000 URLs) then ``/sitemap-pages.xml?p=2`` …, as
Django's sitemap framework paginates with :attr:`PageSitemap.limit`. The first tree path of every
sitemap page and the number of URLs come from one query (:class:`TreePaginator`), kept in Django's
cache until the next purge that changes which pages are listed; each page then reads only the rows
it lists, from its first path on (``path >= …`` in tree order, ``LIMIT 1000``), never an ``OFFSET``
that reads every row before it; the index reads the same numbers and one ``MAX(last_published_at)``.

A page's entries are written from three columns per page (``url_path``, ``last_published_at`` and an
article's ``updated_at``) rather than from page objects: each ``<loc>`` is the site's root URL and the
page's path below the site's root page, as Wagtail's ``Page.get_full_url`` gives it for a page of
that site, and ``<lastmod>`` is what ``get_sitemap_urls`` gives (an article's "updated" time).
"""

import functools

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import Lead, RowNumber
from django.utils.encoding import iri_to_uri
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from pressclub.core.cache import cached_until_purge
from pressclub.core.routing import site_for_request

SITEMAP_PAGE_URLS = 1000  # URLs per sitemap page (search engines take up to 50,000; smaller is cheaper)
CACHE_SECONDS = 3600
#: The ``cached_until_purge`` scope of the sitemap's page boundaries: purges of pages entering or
#: leaving a sitemap (stories, standard pages, the front page) name it.
SITEMAP_SCOPE = "sitemap"
ROW_FIELDS = ("url_path", "last_published_at", "latest_revision_created_at", "articlepage__updated_at")


class TreePaginator(Paginator):
    """Django's Paginator over ``pages`` (a Page queryset) in tree order, each page read by seeking
    to its first ``path`` instead of by ``OFFSET``; pages hold ``row_fields`` tuples (``values_list``).

    ``count`` is a callable returning the number of items (a cheap aggregate, enough for page 1 and
    for ``num_pages``); ``boundaries`` one returning ``(first_paths, count)``, the path of the first
    item of each page and the number of items (:func:`tree_boundaries`), asked only for a later page.
    Page ``n`` is the ``per_page`` items from ``first_paths[n - 1]`` on: the items an ``OFFSET`` gives,
    since paths are unique and ordered.
    """

    def __init__(self, pages, per_page: int, *, row_fields, count, boundaries, **kwargs):
        super().__init__(pages.order_by("path"), per_page, **kwargs)
        self.row_fields = row_fields
        self._count = count
        self._boundaries = boundaries
        self._first_paths = None

    @functools.cached_property
    def count(self) -> int:
        """Return the number of items (from the boundaries when they were read, else ``count()``)."""
        return self._count()

    def page(self, number):
        """Return page ``number`` (1-based); raise EmptyPage or PageNotAnInteger as Django's does."""
        try:
            later = int(number) > 1
        except (TypeError, ValueError):
            later = False  # validate_number raises PageNotAnInteger
        if later and self._first_paths is None:
            self._first_paths, self.count = self._boundaries()
        number = self.validate_number(number)
        rows = self.object_list
        if number > 1:
            rows = rows.filter(path__gte=self._first_paths[number - 1])
        return self._get_page(rows.values_list(*self.row_fields)[: self.per_page], number, self)


def tree_boundaries(pages, per_page: int) -> tuple[list[str], int]:
    """Return ``(first_paths, count)`` for ``pages`` (a Page queryset) cut into pages of ``per_page``
    in tree order: the ``path`` of items 1, ``per_page + 1``, ``2 × per_page + 1`` …, and the number
    of items.

    One query, one walk of the rows in path order that keeps the first row of each page and the
    last row (``ROW_NUMBER()`` and ``LEAD(path)`` windows, which need no more than the next row).
    """
    in_order = {"order_by": F("path").asc()}
    rows = list(
        pages.order_by()
        .annotate(position=Window(RowNumber(), **in_order), next_path=Window(Lead("path"), **in_order))
        .annotate(place=(F("position") - 1) % per_page)
        .filter(Q(place=0) | Q(next_path__isnull=True))
        .order_by("path")
        .values_list("path", "place", "position")
    )
    return [path for path, place, _position in rows if place == 0], (rows[-1][2] if rows else 0)


class PageSitemap(Sitemap):
    """Wagtail's page sitemap, 1,000 URLs a page, that answers (empty) when no site is set up yet and
    encodes Unicode slugs.

    Django's sitemap template writes ``<loc>`` unchanged, so a Devanagari slug must be percent-encoded
    (RFC 3986) here.
    """

    limit = SITEMAP_PAGE_URLS

    def _site(self):
        if not hasattr(self, "_site_cache"):
            site = site_for_request(self.request)
            if site is None:
                site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
            self._site_cache = site
        return self._site_cache

    @functools.cached_property
    def _live_pages(self):
        site = self._site()
        if site is None:
            return Page.objects.none()
        # Wagtail's public() reads the view restrictions when called: once a request.
        return site.root_page.get_descendants(inclusive=True).live().public().order_by("path")

    def _pages(self):
        """Return the live public pages of the request's site in tree order (not yet specific)."""
        return self._live_pages

    def items(self):
        """Return ``(url_path, last_published_at, latest_revision_created_at, article updated_at)`` rows."""
        return self._pages().values_list(*ROW_FIELDS)

    def _kept(self, name: str, compute):
        # Kept until a purge that changes which pages are listed or when they were published
        # (SITEMAP_SCOPE), or a purge of every page.
        site = self._site()
        return cached_until_purge(
            f"pressclub:sitemap-{name}:{site.pk if site else 0}:{self.limit}",
            compute,
            timeout=CACHE_SECONDS,
            scope=SITEMAP_SCOPE,
        )

    @functools.cached_property
    def _totals(self) -> dict:
        """Return ``{"count", "latest"}``: the number of listed pages and their newest
        ``last_published_at`` (or None), one aggregate query, kept until a purge (see :meth:`_kept`)."""
        return self._kept(
            "totals", lambda: self._pages().order_by().aggregate(count=Count("pk"), latest=Max("last_published_at"))
        )

    @functools.cached_property
    def paginator(self):
        """Return the :class:`TreePaginator` of the site's pages (boundaries kept until a purge)."""
        return TreePaginator(
            self._pages(),
            self.limit,
            row_fields=ROW_FIELDS,
            count=lambda: self._totals["count"],
            boundaries=lambda: self._kept("boundaries", lambda: tree_boundaries(self._pages(), self.limit)),
        )

    def _urls(self, page, protocol, domain):
        """Return the ``{"location", "lastmod"}`` entries of sitemap page ``page`` (one query)."""
        site = self._site()
        if site is None:
            return []
        root_url, root_path = site.root_url, site.root_page.url_path
        urls = []
        for url_path, published, revised, updated in self.paginator.page(page).object_list:
            path = url_path[len(root_path):] if url_path.startswith(root_path) else url_path.lstrip("/")
            urls.append({"location": iri_to_uri(f"{root_url}/{path}"), "lastmod": updated or published or revised})
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def get_latest_lastmod(self):
        """Return the newest publication time of the listed pages, or None (from :meth:`_totals`).

        Django's default calls :meth:`lastmod` on every item, a walk over the whole site.
        """
        return self._totals["latest"]


SITEMAPS = {"pages": PageSitemap}


def sitemap_index(request):
    """Return ``/sitemap.xml``: Django's sitemap index over :data:`SITEMAPS`' pages, then the Google
    News sitemap (``/news-sitemap.xml``, no ``<lastmod>``), as a TemplateResponse (XML)."""
    from django.contrib.sitemaps.views import SitemapIndexItem
    from django.urls import reverse
    from wagtail.contrib.sitemaps.views import index

    response = index(request, SITEMAPS, sitemap_url_name="sitemap_section")
    response.context_data["sitemaps"].append(
        SitemapIndexItem(request.build_absolute_uri(reverse("news_sitemap")), None)
    )
    return response

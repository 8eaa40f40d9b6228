"""The sitemap: every live, public page of the request's site, with percent-encoded URLs.

``/sitemap.xml`` is a sitemap index (sitemaps.org 0.9, ``<sitemapindex>``) naming the pages of the
``pages`` sitemap, ``/sitemap-pages.xml`` (first 1,000 URLs) then ``/sitemap-pages.xml?p=2`` …, as
Django's sitemap framework paginates with :attr:`PageSitemap.limit`. One aggregate query counts
the listed pages by the start of their tree paths (:func:`path_groups`: about a hundred groups at
100,000 stories) and finds their newest publication time; it is kept in Django's cache until the
next purge that changes which pages are listed or when ("sitemap" scope). The index reads only
that; a sitemap page reads its rows from the first path of the group holding its first URL
(``path >= …``, an offset within that group, ``LIMIT 1000``), never an ``OFFSET`` over every row
before it (:class:`TreePaginator`).

A page's entries are written from three columns per page (``url_path``, ``last_published_at`` and an
article's ``updated_at``) rather than from page objects: each ``<loc>`` is the site's root URL and the
page's path below the site's root page, as Wagtail's ``Page.get_full_url`` gives it for a page of
that site, and ``<lastmod>`` is what ``get_sitemap_urls`` gives (an article's "updated" time).
"""

import functools
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.db.models.functions import Substr
from django.utils.encoding import iri_to_uri
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from pressclub.core.cache import cached_until_purge
from pressclub.core.restrictions import private_q
from pressclub.core.routing import site_for_request

SITEMAP_PAGE_URLS = 1000  # URLs per sitemap page (search engines take up to 50,000; smaller is cheaper)
CACHE_SECONDS = 3600
#: The ``cached_until_purge`` scope of the sitemap's page boundaries: purges of pages entering or
#: leaving a sitemap (stories, standard pages, the front page) name it.
SITEMAP_SCOPE = "sitemap"
ROW_FIELDS = ("url_path", "last_published_at", "latest_revision_created_at", "articlepage__updated_at")


class TreePaginator(Paginator):
    """Django's Paginator over ``pages`` (a Page queryset) in tree order that finds a page's rows from
    the counts of ``groups`` of paths instead of an ``OFFSET`` over every row before them; pages
    hold ``row_fields`` tuples (``values_list``).

    ``groups`` is a callable returning :class:`PathGroups`. Page ``n`` starts at item
    ``(n - 1) × per_page``: the group holding that item gives its first path ``key`` and the item's
    place ``j`` in it, and the page is the ``per_page`` items from ``path >= key`` on, after ``j``:
    the items an ``OFFSET`` gives (every path before the group's is below ``key``), with an offset
    no longer than one group.
    """

    def __init__(self, pages, per_page: int, *, row_fields, groups, **kwargs):
        super().__init__(pages.order_by("path"), per_page, **kwargs)
        self.row_fields = row_fields
        self._groups = groups

    @functools.cached_property
    def count(self) -> int:
        """Return the number of items (from the groups' counts)."""
        return self._groups().count

    def page(self, number):
        """Return page ``number`` (1-based); raise EmptyPage or PageNotAnInteger as Django's does."""
        number = self.validate_number(number)
        start, rows = (number - 1) * self.per_page, self.object_list
        if start:
            key, start = self._groups().locate(start)
            rows = rows.filter(path__gte=key)
        return self._get_page(rows.values_list(*self.row_fields)[start : start + self.per_page], number, self)


@dataclass(frozen=True)
class PathGroups:
    """Pages counted by the first ``prefix`` characters of their tree path, in path order.

    ``keys`` are the distinct prefixes (a page whose path is shorter is its own key), ``counts`` the
    pages of each, ``latest`` the newest ``last_published_at`` of them all (None without one).
    """

    keys: tuple[str, ...]
    counts: tuple[int, ...]
    latest: object = None

    @property
    def count(self) -> int:
        """Return the number of pages."""
        return sum(self.counts)

    def locate(self, index: int) -> tuple[str, int]:
        """Return ``(key, place)``: the key of the group holding item ``index`` (0-based, in path
        order) and the item's place in it. Raise IndexError past the last item."""
        for key, count in zip(self.keys, self.counts, strict=True):
            if index < count:
                return key, index
            index -= count
        raise IndexError(index)


def path_groups(pages, *, prefix: int) -> PathGroups:
    """Return the :class:`PathGroups` of ``pages`` (a Page queryset) by the first ``prefix``
    characters of their paths: one query, one aggregate over the rows, no sort of them.

    With ``prefix`` two characters past a section's path, a section's stories fall in groups of at
    most 36² = 1,296 (Wagtail numbers a page's children in base 36, four characters each).
    """
    # Sorted here, not in SQL: a hundred groups, where an ORDER BY leads PostgreSQL (which cannot
    # tell how few groups there are) to sort every row rather than hash them.
    rows = sorted(
        pages.order_by()
        .annotate(key=Substr("path", 1, prefix))
        .values("key")
        .annotate(count=Count("pk"), latest=Max("last_published_at"))
        .values_list("key", "count", "latest")
    )
    latest = max((row[2] for row in rows if row[2] is not None), default=None)
    return PathGroups(tuple(row[0] for row in rows), tuple(row[1] for row in rows), latest)


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
    def _pages(self):
        """The live public pages of the request's site in tree order (not yet specific); the view
        restrictions from their cached list (``core.restrictions``)."""
        site = self._site()
        if site is None:
            return Page.objects.none()
        return site.root_page.get_descendants(inclusive=True).live().exclude(private_q()).order_by("path")

    def items(self):
        """Return ``(url_path, last_published_at, latest_revision_created_at, article updated_at)`` rows."""
        return self._pages.values_list(*ROW_FIELDS)

    def _kept(self, name: str, compute):
        # Kept until a purge that changes which pages are listed or when they were published
        # (SITEMAP_SCOPE), or a purge of every page.
        site = self._site()
        return cached_until_purge(
            f"pressclub:sitemap-{name}:{site.pk if site else 0}",
            compute,
            timeout=CACHE_SECONDS,
            scope=SITEMAP_SCOPE,
        )

    @functools.cached_property
    def _groups(self) -> PathGroups:
        """Return the :class:`PathGroups` of the listed pages, groups two characters past the paths
        of the site root's children (its sections), kept until a purge (see :meth:`_kept`)."""
        site = self._site()
        if site is None:
            return PathGroups((), ())
        prefix = len(site.root_page.path) + Page.steplen + 2
        return self._kept(f"groups:{prefix}", lambda: path_groups(self._pages, prefix=prefix))

    @functools.cached_property
    def paginator(self):
        """Return the :class:`TreePaginator` of the site's pages."""
        return TreePaginator(self._pages, self.limit, row_fields=ROW_FIELDS, groups=lambda: self._groups)

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
        """Return the newest publication time of the listed pages, or None (from :meth:`_groups`).

        Django's default calls :meth:`lastmod` on every item, a walk over the whole site.
        """
        return self._groups.latest


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

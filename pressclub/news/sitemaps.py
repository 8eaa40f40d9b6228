"""The sitemap: every live, public page of the request's site, with percent-encoded URLs.

``/sitemap.xml`` is a sitemap index (sitemaps.org 0.9, ``<sitemapindex>``) naming the pages of the
``pages`` sitemap, ``/sitemap-pages.xml`` (first 1,000 URLs) then ``/sitemap-pages.xml?p=2`` …, as
Django's sitemap framework paginates with :attr:`PageSitemap.limit`. Each page reads only the pages
it lists (one ``LIMIT``/``OFFSET`` query in tree order, plus Wagtail's per-type query), and the index
reads a count and one ``MAX(last_published_at)``, so neither walks the whole site in Python.

A page's entries are written from three columns per page (``url_path``, ``last_published_at`` and an
article's ``updated_at``) rather than from page objects: each ``<loc>`` is the site's root URL and the
page's path below the site's root page, as Wagtail's ``Page.get_full_url`` gives it for a page of
that site, and ``<lastmod>`` is what ``get_sitemap_urls`` gives (an article's "updated" time).
"""

from django.db.models import Max
from django.utils.encoding import iri_to_uri
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from pressclub.core.routing import site_for_request

SITEMAP_PAGE_URLS = 1000  # URLs per sitemap page (search engines take up to 50,000; smaller is cheaper)


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

    def _pages(self):
        """Return the live public pages of the request's site in tree order (not yet specific)."""
        site = self._site()
        if site is None:
            return Page.objects.none()
        return site.root_page.get_descendants(inclusive=True).live().public().order_by("path")

    def items(self):
        """Return ``(url_path, last_published_at, latest_revision_created_at, article updated_at)`` rows."""
        return self._pages().values_list(
            "url_path", "last_published_at", "latest_revision_created_at", "articlepage__updated_at"
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
        """Return the newest publication time of the listed pages (one aggregate query), or None.

        Django's default calls :meth:`lastmod` on every item, a walk over the whole site.
        """
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]


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

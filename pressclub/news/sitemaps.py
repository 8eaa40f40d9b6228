"""The sitemap: every live, public page of the request's site, with percent-encoded URLs.

``/sitemap.xml`` is a sitemap index (sitemaps.org 0.9, ``<sitemapindex>``) naming the pages of the
``pages`` sitemap, ``/sitemap-pages.xml`` (first 1,000 URLs) then ``/sitemap-pages.xml?p=2`` …, as
Django's sitemap framework paginates with :attr:`PageSitemap.limit`. Each page reads only the pages
it lists (one ``LIMIT``/``OFFSET`` query in tree order, plus Wagtail's per-type query), and the index
reads a count and one ``MAX(last_published_at)``, so neither walks the whole site in Python.
"""

from django.db.models import Max
from django.utils.encoding import iri_to_uri
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

SITEMAP_PAGE_URLS = 1000  # URLs per sitemap page (search engines take up to 50,000; smaller is cheaper)


class PageSitemap(Sitemap):
    """Wagtail's page sitemap, 1,000 URLs a page, that answers (empty) when no site is set up yet and
    encodes Unicode slugs.

    Django's sitemap template writes ``<loc>`` unchanged, so a Devanagari slug must be percent-encoded
    (RFC 3986) here.
    """

    limit = SITEMAP_PAGE_URLS

    def _pages(self):
        """Return the live public pages of the request's site in tree order (not yet specific)."""
        site = Site.find_for_request(self.request)
        if site is None:
            site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        if site is None:
            return Page.objects.none()
        return site.root_page.get_descendants(inclusive=True).live().public().order_by("path")

    def items(self):
        return self._pages().defer_streamfields().specific()

    def get_latest_lastmod(self):
        """Return the newest publication time of the listed pages (one aggregate query), or None.

        Django's default calls :meth:`lastmod` on every item, a walk over the whole site.
        """
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            url_info["location"] = iri_to_uri(url_info["location"])
        return urls


SITEMAPS = {"pages": PageSitemap}

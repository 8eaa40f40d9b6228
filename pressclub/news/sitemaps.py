"""The sitemap: every live, public page of the request's site, with percent-encoded URLs."""

from django.utils.encoding import iri_to_uri
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site


class PageSitemap(Sitemap):
    """Wagtail's page sitemap that answers (empty) when no site is set up yet and encodes Unicode slugs.

    Django's sitemap template writes ``<loc>`` unchanged, so a Devanagari slug must be percent-encoded
    (RFC 3986) here.
    """

    def items(self):
        site = Site.find_for_request(self.request)
        if site is None:
            site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        if site is None:
            return Page.objects.none()
        return (
            site.root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            url_info["location"] = iri_to_uri(url_info["location"])
        return urls

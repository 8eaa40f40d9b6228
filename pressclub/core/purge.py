"""Purge everything: every cached page, in the site's own page cache and in the front-end caches.

For events that change every reader page at once (a breaking-news banner starts or ends), where
the purge of one page that publishing does is not enough.
"""

import logging

from django.conf import settings

from .cache import page_cache_purge

logger = logging.getLogger(__name__)


def cache_purge_everything() -> int:
    """Empty the anonymous page cache, then purge every live, public page from the front-end caches.

    The front-end caches are Wagtail's ``WAGTAILFRONTENDCACHE`` (nginx's purge server, Varnish, a
    CDN): each page's URLs go in one ``PurgeBatch`` (one request per URL for an HTTP proxy,
    batched for CDNs that take batches). Pages that are not Wagtail pages (labels, archives,
    authors) are not purged there; they expire with their ``s-maxage``. Return the number of
    pages sent to the front-end caches (0 when none is configured). A front-end cache that fails
    is logged, never raised: the page cache is already empty.
    """
    page_cache_purge()
    if not settings.WAGTAILFRONTENDCACHE:
        return 0
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    pages = list(Page.objects.live().public().filter(depth__gt=1).defer_streamfields().specific())
    batch = PurgeBatch()
    batch.add_pages(pages)
    try:
        batch.purge()
    except Exception:  # a CDN outage must not fail the task that ends a banner
        logger.exception("Could not purge %d pages from the front-end caches", len(pages))
    return len(pages)

"""Purges: what a change shows on leaves the site's page cache at once and the front-end caches soon after.

:func:`cache_purge` takes a :class:`~pressclub.core.purge_lists.PurgeList` (what
:func:`~pressclub.core.purge_lists.purge_list` returns for a change) and

1. forgets those URLs in the site's own page cache now, in every language and encoding
   (:func:`pressclub.core.cache.page_cache_purge_urls`), or every page for a list that is
   ``everything`` (a new generation);
2. sends the same URLs to the front-end caches of ``WAGTAILFRONTENDCACHE`` (the shipped nginx
   front's purge server through Wagtail's HTTP backend, Cloudflare, CloudFront): queued in Django's
   cache and sent together by one task deferred ``PRESSCLUB_FRONTEND_PURGE_DELAY`` seconds
   (:func:`frontend_purge_flush`), so a burst of approvals costs one purge request per URL and one
   CDN API call, not one per approval.

CloudFront's invalidations are billed per path beyond a monthly allowance and limited to a few
thousand paths in flight, so comment changes, and a member's new name on the pages of their
comments, are not sent to it (``PRESSCLUB_FRONTEND_PURGE_COMMENTS`` names the backends that get
them: every one but CloudFront by default); pages there refresh through their short ``s-maxage``
with ``stale-while-revalidate`` (README, "Scaling").
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from .cache import page_cache_purge, page_cache_purge_urls
from .purge_lists import COMMENT_EVENTS, MEMBER_EVENTS, PurgeList

logger = logging.getLogger(__name__)

QUEUE_COUNTER = "pressclub:frontend-purge:counter"
QUEUE_SENT = "pressclub:frontend-purge:sent"
QUEUE_GAP = "pressclub:frontend-purge:gap"
QUEUE_ITEM = "pressclub:frontend-purge:item:{}"
QUEUE_FLUSH = "pressclub:frontend-purge:flush"
QUEUE_SECONDS = 3600  # a queued purge whose task never ran is dropped after this (pages expire anyway)


def _cache():
    return caches[settings.PRESSCLUB_PAGE_CACHE]


def cache_purge(purged: PurgeList) -> list[str]:
    """Purge ``purged`` from the page cache now and queue it for the front-end caches; return the
    page cache keys deleted (none for everything: a new generation forgets them all).

    A list that is ``everything`` empties the page cache and queues a purge of every page for the
    front-end caches (:func:`frontend_purge_everything_later`).
    """
    if purged.everything:
        logger.info("Purging every cached page: %s", purged.reason)
        page_cache_purge()
        frontend_purge_everything_later()
        return []
    keys = page_cache_purge_urls(purged.urls, languages=purged.languages, scopes=purged.scopes)
    backends = _comment_backends() if purged.reason in COMMENT_EVENTS + MEMBER_EVENTS else None
    frontend_purge_later(purged.sorted_urls, backends=backends)
    return keys


def cache_purge_on_commit(purged: PurgeList) -> None:
    """Purge ``purged`` from the page cache now, and once the current transaction commits purge it
    again (a reader served between the two saw the old rows) and queue the front-end purge
    (:func:`cache_purge`). Outside a transaction, both happen now."""
    if purged.everything:
        page_cache_purge()
    else:
        page_cache_purge_urls(purged.urls, languages=purged.languages, scopes=purged.scopes)
    transaction.on_commit(lambda: cache_purge(purged), robust=True)


def _comment_backends() -> list[str]:
    names = getattr(settings, "PRESSCLUB_FRONTEND_PURGE_COMMENTS", None)
    if names is not None:
        return list(names)
    return [
        name for name, config in settings.WAGTAILFRONTENDCACHE.items()
        if not config.get("BACKEND", "").endswith("CloudfrontBackend")
    ]


def frontend_purge_later(urls, *, backends=None) -> None:
    """Queue ``urls`` (absolute) for the front-end caches named ``backends`` (None: all of them), to
    be sent by :func:`frontend_purge_flush` within ``PRESSCLUB_FRONTEND_PURGE_DELAY`` seconds.

    Nothing is queued when no front-end cache is configured or ``backends`` is empty. A task queue
    that cannot be reached is logged, never raised (the change itself is already saved).
    """
    urls = list(urls)
    if not settings.WAGTAILFRONTENDCACHE or not urls or backends == []:
        return
    if backends is not None and set(backends) >= set(settings.WAGTAILFRONTENDCACHE):
        backends = None  # every one: sent in the same batch as the purges meant for all
    cache = _cache()
    cache.add(QUEUE_COUNTER, 0, timeout=None)
    try:
        number = cache.incr(QUEUE_COUNTER)
    except ValueError:  # evicted in between: start again (the flush notices the counter went back)
        cache.add(QUEUE_COUNTER, 1, timeout=None)
        number = 1
    cache.set(QUEUE_ITEM.format(number), (urls, tuple(backends) if backends is not None else None),
              timeout=QUEUE_SECONDS)
    delay = settings.PRESSCLUB_FRONTEND_PURGE_DELAY
    if not cache.add(QUEUE_FLUSH, time.time(), timeout=max(60, delay * 10)):
        return  # a flush is already on its way and will take these too
    from .tasks import frontend_purge_flush

    try:
        if delay and frontend_purge_flush.get_backend().supports_defer:
            frontend_purge_flush.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue()
        else:
            frontend_purge_flush.enqueue()
    except Exception:  # a queue outage must never undo a publish or an approval
        cache.delete(QUEUE_FLUSH)
        logger.exception("Could not queue the front-end cache purge of %d URLs", len(urls))


def frontend_purge_flush() -> int:
    """Send every queued purge to its front-end caches, URLs united per set of backends; return the
    number of URLs sent (counting each once per set of backends).

    Queued purges are numbered; one whose number was taken but whose URLs were not yet written when
    this ran is sent by the next flush (which its writer queues), or skipped when still missing then.
    """
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    cache = _cache()
    cache.delete(QUEUE_FLUSH)  # from here on, a new purge queues a new flush
    last = cache.get(QUEUE_COUNTER) or 0
    sent = cache.get(QUEUE_SENT) or 0
    if last < sent:  # the counter was evicted and started again
        sent = 0
    numbers = range(sent + 1, last + 1)
    found = cache.get_many([QUEUE_ITEM.format(n) for n in numbers])
    gap = cache.get(QUEUE_GAP)
    done = sent
    for n in numbers:
        if QUEUE_ITEM.format(n) in found or n == gap:
            done = n if done == n - 1 else done
        else:
            cache.set(QUEUE_GAP, n, timeout=QUEUE_SECONDS)
            break
    by_backends: dict = {}
    for value in found.values():
        urls, backends = value
        by_backends.setdefault(backends, set()).update(urls)
    count = 0
    for backends, urls in by_backends.items():
        try:
            purge_urls_from_cache_task.call(sorted(urls), None, list(backends) if backends is not None else None)
        except Exception:  # a CDN outage: the pages expire with their s-maxage
            logger.exception("Could not purge %d URLs from the front-end caches", len(urls))
        count += len(urls)
    cache.set(QUEUE_SENT, done, timeout=None)
    cache.delete_many([QUEUE_ITEM.format(n) for n in range(sent + 1, done + 1)])
    return count


def frontend_purge_everything_later() -> None:
    """Queue a purge of every page for the front-end caches (:func:`frontend_purge_everything`), when
    one is configured. A task queue that cannot be reached is logged, never raised."""
    if not settings.WAGTAILFRONTENDCACHE:
        return
    from .tasks import frontend_purge_everything_task

    try:
        frontend_purge_everything_task.enqueue()
    except Exception:
        logger.exception("Could not queue the purge of every page from the front-end caches")


def frontend_purge_everything() -> int:
    """Purge every live, public page from the front-end caches; return the number of pages sent.

    Each page's URLs go in one ``PurgeBatch`` (one request per URL for an HTTP proxy, batched for
    CDNs that take batches). Pages that are not Wagtail pages (labels, archives, authors, feeds)
    are not purged there; they expire with their ``s-maxage``. 0 when no front-end cache is
    configured. A front-end cache that fails is logged, never raised.
    """
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


def cache_purge_everything() -> int:
    """Empty the anonymous page cache, then purge every live, public page from the front-end caches
    (:func:`frontend_purge_everything`, now); return the number of pages sent to them."""
    page_cache_purge()
    return frontend_purge_everything()

"""Breaking news: the banner every reader page shows while a story's ``breaking_until`` is ahead.

The banner starts when the story is published (the publish purges every cached page) and ends by
itself: whether it shows is decided by the clock each time a page is rendered, a task deferred to
``breaking_until`` purges every cached page when it ends (``tasks.breaking_news_purge``), and
:class:`BreakingNewsCacheMiddleware` keeps browsers and shared caches from holding a copy past the
end, and purges the page cache itself when that task is late.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control

from pressclub.core.cache import cached_until_purge, page_cache_purge

logger = logging.getLogger(__name__)

#: Most banners shown at once (newest first), so a busy day cannot push the page down.
MAX_BANNERS = 3
#: Seconds the list of breaking stories is kept for one page-cache generation.
ARMED_SECONDS = 24 * 3600


def _armed_stories() -> list[dict]:
    """Return the live, public breaking stories of every site whose banner had not ended when asked.

    Each is ``{"title", "url", "until", "lang_attrs", "path"}`` (``until`` an aware datetime,
    ``url`` the page's path, or full URL when several sites exist, ``path`` its tree path).
    Newest first. One query when no story is breaking (the usual case), three otherwise.
    """
    from .models import ArticlePage

    armed = ArticlePage.objects.live().filter(breaking_until__gt=timezone.now())
    if not armed.exists():
        return []
    stories = armed.public().defer_streamfields().order_by("-first_published_at", "-pk")
    return [
        {
            "title": s.title,
            "url": s.get_url() or "",
            "until": s.breaking_until,
            "lang_attrs": str(s.content_lang_attrs),
            "path": s.path,
        }
        for s in stories
    ]


def armed_stories(request=None) -> list[dict]:
    """Return :func:`_armed_stories`, kept in Django's cache until the next purge and on ``request``.

    Publishing a story (which arms, changes or ends its banner) purges, so the list is renewed
    then; the task at a banner's end purges too. Whether each banner still shows is for the
    caller to decide against the clock.
    """
    armed = getattr(request, "_pressclub_breaking", None)
    if armed is None:
        # Kept for the whole generation (a day at most): BreakingNewsCacheMiddleware needs the list
        # made before a banner ended to notice that it ended.
        armed = cached_until_purge("pressclub:breaking", _armed_stories, timeout=ARMED_SECONDS, site_wide=True)
        if request is not None:
            request._pressclub_breaking = armed
    return armed


def breaking_news(request, *, now: dt.datetime | None = None) -> list[dict]:
    """Return the banners the page for ``request`` shows now, newest first, at most ``MAX_BANNERS``
    (see :func:`_armed_stories` for the shape): the request's site's stories whose
    ``breaking_until`` is after ``now`` (default: the clock).

    Decided on every call, so a banner ends at its time whatever was cached. ``[]`` without a
    request or a site.
    """
    if request is None:
        return []
    from pressclub.core.routing import site_for_request

    site = site_for_request(request)
    if site is None:
        return []
    now = now or timezone.now()
    root = site.root_page.path
    return [s for s in armed_stories(request) if s["until"] > now and s["path"].startswith(root)][:MAX_BANNERS]


def seconds_left(request=None, *, now: dt.datetime | None = None) -> int | None:
    """Return the whole seconds (at least 1) until the first running banner of any site ends, or None.

    No query while the page cache is on (the stories are kept in Django's cache until the next
    purge), and no Site is looked up, so a page served from the page cache stays free of queries.
    """
    now = now or timezone.now()
    running = [s["until"] for s in armed_stories(request) if s["until"] > now]
    if not running:
        return None
    return max(1, int((min(running) - now).total_seconds()))


class BreakingNewsCacheMiddleware:
    """While a banner runs, let no cached copy of a page outlive it.

    The task deferred to the banner's end purges the site's page cache and the front-end caches,
    but three copies could still show an ended banner: one a browser keeps (``max-age``; nothing can
    purge a browser), one a shared cache keeps that the purge does not reach (nginx or a CDN
    holding a label, archive or author page, which are not Wagtail pages), and one in the page cache
    when the worker runs late or is down. So:

    - each shareable response (``Cache-Control: public``) served while a banner runs (on any site)
      gets its ``max-age`` and ``s-maxage`` cut to the seconds left, and no ``stale-while-revalidate``;
    - before a request is answered, a banner that has ended while the stories kept for the current
      page-cache generation still list it means no purge has happened since it ended: this
      request purges the page cache (``page_cache_purge``) itself, once, as the task would have.
      The list is then built again without the ended story, so the next requests do not purge.

    Copies made before the banner started were purged when it was published. Without a banner
    nothing changes. Sits before (outside) ``CacheControlMiddleware``, which writes the
    ``Cache-Control`` it cuts, and the page cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and _ended_without_purge(request):
            logger.warning("A breaking-news banner ended and no purge followed: purging the page cache now")
            page_cache_purge()
            request._pressclub_breaking = None  # looked up again, without the ended story
        response = self.get_response(request)
        if "public" not in response.get("Cache-Control", ""):
            return response
        left = seconds_left(request)
        if left is not None:
            # No stale copy served past the end while a shared cache revalidates either.
            patch_cache_control(
                response,
                max_age=min(left, settings.PRESSCLUB_BROWSER_CACHE_SECONDS),
                s_maxage=min(left, settings.PRESSCLUB_SHARED_CACHE_SECONDS),
                stale_while_revalidate=0,
            )
        return response


def _ended_without_purge(request) -> bool:
    """Return True when a story listed as breaking for this page-cache generation has ended.

    No query while the page cache is on. Off with the page cache (as in tests): nothing to purge.
    """
    if not settings.PRESSCLUB_PAGE_CACHE_SECONDS:
        return False
    now = timezone.now()
    return any(story["until"] <= now for story in armed_stories(request))


def breaking_news_schedule(page) -> None:
    """Once the current transaction commits, purge every cached page now and again at ``page``'s
    ``breaking_until`` (tasks deferred with ``run_after``), when its banner is running.

    A task backend that cannot defer (the immediate backend of tests) gets only the purge now;
    :class:`BreakingNewsCacheMiddleware` still ends the cached copies in time. Called when a
    story is published; a queue that cannot be reached is logged, never raised.
    """
    from .tasks import breaking_news_purge

    until = page.breaking_until
    if not page.is_breaking():
        return

    def enqueue():
        breaking_news_purge.enqueue()
        if breaking_news_purge.get_backend().supports_defer:
            breaking_news_purge.using(run_after=until).enqueue()
        else:
            logger.warning("The task backend cannot defer tasks: the banner of page %s ends without a purge", page.pk)

    transaction.on_commit(enqueue, robust=True)

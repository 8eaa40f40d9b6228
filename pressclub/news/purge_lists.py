"""The pages a story shows on, for :func:`pressclub.core.purge_lists.purge_list`.

A story (ArticlePage) shows on its own page, the front page, its section, each of its labels and
authors, the site's feeds and those of its section, labels and authors, its month in the archive
(and its year, when it enters or leaves it), the sitemap (the index and the sitemap page that lists
it, and every later one when it enters or leaves: they shift), the news sitemap while it is in it
(48 hours), and the corrections page and feeds when it carries a correction.

An edit can take a story off a listing (a label or byline removed, a move to another section), so
the URLs of the listings it was on when last purged are remembered in the page cache's Django cache
(:func:`story_listing_remember`, under one key per story) and purged with the new ones. A story
whose record was evicted purges its current listings only; the others expire with the page cache.

A story whose breaking-news banner runs, or ran until this change, purges everything.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pressclub.core.compiled import CompiledQuery, datetime_value, exact, prefix, primary_key
from pressclub.core.purge_lists import PurgeList, everything, page_urls, purge_list_contributor, site_url
from pressclub.core.restrictions import restriction_paths

from .sitemaps import SITEMAP_PAGE_URLS, SITEMAP_SCOPE

LISTINGS_KEY = "pressclub:story-listings:{pk}"
# Seconds a story's listings are remembered: long enough for the edits of a story's life.
LISTINGS_SECONDS = 90 * 24 * 3600


def _cache():
    return caches[settings.PRESSCLUB_PAGE_CACHE]


def story_listing_remember(page, purged: PurgeList) -> None:
    """Remember the URLs ``purged`` for ``page`` (an ArticlePage), whether it is live and until when
    its banner runs, for the story's next change (see the module's docstring). A list that is
    everything remembers no URLs."""
    _cache().set(
        LISTINGS_KEY.format(pk=page.pk),
        {"urls": tuple(purged.sorted_urls), "live": page.live, "breaking_until": page.breaking_until},
        timeout=LISTINGS_SECONDS,
    )


def _remembered(page) -> dict:
    found = _cache().get(LISTINGS_KEY.format(pk=page.pk))
    return found if isinstance(found, dict) else {"urls": (), "live": False, "breaking_until": None}


def story_was_live(page) -> bool:
    """Return True when ``page`` (an ArticlePage) was live at its last purge: publishing it again is
    an edit ("story_edited"), not its publication."""
    return bool(_remembered(page)["live"])


def _sitemap_urls(page, site_root, *, shifted: bool) -> set[str]:
    """Return the sitemap index, the sitemap page listing ``page`` and, when ``shifted`` (the story
    entered or left the site), every later page, whose URLs moved by one."""
    pages = site_root.get_descendants(inclusive=True).live().public()
    position = pages.filter(path__lt=page.path).count()  # where it is, or was, in tree order
    first = position // SITEMAP_PAGE_URLS + 1
    last = math.ceil((pages.count() + 1) / SITEMAP_PAGE_URLS) if shifted else first
    paths = {reverse("sitemap")}
    for number in range(first, max(first, last) + 1):
        path = reverse("sitemap_section", kwargs={"section": "pages"})
        paths.add(path if number == 1 else f"{path}?p={number}")
    return set().union(*(site_url(page, path) for path in paths))


@purge_list_contributor("story_published", "story_edited", "story_moved", "story_unpublished")
def story_purge_list(event: str, *, page, url_path_before: str | None = None, parent_before=None) -> PurgeList:
    """Return the URLs ``page`` (an ArticlePage) shows on, before and after ``event`` (see the module's
    docstring); everything when its breaking-news banner runs or ran until now.

    ``story_moved`` takes the page's former ``url_path_before`` and section ``parent_before``.
    A handful of queries (labels, bylines, two counts for the sitemap, one for corrections).
    """
    from .models import CorrectionKind
    from .views import NEWS_SITEMAP_HOURS

    now = timezone.now()
    remembered = _remembered(page)
    if page.breaking_until and page.breaking_until > now and page.live:
        return everything("breaking_news_started")
    was_until = remembered["breaking_until"]
    if was_until and was_until > now:
        return everything("breaking_news_ended")

    site = page.get_site()
    site_root = site.root_page if site is not None else None
    urls: set[str] = set(remembered["urls"])
    urls |= page_urls(page)
    section = page.get_parent()
    sections = [section] + ([parent_before] if parent_before is not None else [])
    paths = {reverse("feed_rss"), reverse("feed_atom")}
    for shown_in in sections:
        urls |= page_urls(shown_in)
        paths |= {
            reverse("section_feed_rss", kwargs={"slug": shown_in.slug}),
            reverse("section_feed_atom", kwargs={"slug": shown_in.slug}),
        }
    if site_root is not None:
        urls |= page_urls(site_root)
    for label in page.labels.all():
        paths |= {
            reverse("label_detail", kwargs={"slug": label.slug}),
            reverse("label_feed_rss", kwargs={"slug": label.slug}),
            reverse("label_feed_atom", kwargs={"slug": label.slug}),
        }
    for author in page.get_authors():
        paths |= {
            reverse("author_detail", kwargs={"slug": author.slug}),
            reverse("author_feed_rss", kwargs={"slug": author.slug}),
            reverse("author_feed_atom", kwargs={"slug": author.slug}),
        }
    if page.first_published_at:
        local = timezone.localtime(page.first_published_at)
        paths.add(reverse("archive_month", kwargs={"year": f"{local.year:04d}", "month": f"{local.month:02d}"}))
        if event != "story_edited":  # the year page counts stories per month
            paths.add(reverse("archive_year", kwargs={"year": f"{local.year:04d}"}))
        if page.first_published_at >= now - dt.timedelta(hours=NEWS_SITEMAP_HOURS):
            paths.add(reverse("news_sitemap"))
    if page.corrections.filter(kind=CorrectionKind.CORRECTION).exists():
        paths |= {reverse("corrections"), reverse("corrections_feed_rss"), reverse("corrections_feed_atom")}
    for path in paths:
        urls |= site_url(page, path)
    if url_path_before:
        urls |= _old_url(url_path_before)
    if site_root is not None:
        urls |= _sitemap_urls(page, site_root, shifted=event != "story_edited")
    return PurgeList(urls=frozenset(urls), reason=event, scopes=frozenset({"stories", SITEMAP_SCOPE}))


def _old_url(url_path_before: str) -> set[str]:
    """Return the absolute URL a page had at ``url_path_before`` (its former ``url_path``)."""
    from django.utils.encoding import iri_to_uri
    from wagtail.models import Site

    for root in Site.get_site_root_paths():
        if url_path_before.startswith(root.root_path):
            return {iri_to_uri(root.root_url + "/" + url_path_before[len(root.root_path):])}
    return set()


@purge_list_contributor("page_published", "page_unpublished")
def page_purge_list(event: str, *, page) -> PurgeList:
    """Return what publishing or unpublishing a page that is not a story purges: a section is in
    every page's menu, and the About and comment policy pages of a site's identity in every page's
    footer (everything); the front page is its own URL; another page (a standard page) is its URL
    and the sitemap. A page type not known here purges everything."""
    from pressclub.core.models import SiteIdentity, StandardPage

    from .models import HomePage, SectionPage

    if isinstance(page, SectionPage):
        return everything("section_menu_changed")
    if SiteIdentity.objects.filter(Q(about_page=page.pk) | Q(comment_policy_page=page.pk)).exists():
        return everything("site_identity_changed")
    if isinstance(page, HomePage):  # listed first in the sitemap, with its publication time
        return PurgeList(urls=frozenset(page_urls(page)), reason=event, scopes=frozenset({SITEMAP_SCOPE}))
    if isinstance(page, StandardPage):
        urls = page_urls(page) | site_url(page, reverse("sitemap"))
        site = page.get_site()
        if site is not None:
            urls |= _sitemap_urls(page, site.root_page, shifted=True)
        return PurgeList(urls=frozenset(urls), reason=event, scopes=frozenset({SITEMAP_SCOPE}))
    return everything(f"a {type(page).__name__} changed")


def _front_page(_shape, site_id):
    from wagtail.models import Page

    return Page.objects.filter(sites_rooted_here=site_id).only("path", "depth", "url_path").order_by("path")[:1]


def _ranking(restricted, front_path: str, front_depth: int, front_id: int, since, story_id: int | None = None):
    # "Most commented" over the public stories under a front page, given the restricted paths (and,
    # with story_id, that story's own total).
    from wagtail.models import Page

    from pressclub.comments.templatetags.comments_tags import MOST_COMMENTED_LIMIT, most_commented_ranking

    from .models import ArticlePage

    front = Page(pk=front_id, path=front_path, depth=front_depth)  # its place in the tree is all it takes
    stories = ArticlePage.objects.descendant_of(front).published(restricted)
    if story_id is not None:
        return most_commented_ranking(stories.filter(pk=story_id), since=since)[:1]
    return most_commented_ranking(stories, since=since)[:MOST_COMMENTED_LIMIT]


# The three queries after each comment, compiled once per process (core.compiled): the purge
# builds no queryset for them. The page tree's restricted paths (``public()``) shape the ranking.
_ID, _OTHER_ID = primary_key(0), primary_key(1)
_front_page_query = CompiledQuery(_front_page, model="wagtailcore.Page", slots={"site_id": _ID})
_FRONT = {"front_path": prefix("~front-path-1~", "~front-path-2~"), "front_depth": exact(7_654_325, 7_654_326),
          "front_id": _ID, "since": datetime_value()}
_ranking_query = CompiledQuery(_ranking, model="news.ArticlePage", slots=_FRONT)
_own_ranking_query = CompiledQuery(_ranking, model="news.ArticlePage", slots={**_FRONT, "story_id": _OTHER_ID})


def _most_commented_under(front_page, since, *, story_id: int | None = None) -> list[tuple[int, int]]:
    """Return ``(story id, comment total)`` of "Most commented" under ``front_page``, counting from
    ``since`` (None: every comment); with ``story_id``, of that story alone (empty when it has none)."""
    restricted, _aliases = restriction_paths()
    if since is None:  # PRESSCLUB_MOST_COMMENTED_DAYS = 0: not the default, built each time
        return list(_ranking(restricted, front_page.path, front_page.depth, front_page.pk, None, story_id))
    values = {"front_path": front_page.path, "front_depth": front_page.depth, "front_id": front_page.pk,
              "since": since}
    if story_id is None:
        return _ranking_query.rows(shape=restricted, **values)
    return _own_ranking_query.rows(shape=restricted, story_id=story_id, **values)


@purge_list_contributor("comment_count_changed")
def comment_count_purge_list(event: str, *, page) -> PurgeList:
    """Return the pages that show ``page``'s comment count besides the page itself: the front page,
    when its "Most commented" list (stories only) shows the story or may now take it in or drop it.

    Asked after the count changed by one (a comment approved, or removed). The front page is left
    alone only when the list is full and the story is neither on it nor within one comment of its
    last entry: then no change of one comment moves it in or out. Two queries (the list, and the
    story's own count when it is not on it), and one for the front page."""
    from pressclub.comments.templatetags.comments_tags import MOST_COMMENTED_LIMIT, most_commented_since

    from .models import ArticlePage

    if not isinstance(page, ArticlePage):
        return PurgeList(reason=event)
    # The site from Wagtail's cached root paths, its front page in one query (not page.get_site(),
    # which reads the site, then its root page).
    parts = page.get_url_parts()
    front_page = _front_page_query.instance(site_id=parts[0]) if parts else None
    if front_page is None:
        return PurgeList(reason=event)
    # The same sites as the story's URL: the front page's URL asks the cache nothing more.
    front_page._wagtail_cached_site_root_paths = page._get_site_root_paths()
    front = PurgeList(urls=frozenset(page_urls(front_page)), reason=event)
    since = most_commented_since()
    listed = _most_commented_under(front_page, since)
    if len(listed) < MOST_COMMENTED_LIMIT or any(pk == page.pk for pk, _total in listed):
        return front
    own = _most_commented_under(front_page, since, story_id=page.pk)
    own_total = own[0][1] if own else 0
    return front if own_total + 1 >= listed[-1][1] else PurgeList(reason=event)

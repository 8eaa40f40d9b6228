"""The pages a comment shows on, for :func:`pressclub.core.purge_lists.purge_list`.

An approved comment shows on its page (each page of the thread when a long one is split: they
shift when a reply lands in an earlier one), in the page's comment feeds (RSS and Atom), in the
site's comment feeds, and wherever the page's comment count shows (the news app answers for that:
the front page's "Most commented"). A story change also reaches the comment feeds, whose items
name the page, and the thread's later pages, which show the story. A member's new name reaches
every page with their approved comments, as their comments' approval did (counts aside).
"""

from __future__ import annotations

from django.urls import reverse
from wagtail.models import Page

from pressclub.core.purge_lists import PurgeList, page_urls, purge_list, purge_list_contributor, site_url

from .models import Comment
from .thread import PAGE_PARAMETER, comment_pages


def _thread_pages(page, *, extra: int = 0, numbers: dict[int, int] | None = None) -> set[str]:
    """Return the URLs of ``page``'s thread pages after the first (``?comments=2`` …), and ``extra``
    more past the last (pages a removal may have emptied). ``numbers`` is the page's ``{comment id:
    page}`` map (:func:`~pressclub.comments.thread.comment_pages`), read when not given (one query)."""
    if numbers is None:
        numbers = comment_pages([page.pk]).get(page.pk, {})
    last = max(numbers.values(), default=1) + extra
    return set().union(*(page_urls(page, query=f"{PAGE_PARAMETER}={n}") for n in range(2, last + 1)))


def _feed_urls(page) -> set[str]:
    paths = {
        reverse("comments:page_feed", kwargs={"page_id": page.pk}),
        reverse("comments:page_feed_atom", kwargs={"page_id": page.pk}),
        reverse("comments:feed"),
        reverse("comments:feed_atom"),
    }
    return set().union(*(site_url(page, path) for path in paths))


@purge_list_contributor("comment_approved", "comment_edited", "comment_removed")
def comment_purge_list(event: str, *, comment: Comment) -> PurgeList:
    """Return the URLs ``comment``'s change shows on (see the module's docstring). ``comment_removed``
    covers deleted, rejected and spam, and adds the page after the thread's last (a removal can
    shorten a split thread by one). A few queries: the page, the thread's pages, the count's pages.

    The thread's ``{comment id: page}`` map read here is left on the comment as ``thread_pages``,
    so the link the author is sent to (:func:`~pressclub.comments.thread.comment_link`) needs no
    second read of it."""
    page = comment.page.specific
    numbers = comment_pages([page.pk]).get(page.pk, {})
    comment.thread_pages = numbers
    thread = _thread_pages(page, extra=1 if event == "comment_removed" else 0, numbers=numbers)
    urls = page_urls(page) | thread | _feed_urls(page)
    return PurgeList(urls=frozenset(urls), reason=event) | purge_list("comment_count_changed", page=page)


@purge_list_contributor("story_published", "story_edited", "story_moved", "story_unpublished")
def story_comments_purge_list(event: str, *, page, **facts) -> PurgeList:
    """Return the comment feeds and later thread pages that show ``page`` when it has approved comments."""
    if not Comment.objects.approved().filter(page_id=page.pk).exists():
        return PurgeList(reason=event)
    return PurgeList(urls=frozenset(_feed_urls(page) | _thread_pages(page)), reason=event)


def member_comment_page_ids(user_id: int) -> list[int]:
    """Return the ids of the pages where account ``user_id`` has approved comments, ascending (one
    query). Comments its author deleted count: a deep reply below one still names it ("in reply to")."""
    rows = Comment.objects.approved().filter(user_id=user_id).order_by("page_id")
    return list(rows.values_list("page_id", flat=True).distinct())


@purge_list_contributor("member_renamed")
def member_comments_purge_list(event: str, *, user_id: int) -> PurgeList:
    """Return the URLs that show account ``user_id``'s name beside an approved comment: each page with
    one, that page's later thread pages (``?comments=2`` …) and comment feeds, and the site's comment
    feeds. Counts do not change, so the front page's "Most commented" stays.

    A fixed number of queries however many pages: their ids, every thread's ``{comment id: page}``
    map (:func:`~pressclub.comments.thread.comment_pages`, one query for all), and the pages (one
    query, plus one per page type). Empty for an account without approved comments, or none left.
    """
    return _pages_with_comments(event, member_comment_page_ids(user_id))[0]


@purge_list_contributor("member_left")
def left_member_purge_list(event: str, *, page_ids) -> PurgeList:
    """Return the URLs that showed a deleted account's approved comments, on the pages ``page_ids``
    (read before the account went): each page, its later thread pages (one more past the last: the
    thread may have shortened) and comment feeds, the site's comment feeds, and wherever each page's
    comment count shows (a removed comment lowers it). Queries as ``member_renamed``'s, plus the
    comment counts' own."""
    purged, pages = _pages_with_comments(event, page_ids, extra=1)
    for page in pages:
        purged |= purge_list("comment_count_changed", page=page)
    return PurgeList(urls=purged.urls, reason=event, scopes=purged.scopes)


def _pages_with_comments(event: str, page_ids, *, extra: int = 0) -> tuple[PurgeList, list]:
    """Return the URLs of the pages ``page_ids`` with their later thread pages (and ``extra`` more past
    the last) and comment feeds, plus the site's comment feeds, and the pages read (specific). A fixed
    number of queries: every thread's ``{comment id: page}`` map, the pages (one query, plus one per
    page type)."""
    page_ids = sorted(set(page_ids))
    if not page_ids:
        return PurgeList(reason=event), []
    numbers = comment_pages(page_ids)
    urls: set[str] = set()
    pages = list(Page.objects.filter(pk__in=page_ids).defer_streamfields().specific())
    for page in pages:
        urls |= page_urls(page) | _thread_pages(page, extra=extra, numbers=numbers.get(page.pk, {})) | _feed_urls(page)
    return PurgeList(urls=frozenset(urls), reason=event), pages

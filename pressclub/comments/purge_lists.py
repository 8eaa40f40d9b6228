"""The pages a comment shows on, for :func:`pressclub.core.purge_lists.purge_list`.

An approved comment shows on its page (each page of the thread when a long one is split: they
shift when a reply lands in an earlier one), in the page's comment feeds (RSS and Atom), in the
site's comment feeds, and wherever the page's comment count shows (the news app answers for that:
the front page's "Most commented"). A story change also reaches the comment feeds, whose items
name the page, and the thread's later pages, which show the story.
"""

from __future__ import annotations

from django.urls import reverse

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

"""What a change purges: the exact URLs it shows on, and the interface languages each is cached in.

One function, :func:`purge_list`, answers for every change: ``purge_list("comment_approved",
comment=c)`` → a :class:`PurgeList` of absolute URLs. The site's page cache, the nginx front and a
CDN all purge from that one list (:mod:`pressclub.core.purge`).

The apps that know the pages answer for them, so this module stays on the ground floor (it imports
no feature app): each registers *contributors* for the events it knows with
:func:`purge_list_contributor` (the news app for stories: front page, section, labels, authors,
feeds, archive, sitemaps, corrections; the comments app for comments, for what a story change
does to its comment feeds and thread pages, and for a member's new name on the pages of their
comments), and :func:`purge_list` unites their answers.

Every URL is cached once per interface language (``LANGUAGES``: the page cache keys by
``get_language()``, the shipped nginx front by the reader's language and by the site's default as
well) and per encoding (br, gzip, identity): :attr:`PurgeList.keys`. A CDN cannot key by language, so it
is sent the URLs alone and must pass readers with a language cookie to the site (README, "Scaling").

A few changes show on every page and rightly purge everything (:data:`EVERYTHING_EVENTS`): the
section menu, the site identity or the Site itself, a page's view restriction, and a breaking-news
banner starting or ending (a story whose banner runs, or ran until the change, included).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

#: Changes that every page shows, with why: these purge every cached page.
EVERYTHING_EVENTS = {
    "section_menu_changed": "a section was added, published, unpublished, renamed, moved or deleted: "
                            "every page shows the section menu",
    "site_identity_changed": "the site's name, logo or default language changed: every page shows them",
    "site_settings_changed": "a site-wide setting every page shows changed (the comment policy)",
    "site_changed": "a Site was saved or deleted: host, port and root page decide every URL",
    "view_restriction_changed": "a page's view restriction changed: listings and feeds must hide or show it",
    "breaking_news_started": "a breaking-news banner started: it tops every page",
    "breaking_news_ended": "a breaking-news banner ended: it leaves every page",
}
#: Changes answered with a list of URLs.
STORY_EVENTS = ("story_published", "story_edited", "story_moved", "story_unpublished")
COMMENT_EVENTS = ("comment_approved", "comment_edited", "comment_removed")
PAGE_EVENTS = ("page_published", "page_unpublished", "comment_count_changed")
#: Changes to an account that show where its comments do. ``member_renamed``: the name a member's
#: comments are signed with (``User.public_name``) changed, from their profile or in the admin; every
#: page with their approved comments shows it, with its comment feeds and the site's.
#: ``member_left``: an account was deleted, its comments kept as a former member's or removed; the
#: pages they were on show that, and their comment counts may change.
MEMBER_EVENTS = ("member_renamed", "member_left")
#: Every change answered with a list of URLs (by the contributors registered for it).
LIST_EVENTS = STORY_EVENTS + COMMENT_EVENTS + PAGE_EVENTS + MEMBER_EVENTS


@dataclass(frozen=True)
class PurgeList:
    """The URLs one change shows on (absolute, with their query), or ``everything``.

    ``scopes`` name small cached values that the change also renews (``"stories"``: the related
    stories under each article, see ``core.cache.cached_until_purge``). ``reason`` is the event, or
    why everything goes. Lists are united with ``|``; a list that is ``everything`` absorbs the
    other.
    """

    urls: frozenset[str] = frozenset()
    everything: bool = False
    reason: str = ""
    scopes: frozenset[str] = field(default_factory=frozenset)

    def __or__(self, other: PurgeList) -> PurgeList:
        if self.everything or other.everything:
            chosen = self if self.everything else other
            return PurgeList(everything=True, reason=chosen.reason)
        return PurgeList(
            urls=self.urls | other.urls, reason=self.reason or other.reason, scopes=self.scopes | other.scopes
        )

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the interface languages each URL is cached in (codes of ``LANGUAGES``, in order)."""
        return tuple(code for code, _name in settings.LANGUAGES)

    @property
    def sorted_urls(self) -> list[str]:
        """Return the URLs in alphabetical order."""
        return sorted(self.urls)

    @property
    def keys(self) -> list[tuple[str, str]]:
        """Return ``(url, language)`` for each URL and each language it is cached in, sorted: what the
        page cache and the nginx front each keep once Brotli-compressed, once gzipped and once plain. Empty for everything."""
        return [(url, language) for url in self.sorted_urls for language in self.languages]


def everything(reason: str) -> PurgeList:
    """Return the list that purges every cached page, for ``reason`` (a key of :data:`EVERYTHING_EVENTS`
    or a sentence)."""
    return PurgeList(everything=True, reason=reason)


_contributors: dict[str, list] = defaultdict(list)


def purge_list_contributor(*events: str):
    """Register the decorated function as answering for ``events`` (of :data:`STORY_EVENTS`,
    :data:`COMMENT_EVENTS`, :data:`PAGE_EVENTS`, :data:`MEMBER_EVENTS`).

    The function is called as ``function(event, **facts)`` and returns a :class:`PurgeList`.
    Registering the same function twice is a no-op. Raise ValueError for an unknown event.
    """
    for event in events:
        if event not in LIST_EVENTS:
            raise ValueError(f"Unknown change {event!r}: purge lists answer for {LIST_EVENTS}.")

    def register(function):
        for event in events:
            if function not in _contributors[event]:
                _contributors[event].append(function)
        return function

    return register


def purge_list(event: str, **facts) -> PurgeList:
    """Return what ``event`` purges: the union of its contributors' lists, or everything.

    ``event`` is one of :data:`EVERYTHING_EVENTS` (no facts needed), :data:`STORY_EVENTS` (``page``,
    the ArticlePage; ``story_moved`` also takes ``url_path_before`` and ``parent_before``),
    :data:`COMMENT_EVENTS` (``comment``), :data:`PAGE_EVENTS` (``page``, any other page type), or
    :data:`MEMBER_EVENTS` (``member_renamed``: ``user_id``, the account's primary key; ``member_left``:
    ``page_ids``, the pages where the deleted account had approved comments, read before it went).
    Raise ValueError for an unknown event; a missing fact raises TypeError from the contributor.
    """
    if event in EVERYTHING_EVENTS:
        return everything(event)
    if event not in LIST_EVENTS:
        raise ValueError(f"Unknown change {event!r}.")
    result = PurgeList(reason=event)
    for contributor in _contributors[event]:
        result = result | contributor(event, **facts)
        if result.everything:
            return result
    return result


def page_urls(page, *, query: str = "") -> set[str]:
    """Return the absolute URLs a Wagtail page is served at (one per site it belongs to; Wagtail's
    ``get_url_parts``), each with ``query`` (``"comments=2"``) when given. Empty for a page that no
    site serves."""
    from django.utils.encoding import iri_to_uri

    parts = page.get_url_parts()
    if not parts or parts[1] is None or parts[2] is None:
        return set()
    url = iri_to_uri(parts[1] + parts[2])
    return {f"{url}?{query}" if query else url}


def site_url(page, path: str) -> set[str]:
    """Return ``path`` (a site-relative URL such as ``/feeds/rss/``) made absolute on ``page``'s site,
    as a set of one URL (none when no site serves the page)."""
    from django.utils.encoding import iri_to_uri

    parts = page.get_url_parts()
    if not parts or parts[1] is None:
        return set()
    return {iri_to_uri(parts[1].rstrip("/") + path)}

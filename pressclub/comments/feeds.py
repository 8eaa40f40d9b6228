"""RSS 2.0 and Atom feeds of approved comments: the whole site, and one page.

Built on Django's syndication framework (which escapes every field once for XML). The description
is the comment's ``body_html``, sanitised by nh3 when it was stored, with e-mail addresses masked; RSS titles (the commenter's
name and the page's title, plain text) go through :class:`~pressclub.core.feeds.RssFeed`. Only approved,
undeleted comments on live, public pages are fed; pending, rejected and spam ones never are.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction

from pressclub.core.feeds import RssFeed
from pressclub.core.models import CommentState
from pressclub.core.routing import site_for_request
from pressclub.core.text import strip_control_chars

from .models import Comment
from .policy import CommentPolicy
from .thread import comment_link, comment_pages


def _items_limit() -> int:
    return settings.PRESSCLUB_FEED_ITEMS


class SiteCommentsFeed(Feed):
    """The newest approved comments on the site's live public pages, as RSS 2.0 (``obj`` is the request)."""

    feed_type = RssFeed

    def get_object(self, request, *args, **kwargs):
        return {"request": request, "page": None}

    def _site(self, obj):
        return site_for_request(obj["request"])

    def title(self, obj):
        site = self._site(obj)
        return strip_control_chars(_("Comments — %(site)s") % {"site": site.site_name if site and site.site_name else "pressclub"})

    def description(self, obj):
        return _("The newest readers' comments.")

    subtitle = description

    def link(self, obj):
        return "/"

    def feed_url(self, obj):
        return obj["request"].path

    def _shown(self, obj):
        """Return the approved, undeleted comments on the site's live public pages (a join on the page,
        not ``page IN (…)``, so the planner reads the newest from the ``comment_shown_newest`` index
        and stops at the feed's length instead of sorting every comment of every page)."""
        comments = Comment.objects.approved().filter(is_deleted=False, page__live=True)
        site = self._site(obj)
        if site:
            root = site.root_page
            comments = comments.filter(page__path__startswith=root.path, page__depth__gte=root.depth)
        for restricted in PageViewRestriction.objects.select_related("page").order_by():
            comments = comments.exclude(page__path__startswith=restricted.page.path)
        return comments

    def items(self, obj):
        comments = self._shown(obj)
        return self._with_thread_pages(
            list(comments.select_related("user", "page").order_by("-created_at", "-pk")[: _items_limit()]),
            obj["request"],
        )

    @staticmethod
    def _with_thread_pages(items, request):
        """Give each comment ``thread_pages``, its page's ``{comment id: thread page}`` (one query),
        and ``feed_request``, so that its page's URL comes from the request's site root paths."""
        pages = comment_pages({item.page_id for item in items}) if items else {}
        for item in items:
            item.thread_pages = pages.get(item.page_id, {})
            item.feed_request = request
        return items

    def item_title(self, item):
        return strip_control_chars(f"{item.display_name} on “{item.page.title}”")

    def item_description(self, item):
        return strip_control_chars(item.public_html)

    def item_link(self, item):
        return comment_link(item.page.get_url(request=item.feed_request), item, item.thread_pages)

    def item_guid(self, item):
        return f"comment-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return strip_control_chars(item.display_name)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at


class SiteCommentsAtomFeed(SiteCommentsFeed):
    """The site's comment feed as Atom 1.0."""

    feed_type = Atom1Feed


class PageCommentsFeed(SiteCommentsFeed):
    """The approved comments on one live public page, newest first, as RSS 2.0."""

    def get_object(self, request, page_id):
        page = Page.objects.live().public().filter(pk=page_id).first()
        if page is None:
            raise Http404("No such page.")
        page = page.specific
        if CommentPolicy.for_page(page, request=request).state == CommentState.HIDDEN:
            raise Http404("This page shows no comments.")
        return {"request": request, "page": page}

    def title(self, obj):
        return strip_control_chars(_("Comments on “%(title)s”") % {"title": obj["page"].title})

    def description(self, obj):
        return strip_control_chars(_("Readers' comments on “%(title)s”.") % {"title": obj["page"].title})

    subtitle = description

    def link(self, obj):
        return obj["page"].get_url(request=obj["request"])

    def items(self, obj):
        comments = Comment.objects.approved().for_page(obj["page"]).filter(is_deleted=False)
        return self._with_thread_pages(
            list(comments.select_related("user", "page").order_by("-created_at", "-pk")[: _items_limit()]),
            obj["request"],
        )


class PageCommentsAtomFeed(PageCommentsFeed):
    """One page's comment feed as Atom 1.0."""

    feed_type = Atom1Feed

"""RSS 2.0 and Atom feeds of published articles: the whole site, a section, a label, an author.

Built on Django's syndication framework, which escapes every value once for XML and percent-encodes
Unicode links (``iri_to_uri``). Every text field is stripped of XML-invalid control characters first.
An item's description is HTML to every reader (RSS ``<description>``, Atom ``<summary type="html">``),
so the dek, which is plain text, is HTML-escaped into it, followed by one ``<p>`` per correction or
update of the story (its reader line, as under the story: "Corrected on 6 December 2026: …"); RSS titles go through
:class:`~pressclub.core.feeds.RssFeed` (Atom titles are text by the format). A wire story's item
credits its outlet and links to the original (``<source>`` and ``rel="via"``, see
:func:`~pressclub.core.feeds.source_credit`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from pressclub.core.feeds import AtomFeed, CreditingRssFeed, source_credit
from pressclub.core.links import absolute_url
from pressclub.core.routing import site_for_request
from pressclub.core.text import strip_control_chars
from pressclub.people.models import Author

from .masthead import masthead
from .models import ArticleAuthor, ArticleCorrection, ArticlePage, Label, SectionPage
from .seo import site_identity


@dataclass
class FeedScope:
    """What a feed is about: the request (feeds are shared instances, so it cannot live on them)
    and the section, label or author (None for the whole site)."""

    request: object
    target: object = None


class ArticleFeed(Feed):
    """The newest ``PRESSCLUB_FEED_ITEMS`` published articles of the site, as RSS 2.0.

    Every method receives a :class:`FeedScope` as ``obj``; subclasses narrow the articles with
    :meth:`filter_items` and name the scope with :meth:`scope_title`.
    """

    feed_type = CreditingRssFeed

    def get_object(self, request, *args, **kwargs):
        site_for_request(request)  # the site and its root paths, for every page URL the feed gives
        return FeedScope(request=request, target=self.get_target(**kwargs))

    def get_target(self, **kwargs):
        return None

    def scope_title(self, target) -> str:
        return ""

    def title(self, obj):
        name = masthead(obj.request)["identity"]["name"]
        scope = self.scope_title(obj.target)
        return strip_control_chars(f"{scope} — {name}" if scope else name)

    def description(self, obj):
        identity = masthead(obj.request)["identity"]
        return strip_control_chars(identity["tagline"] or _("Latest stories from %(site)s") % {"site": identity["name"]})

    subtitle = description  # Atom's name for it

    def link(self, obj):
        return "/"

    def feed_url(self, obj):
        return obj.request.path

    def filter_items(self, queryset, obj):
        site = site_for_request(obj.request)
        return queryset.descendant_of(site.root_page, inclusive=True) if site else queryset

    def items(self, obj):
        queryset = self.filter_items(ArticlePage.objects.published().defer_streamfields(), obj)
        items = list(
            queryset.prefetch_related(
            Prefetch("byline_links", queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order", "pk")),
                "labels",
                "corrections",
            )[: settings.PRESSCLUB_FEED_ITEMS]
        )
        # The item_* methods get only the item; give each one the request for its URL.
        for item in items:
            item.feed_request = obj.request
        return items

    def item_title(self, item):
        return strip_control_chars(item.title)

    def item_description(self, item):
        # The dek and the corrections are plain text; the element they go into is HTML.
        parts = [escape(strip_control_chars(item.dek))] if item.dek else []
        parts += [f"<p>{escape(strip_control_chars(c.reader_line()))}</p>" for c in item.get_corrections()]
        return "\n".join(parts)

    def item_link(self, item):
        return item.get_url(request=item.feed_request)

    def item_guid(self, item):
        return absolute_url(self.item_link(item), request=item.feed_request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        names = [link.author.name for link in item.byline_links.all()]
        return strip_control_chars(", ".join(names)) or None

    def item_categories(self, item):
        return [strip_control_chars(label.name) for label in item.labels.all()]

    def item_extra_kwargs(self, item):
        # A wire story credits its outlet and links to the original (see core.feeds.source_credit).
        return source_credit(strip_control_chars(item.source_outlet), item.original_url)


class ArticleAtomFeed(ArticleFeed):
    """The site's articles as Atom 1.0."""

    feed_type = AtomFeed


class SectionFeed(ArticleFeed):
    """A section's articles. Raise Http404 for an unknown or unpublished section."""

    def get_target(self, slug):
        return get_object_or_404(SectionPage.objects.live().public(), slug=slug)

    def scope_title(self, target):
        return target.title

    def link(self, obj):
        return obj.target.get_url(request=obj.request)

    def filter_items(self, queryset, obj):
        return queryset.child_of(obj.target)


class SectionAtomFeed(SectionFeed):
    feed_type = AtomFeed


class LabelFeed(ArticleFeed):
    """The articles carrying a label. Raise Http404 for an unknown label."""

    def get_target(self, slug):
        return get_object_or_404(Label, slug=slug)

    def scope_title(self, target):
        return _("Label: %(label)s") % {"label": target.name}

    def link(self, obj):
        return reverse("label_detail", kwargs={"slug": obj.target.slug})

    def filter_items(self, queryset, obj):
        return super().filter_items(queryset, obj).filter(label_links__tag=obj.target)


class LabelAtomFeed(LabelFeed):
    feed_type = AtomFeed


class AuthorFeed(ArticleFeed):
    """The articles with an author in their byline. Raise Http404 for an unknown author."""

    def get_target(self, slug):
        return get_object_or_404(Author, slug=slug)

    def scope_title(self, target):
        return target.name

    def link(self, obj):
        return obj.target.get_absolute_url()

    def filter_items(self, queryset, obj):
        return super().filter_items(queryset, obj).filter(byline_links__author=obj.target)


class AuthorAtomFeed(AuthorFeed):
    feed_type = AtomFeed


class CorrectionFeed(Feed):
    """The site's newest ``PRESSCLUB_FEED_ITEMS`` corrections (``/corrections/``), as RSS 2.0.

    Each item is one correction: titled "Correction: " and the story's headline, linked to the
    correction under the story (``#correction-<id>``), its description the reader line ("Corrected
    on 6 December 2026: …", or the withdrawal), dated by the correction and updated by its edit
    or withdrawal.
    """

    feed_type = CreditingRssFeed

    def get_object(self, request, *args, **kwargs):
        return FeedScope(request=request)

    def title(self, obj):
        return strip_control_chars(f"{_('Corrections')} — {site_identity(obj.request)['name']}")

    def description(self, obj):
        name = site_identity(obj.request)["name"]
        return strip_control_chars(_("Every correction to the stories of %(site)s") % {"site": name})

    subtitle = description

    def link(self, obj):
        return reverse("corrections")

    def feed_url(self, obj):
        return obj.request.path

    def items(self, obj):
        items = list(ArticleCorrection.objects.on_site(site_for_request(obj.request))[: settings.PRESSCLUB_FEED_ITEMS])
        for item in items:
            item.feed_request = obj.request
        return items

    def item_title(self, item):
        return strip_control_chars(f"{_('Correction')}: {item.page.title}")

    def item_description(self, item):
        return f"<p>{escape(strip_control_chars(item.reader_line()))}</p>"

    def item_link(self, item):
        return f"{item.page.get_url(request=item.feed_request)}#correction-{item.pk}"

    def item_guid(self, item):
        return absolute_url(self.item_link(item), request=item.feed_request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.withdrawn_at or item.updated_at or item.published_at


class CorrectionAtomFeed(CorrectionFeed):
    feed_type = AtomFeed

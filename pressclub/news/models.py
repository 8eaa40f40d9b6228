"""The newsroom's page types: the front page, sections and articles (own and wire), and labels."""

import re
import unicodedata

from django.conf import settings
from django.db import connections, models
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from pressclub.core.blocks import StoryStreamBlock
from pressclub.core.cache import CacheablePageMixin
from pressclub.core.html_images import html_library_images
from pressclub.core.links import absolute_url
from pressclub.core.models import CommentPolicyOverride, UnicodeSlugPage
from pressclub.core.pagination import ListingPaginator
from pressclub.core.renditions import COLUMN_SIZES, image_renditions_get, jpeg_renditions, reader_picture
from pressclub.core.restrictions import CachedPublicPageQuerySet
from pressclub.core.sanitize import sanitize_html
from pressclub.core.text import slugify, strip_control_chars

from . import seo
from .counts import section_story_count
from .forms import ArticlePageForm
from .models_corrections import ArticleCorrection, CorrectionKind, CorrectionsPanel  # noqa: F401
from .related import related_stories

# The lead image spans the reading column (``core.renditions.COLUMN_SIZES``).
LEAD_IMAGE_SIZES = COLUMN_SIZES

LANGUAGES = [("en", "English"), ("ne", "Nepali"), ("hi", "Hindi"), ("bn", "Bengali")]


class LabelQuerySet(models.QuerySet):
    """Queries over labels."""

    def in_use(self, *, newest: int | None = None):
        """Return labels on at least one published article, most used first, annotated ``article_count``.

        With ``newest``, only the ``newest`` most recently published articles are counted (the
        front page's labels: what the newsroom writes about now; counting every article of a
        100,000-story archive took a third of a second).
        """
        published = ArticlePage.objects.published().order_by().values("pk")
        if newest is not None:
            published = published.order_by("-first_published_at", "-pk")[:newest]
        return (
            self.filter(tagged_articles__content_object__in=published)
            .annotate(article_count=models.Count("tagged_articles"))
            .order_by("-article_count", "name")
        )


def label_key(text: str) -> str:
    """Return the key under which label names and slugs compare equal: NFC, case-folded, without
    spaces, hyphens and underscores ("Press Freedom", "press-freedom", "PRESS_freedom" → "pressfreedom").

    The Blogger importer merges labels by this key, and old label URLs are matched by it, so one
    key finds one label.
    """
    return re.sub(r"[\s\-_]+", "", unicodedata.normalize("NFC", text).casefold())


class Label(TagBase):
    """A label (tag) on articles, as Blogger calls them. Slugs keep every script intact."""

    free_tagging = True

    objects = LabelQuerySet.as_manager()

    class Meta:
        verbose_name = "label"
        verbose_name_plural = "labels"

    def slugify(self, tag, i=None):
        slug = slugify(tag, fallback="label")
        return f"{slug}-{i}" if i is not None else slug


class ArticleLabel(TaggedItemBase):
    """Link from an article to one of its labels."""

    tag = models.ForeignKey(Label, related_name="tagged_articles", on_delete=models.CASCADE)
    content_object = ParentalKey("news.ArticlePage", related_name="label_links", on_delete=models.CASCADE)

    class Meta:
        # A label page reads its stories' ids from this index alone (tag first, then the article).
        indexes = [models.Index(fields=["tag", "content_object"], name="news_label_tag_article")]


# Shown 96 × 72 px (4:3); 192 × 144 for 2× screens; AVIF and WebP with a JPEG fallback. At 96 CSS px
# a lower quality than the lead image's cannot be told apart on a phone (AVIF 40 against Wagtail's 61:
# about 1.0 KB instead of 1.4 KB a thumbnail at 192 × 144, and a front page shows a dozen).
THUMBNAIL_QUALITY = {"avif": "avifquality-40", "webp": "webpquality-60", "jpeg": "jpegquality-60"}
THUMBNAIL_SPECS = tuple(
    f"fill-{size}|format-{fmt}|{THUMBNAIL_QUALITY[fmt]}"
    for fmt in ("avif", "webp", "jpeg")
    for size in ("96x72", "192x144")
)
THUMBNAIL_ATTRS = {"class": "thumb", "alt": "", "sizes": "96px", "loading": "lazy", "decoding": "async"}


def attach_thumbnails(stories, *, images=None) -> None:
    """Give each story with a lead image ``thumbnail``, a Wagtail ``Picture`` (``<picture>`` with AVIF
    and WebP sources, a JPEG ``<img>`` 96 × 72 with its 2× width, lazy); None for the others.

    Two queries whatever the number of stories (the images, then their renditions of
    ``THUMBNAIL_SPECS``), plus one write per rendition not yet made (publishing makes them ahead,
    ``thumbnail_renditions_make``); none when ``images`` (``{pk: Image}`` with renditions
    prefetched, :func:`images_with_renditions`) holds them already.
    """
    from wagtail.images import get_image_model
    from wagtail.images.models import Picture

    if images is None:
        ids = {story.lead_image_id for story in stories if story.lead_image_id}
        images = (
            get_image_model().objects.filter(pk__in=ids).prefetch_renditions(*THUMBNAIL_SPECS).in_bulk() if ids else {}
        )
    for story in stories:
        image = images.get(story.lead_image_id)
        story.thumbnail = None
        if image is not None:
            try:
                found = image_renditions_get(image, *THUMBNAIL_SPECS)
            except OSError:  # a missing or damaged original: the story is listed without a picture
                continue
            story.thumbnail = Picture({spec: found[spec] for spec in THUMBNAIL_SPECS}, THUMBNAIL_ATTRS)


def thumbnail_renditions_make(image) -> int:
    """Make ``image``'s front-page thumbnail renditions still missing; return how many it has."""
    return len(image_renditions_get(image, *THUMBNAIL_SPECS))


class HomePage(CacheablePageMixin, UnicodeSlugPage):
    """The front page: lead story, latest stories per section, most-commented, labels."""

    lead_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty to lead with the newest story.",
    )
    intro = models.TextField(blank=True)

    content_panels = UnicodeSlugPage.content_panels + [FieldPanel("lead_story"), FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "core.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "front page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = ArticlePage.objects.descendant_of(self).published().defer_streamfields()
        per_section = settings.PRESSCLUB_HOME_STORIES_PER_SECTION
        # The newest stories of every section in one query: one more than shown, in case the lead is among them.
        section_list = self.get_sections(request)
        newest = newest_per_section(stories, sections=section_list, parent_depth=self.depth + 1, limit=per_section + 1)
        lead = self.lead_story if self.lead_story_id else None
        if lead is None or not lead.live:
            lead = newest[0] if newest else None
        listed = {section.path: [] for section in section_list}
        for story in newest:
            shown = listed.get(story.path[: -story.steplen])
            if shown is not None and len(shown) < per_section and (lead is None or story.pk != lead.pk):
                shown.append(story)
        images = images_with_renditions(
            [story.lead_image_id for stories_ in listed.values() for story in stories_]
            + ([lead.lead_image_id] if lead is not None else [])
        )
        context["lead_story"] = lead
        # The link around it is hidden from screen readers (the headline links too): alt only if written.
        picture = None
        if lead is not None:
            if lead.lead_image_id in images:
                lead.lead_image = images[lead.lead_image_id]
            picture = lead.get_lead_picture(alt=lead.lead_image_alt, **{"class": "lead-img"})
        context["lead_picture"] = picture
        context["stories"] = stories  # for lists built from them in templates ("Most commented")
        sections = [(section, listed[section.path]) for section in section_list]
        attach_thumbnails([story for _, shown in sections for story in shown], images=images)
        context["section_stories"] = sections
        context["labels"] = Label.objects.in_use(newest=settings.PRESSCLUB_HOME_LABEL_STORIES)[
            : settings.PRESSCLUB_HOME_LABELS
        ]
        context["feed_rss"] = reverse("feed_rss")
        context["feed_atom"] = reverse("feed_atom")
        return context

    def get_sections(self, request):
        """Return the live, public sections under this front page, in tree order (list of SectionPage).

        The masthead's cached list (:func:`pressclub.news.masthead.masthead`) when this page is the
        request's site root, else one query.
        """
        from .masthead import masthead

        sections = masthead(request)["sections"] if request is not None else []
        if sections and sections[0].path[: -sections[0].steplen] == self.path:
            return sections
        return list(SectionPage.objects.child_of(self).live().public().order_by("path"))


def newest_per_section(stories, *, sections, parent_depth: int, limit: int) -> list:
    """Return the newest of ``stories`` (an ArticlePage queryset): the ``limit`` newest under each of
    ``sections`` (pages at ``parent_depth``) and the newest story of all, newest first, each once.

    One query whatever the number of sections. On PostgreSQL a ``UNION ALL`` of one
    ``ORDER BY first_published_at DESC LIMIT n`` per section (its stories at any depth), each read from the newest end of the
    publication-date index (39 ms at 100,000 stories where the window below took seconds); where
    the database cannot limit the parts of a UNION (SQLite), a ``ROW_NUMBER()`` window partitioned
    by the parent's tree path.
    """
    newest_first = ("-first_published_at", "-pk")
    if sections and connections[stories.db].features.supports_slicing_ordering_in_compound:
        parts = [stories.descendant_of(section).order_by(*newest_first)[:limit] for section in sections]
        rows = stories.order_by(*newest_first)[:1].union(*parts, all=True).order_by(*newest_first)
    else:
        parent_path = Substr("path", 1, parent_depth * Page.steplen)
        ranked = stories.annotate(
            rank_in_section=Window(
                RowNumber(), partition_by=[parent_path], order_by=[F("first_published_at").desc(), F("pk").desc()]
            )
        )
        rows = ranked.filter(rank_in_section__lte=limit).order_by(*newest_first)
    # The window ranks every parent's stories, listed sections or not: keep what the UNION gives
    # (the newest of all, then the sections' own), each once.
    steplen = Page.steplen
    listed = {section.path for section in sections}
    out, seen = [], set()
    for story in rows:
        if story.pk not in seen and (not out or story.path[: parent_depth * steplen] in listed):
            seen.add(story.pk)
            out.append(story)
    return out


def images_with_renditions(ids) -> dict:
    """Return ``{pk: Image}`` of the images ``ids`` (None and repeats ignored), each with every rendition
    it has prefetched. Two queries whatever the number of images; none without one."""
    from wagtail.images import get_image_model

    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return get_image_model().objects.filter(pk__in=wanted).prefetch_renditions().in_bulk()


class SectionPage(CacheablePageMixin, UnicodeSlugPage):
    """A section (Local, Hills, India, World, Opinion): lists its articles newest first, paginated."""

    intro = models.TextField(blank=True)

    content_panels = UnicodeSlugPage.content_panels + [FieldPanel("intro")]
    search_fields = UnicodeSlugPage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    objects = PageManager.from_queryset(CachedPublicPageQuerySet)()

    class Meta:
        verbose_name = "section"

    def get_articles(self):
        """Return this section's live, public articles, newest first (bodies not loaded)."""
        return ArticlePage.objects.child_of(self).published().defer_streamfields()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = ListingPaginator(self.get_articles(), count=lambda: section_story_count(self))
        context["articles"] = paginator.get_page(request.GET.get("page"))
        context["feed_rss"] = reverse("section_feed_rss", kwargs={"slug": self.slug})
        context["feed_atom"] = reverse("section_feed_atom", kwargs={"slug": self.slug})
        return context


class ArticlePageQuerySet(CachedPublicPageQuerySet):
    """Queries over articles (``public()`` from the cached restriction list)."""

    def published(self, restricted: tuple[str, ...] | None = None):
        """Return live, public articles, newest first (by first publication time); ``restricted`` is
        the list of restricted paths to go by (default: the cached one, ``core.restrictions``)."""
        return self.live().public(restricted).order_by("-first_published_at", "-pk")


class ArticleAuthor(Orderable):
    """One byline on an article, in the order the editor gave."""

    page = ParentalKey("news.ArticlePage", related_name="byline_links", on_delete=models.CASCADE)
    author = models.ForeignKey("people.Author", related_name="article_links", on_delete=models.CASCADE)

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = "byline"
        constraints = [models.UniqueConstraint(fields=["page", "author"], name="unique_byline_per_article")]
        # An author page reads its stories' ids from this index alone (author first, then the article).
        indexes = [models.Index(fields=["author", "page"], name="news_byline_author_article")]


class ArticlePage(CacheablePageMixin, CommentPolicyOverride, UnicodeSlugPage):
    """A story: the club's own reporting or a syndicated (wire) story republished with credit.

    The headline is the page title. A wire story has ``source_outlet`` and ``original_url`` set;
    its page credits the outlet and points ``<link rel="canonical">`` at the original.
    """

    kicker = models.CharField(max_length=80, blank=True, help_text="A short label above the headline, e.g. ANALYSIS.")
    dek = models.TextField(blank=True, help_text="The summary line under the headline.")
    byline_credit = models.CharField(
        max_length=255, blank=True, help_text='Free text after the bylines, e.g. "with inputs from agencies".'
    )
    dateline = models.CharField(max_length=100, blank=True, help_text="Where the story was filed, e.g. POKHARA.")
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_url = models.URLField(
        max_length=1000, blank=True, help_text="An external lead image (imported wire stories), used when no image is chosen."
    )
    lead_image_alt = models.CharField(max_length=255, blank=True)
    lead_image_caption = models.CharField(max_length=500, blank=True)
    lead_image_credit = models.CharField(max_length=255, blank=True)
    body = StreamField(StoryStreamBlock(), blank=True)
    sign_off = models.CharField(max_length=255, blank=True, help_text="e.g. — Reporting by the Hills desk")
    labels = ClusterTaggableManager(through=ArticleLabel, blank=True, verbose_name="labels")
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the story is updated or corrected; shown as “Updated”."
    )

    source_outlet = models.CharField(max_length=255, blank=True, help_text="Wire stories: the original outlet.")
    original_url = models.URLField(max_length=1000, blank=True, help_text="Wire stories: the canonical original.")
    original_published_at = models.DateTimeField(null=True, blank=True)
    original_bylines = models.CharField(max_length=500, blank=True, help_text="Wire stories: the original bylines.")
    breaking_until = models.DateTimeField(
        _("breaking news until"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "While this time is ahead, a banner with the headline tops every page of the site. "
            "Empty: not breaking news."
        ),
    )
    import_notes = models.TextField(
        blank=True,
        help_text="Wire stories: what the import could not do (no byline found, lead image not copied). Never shown to readers.",
    )

    objects = PageManager.from_queryset(ArticlePageQuerySet)()
    base_form_class = ArticlePageForm
    # Read with the page when it is served (core.routing): the page shows the lead image.
    route_select_related = ("lead_image",)

    content_panels = UnicodeSlugPage.content_panels + [
        FieldPanel("kicker"),
        FieldPanel("dek"),
        MultiFieldPanel(
            [InlinePanel("byline_links", label="Byline"), FieldPanel("byline_credit"), FieldPanel("dateline")],
            heading="Byline and dateline",
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_url"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
        FieldPanel("preeti_text"),
        FieldPanel("sign_off"),
        FieldPanel("labels"),
        MultiFieldPanel(
            [FieldPanel("breaking_hours"), FieldPanel("breaking_until")],
            heading=_("Breaking news"),
        ),
        MultiFieldPanel(
            [CorrectionsPanel("corrections", label=_("Correction or update"))],
            heading=_("Corrections and updates"),
            help_text=_(
                "Readers see each one under the story, in its feed item and on the corrections page. "
                "Deleting a published one withdraws it: the story then says when it was withdrawn."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("import_notes"),
                FieldPanel("source_outlet"),
                FieldPanel("original_url"),
                FieldPanel("original_published_at"),
                FieldPanel("original_bylines"),
            ],
            heading="Syndication (wire stories)",
        ),
    ]
    promote_panels = UnicodeSlugPage.promote_panels + [FieldPanel("language"), FieldPanel("updated_at")]
    settings_panels = UnicodeSlugPage.settings_panels + CommentPolicyOverride.comment_panels

    search_fields = UnicodeSlugPage.search_fields + [
        index.SearchField("kicker"),
        # Ranked below the headline (boost 2) and above the rest (search.backend).
        index.SearchField("dek", boost=1.5),
        index.SearchField("body"),
        index.SearchField("dateline"),
        index.SearchField("source_outlet"),
        index.SearchField("original_bylines"),
        index.RelatedFields("byline_links", [index.RelatedFields("author", [index.SearchField("name")])]),
        index.RelatedFields("labels", [index.SearchField("name")]),
        index.FilterField("language"),
        index.FilterField("first_published_at"),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "article"

    # Text pasted from word processors and wire copy can carry control characters that XML (feeds,
    # the sitemap) cannot hold; editing an article removes them.
    CONTROL_FREE_FIELDS = (
        "title", "seo_title", "search_description", "kicker", "dek", "byline_credit", "dateline",
        "lead_image_alt", "lead_image_caption", "lead_image_credit", "sign_off", "source_outlet", "original_bylines",
    )

    def clean(self):
        super().clean()
        for name in self.CONTROL_FREE_FIELDS:
            setattr(self, name, strip_control_chars(getattr(self, name)))

    @property
    def headline(self) -> str:
        """Return the headline (the page title)."""
        return self.title

    @property
    def is_syndicated(self) -> bool:
        """Return True for a wire story (one that names its source outlet or original URL)."""
        return bool(self.source_outlet or self.original_url)

    @property
    def content_lang_attrs(self) -> str:
        """Return ``' lang="ne" dir="ltr"'`` (safe HTML attributes) for the story's own text, or ``""``.

        The page itself is in the reader's language (``get_language()``: menus, "Published",
        comments, footer); only the headline, dek and body carry the article's ``language``, with
        its direction from Django's language table (``ltr`` for codes Django does not know).
        Empty when the article is in the reader's language.
        """
        page_language = get_language() or settings.LANGUAGE_CODE
        language = self.language or settings.LANGUAGE_CODE
        if language == page_language:
            return ""
        try:
            direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
        except KeyError:
            direction = "ltr"
        return format_html(' lang="{}" dir="{}"', language, direction)

    @property
    def published_at(self):
        """Return when the story was first published here (aware datetime), or now for previews."""
        return self.first_published_at or timezone.now()

    @property
    def modified_at(self):
        """Return the "updated" time: ``updated_at`` when set, else the last publication time."""
        return self.updated_at or self.last_published_at or self.published_at

    def is_breaking(self, now=None) -> bool:
        """Return True while the story is live and its ``breaking_until`` is after ``now`` (default: now)."""
        return bool(self.live and self.breaking_until and self.breaking_until > (now or timezone.now()))

    def get_corrections(self):
        """Return the story's corrections and updates, oldest first (list of ArticleCorrection).

        One query, then kept on the instance (the page, its JSON-LD and its feed item ask again).
        """
        if getattr(self, "_corrections_list", None) is None:
            self._corrections_list = sorted(
                self.corrections.all(), key=lambda c: (c.published_at, c.sort_order or 0, c.pk or 0)
            )
        return self._corrections_list

    def get_sitemap_urls(self, request=None):
        """Return this article's sitemap entry, its lastmod being the "updated" time."""
        return [{"location": self.get_full_url(request), "lastmod": self.modified_at}]

    def lede_summary(self) -> str:
        """Return the body's first paragraph as plain text, at most 160 characters (``core.blocks.lede_text``):
        the meta and link-preview description of a story with no dek or search description (an
        imported post, a wire story without a standfirst)."""
        from pressclub.core.blocks import lede_text

        return lede_text(self.body)

    def get_authors(self):
        """Return the article's authors in byline order (list of Author)."""
        # "pk" breaks ties for bylines saved without a sort_order (code, imports).
        return [link.author for link in self.byline_links.all().select_related("author").order_by("sort_order", "pk")]

    def get_lead_picture(self, **attrs):
        """Return the lead image as a reader ``Picture`` (AVIF, WebP, JPEG; ``core.renditions``), or None.

        One query fetches (or creates) every rendition. The ``<img>`` is never lazy and comes with
        ``fetchpriority="high"``: the lead image is the page's largest paint. ``attrs`` (``alt``,
        ``class``…) are added to or replace the ``<img>``'s.
        """
        if not self.lead_image_id or self.lead_image is None:
            return None
        attrs = {
            "alt": self.lead_image_alt or self.lead_image_caption,
            "sizes": LEAD_IMAGE_SIZES,
            "fetchpriority": "high",
            **attrs,
        }
        return reader_picture(self.lead_image, attrs=attrs)

    def get_lead_renditions(self):
        """Return the lead image's JPEG renditions, narrowest first (list of Rendition), or [] without one."""
        picture = self.get_lead_picture()
        return jpeg_renditions(picture) if picture else []

    def get_rendition_images(self):
        """Return the images this article shows readers: its lead image, then its body's images
        (image blocks, then library images inside HTML blocks, as imported posts hold them)."""
        images = [self.lead_image] if self.lead_image_id and self.lead_image is not None else []
        html = []
        for block in self.body:
            if block.block_type == "image" and block.value.get("image") is not None:
                images.append(block.value["image"])
            elif block.block_type == "html":
                html.append(sanitize_html(str(block.value)))
        images.extend(html_library_images("".join(html)).values())
        return images

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.authors = self.get_authors()
        context["authors"] = self.authors
        context["labels"] = list(self.labels.all())
        context["related"] = related_stories(self, label_ids=[label.pk for label in context["labels"]], request=request)
        context["corrections"] = self.get_corrections()
        context["lead_picture"] = picture = self.get_lead_picture(**{"class": "lead-img"})
        context["lead_renditions"] = renditions = jpeg_renditions(picture) if picture else []
        context["seo"] = {
            "canonical": seo.canonical_url(self, request),
            "own_url": absolute_url(self.get_url(request=request) or "", request=request, page=self),
            "image": seo.lead_image_url(self, request, renditions),
        }
        return context


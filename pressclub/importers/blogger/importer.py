"""Map parsed Blogger entries onto pressclub: articles, standard pages, labels, authors, comments,
redirects from the old URLs. Called through :func:`pressclub.importers.services.blogger_import`."""

from __future__ import annotations

import gc
import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from pressclub.core.html_images import ORIGINALS_DIR
from pressclub.core.models import StandardPage
from pressclub.core.text import slugify, strip_control_chars
from pressclub.news.models import (
    ArticleAuthor,
    ArticleLabel,
    ArticlePage,
    HomePage,
    Label,
    SectionPage,
    label_key,
)
from pressclub.news.tasks import make_article_renditions
from pressclub.people.models import Author

from ..indexing import search_index_deferred
from ..models import ImportedItem
from ..tasks import index_imported_pages
from .bulk import PageDraft, bulk_create_pages
from .comments import save_comment_batch
from .entries import NOT_CONTENT_KINDS, PLACEHOLDER_REASON, is_placeholder, is_placeholder_draft
from .html import body_blocks, close_raw_text, html_to_text, keep_tab_spans, rewrite_image_sources
from .identity import take_site_identity
from .images import import_image, import_inline_image
from .ledger import ImportLedger, label_source_id
from .parser import (
    BloggerBlog,
    BloggerComment,
    BloggerPage,
    BloggerPost,
    MalformedEntry,
    SkippedEntry,
    Source,
    iter_entries,
)
from .report import BloggerImportError, ImportReport

BATCH_SIZE = 100
# A batch is also written once its entries hold this much (characters of HTML plus bytes of inline
# images), so a blog of very large posts never holds more than a few of them at once.
BATCH_CHARS = 8 * 1024 * 1024
DEFAULT_SECTION_TITLE = "From the archive"
DEFAULT_SECTION_SLUG = "archive"


def _fingerprint(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _title(entry: BloggerPost) -> str:
    title = strip_control_chars(entry.title).strip()
    if title and not is_placeholder(title):
        return title[:255]
    words = [] if is_placeholder(entry.content_html) else html_to_text(entry.content_html).split()
    if words:
        return " ".join(words[:10])[:255]
    return "Untitled draft" if not entry.is_live else "Untitled"


@dataclass(frozen=True)
class _Unchanged:
    """Stands for a page an earlier import left as it is (only its pk is needed)."""

    pk: int


class BloggerImporter:
    """One run of the Blogger import. Use :func:`pressclub.importers.services.blogger_import`."""

    def __init__(
        self,
        *,
        section: SectionPage | None = None,
        section_title: str = "",
        fetch_image: Callable[[str], tuple[bytes, str]] | None = None,
        progress: Callable[[int], None] | None = None,
        write_files: bool = True,
    ):
        self.report = ImportReport()
        self.ledger = ImportLedger(report=self.report)
        self.section = section
        self.section_title = section_title
        self.fetch_image = fetch_image
        self.write_files = write_files  # False in a dry run: inline images are counted, not written
        self.progress = progress or (lambda n: None)
        self.home: HomePage | None = None
        self.site: Site | None = None
        self.labels: dict[str, Label] = {}
        self.used_labels: set[int] = set()
        self.authors: dict[str, Author] = {}
        self.used_authors: set[int] = set()
        self.existing_pages: set[int] = set()
        self.to_index: dict[type, list[int]] = defaultdict(list)
        # Live stories showing library images: their reader renditions are made by the worker, once.
        self.to_render: list[int] = []
        self.sibling_slugs: dict[int, set[str]] = {}
        self.comments: dict[str, list[BloggerComment]] = defaultdict(list)
        self.takes_identity = False

    # --- set-up ----------------------------------------------------------------------------------

    def prepare(self, blog: BloggerBlog) -> None:
        """Find (or make) the front page and the section, and load what earlier imports left."""
        self.report.blog = blog
        self.home = HomePage.objects.first()
        created = self.home is None
        if created:
            self.home = self._create_home(blog)
        self.site = Site.objects.filter(root_page=self.home).first()
        # A site made for this export (a new front page, or an empty one) takes the blog's identity.
        self.takes_identity = bool(created or not self.home.get_children().exists())
        if self.takes_identity:
            self._take_identity(title=blog.title, description=blog.description)
        if self.section is None:
            title = self.section_title or DEFAULT_SECTION_TITLE
            self.section = (
                SectionPage.objects.child_of(self.home).filter(title=title).first()
                or SectionPage.objects.child_of(self.home).filter(slug=slugify(title)).first()
            )
            if self.section is None:
                slug = DEFAULT_SECTION_SLUG if not self.section_title else slugify(title, fallback="archive")
                self.section = self.home.add_child(instance=SectionPage(title=title, slug=self._free_slug(self.home, slug)))
        for label in Label.objects.all():
            self.labels.setdefault(label_key(label.name), label)
        self.ledger.load(site=self.site)
        self.existing_pages = set(
            Page.objects.filter(
                pk__in=ImportedItem.objects.from_blogger().filter(kind__in=["post", "page"]).values("object_id")
            ).values_list("pk", flat=True)
        )

    def _create_home(self, blog: BloggerBlog) -> HomePage:
        root = Page.get_first_root_node()
        site = Site.objects.filter(is_default_site=True).first()
        if site is not None and site.root_page.specific_class is not Page:
            raise BloggerImportError(
                "The site has no front page (HomePage) to put the archive under; create one in the admin first."
            )
        title = blog.title or "News"
        home = root.add_child(instance=HomePage(title=title, slug=self._free_slug(root, "home")))
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=title)
        else:
            # Wagtail's placeholder "Welcome" page still fronts the site: the new front page takes over.
            site.root_page = home
            site.save(update_fields=["root_page"])
        return home

    def _take_identity(self, *, title: str, description: str) -> None:
        take_site_identity(home=self.home, site=self.site, title=title, description=description)

    def _free_slug(self, parent: Page, base: str) -> str:
        taken = self.sibling_slugs.get(parent.pk)
        if taken is None:
            taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
            self.sibling_slugs[parent.pk] = taken
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base[:190]}-{n}"
        taken.add(slug)
        return slug

    # --- entries ---------------------------------------------------------------------------------

    def run(self, source: Source) -> ImportReport:
        """Import every entry of ``source``: posts and pages as they stream by, comments at the end
        (Takeout lists comments before their posts).

        New pages of a batch of ``BATCH_SIZE`` entries are created together (see :mod:`.bulk`);
        if that fails, or for pages imported before, each entry is written inside its own savepoint,
        so a failure undoes that entry alone. Comments go in per batch of posts the same way. Each
        batch is one transaction (a commit per entry would spend most of the time syncing to disk).
        """
        chunk: list[BloggerPost] = []
        held = 0
        with disable_reference_index_auto_update(), search_index_deferred([ArticlePage, StandardPage]):
            for item in iter_entries(source):
                if isinstance(item, BloggerBlog):
                    self.prepare(item)
                    continue
                self.progress(1)
                if isinstance(item, SkippedEntry):
                    self.report.ignored[item.kind] = self.report.ignored.get(item.kind, 0) + 1
                    if item.text and self.takes_identity:  # the legacy BLOG_DESCRIPTION setting
                        self._take_identity(title="", description=item.text)
                    if item.kind not in NOT_CONTENT_KINDS:  # an editor must be able to look for it
                        self.ledger.skip(item.id or "(no id)", f"entry of unknown kind {item.kind!r}, not imported")
                elif is_placeholder_draft(item):
                    self.ledger.skip(item.id, PLACEHOLDER_REASON)
                elif isinstance(item, MalformedEntry):
                    self.ledger.skip(item.id, item.reason)
                elif isinstance(item, BloggerComment):
                    self.comments[item.post_id].append(item)
                else:
                    chunk.append(item)
                    held += item.size
                    if len(chunk) >= BATCH_SIZE or held >= BATCH_CHARS:
                        self._import_chunk(chunk)
                        chunk = []
                        if held >= BATCH_CHARS:
                            # The pages just written sit in reference cycles (a page and its label
                            # and byline rows point at each other), which Python frees only at a
                            # full collection: without one, every large post's body would stay in
                            # memory until the end of the run.
                            gc.collect()
                        held = 0
            self._import_chunk(chunk)
            groups = []
            for post_id, comments in self.comments.items():
                page_id = self.ledger.page_of(post_id)
                if page_id is None:
                    for comment in comments:
                        self.ledger.skip(comment.id, f"comment on {post_id}, which was not imported")
                else:
                    groups.append((page_id, comments))
            self.comments.clear()
            for start in range(0, len(groups), BATCH_SIZE):
                save_comment_batch(groups=groups[start:start + BATCH_SIZE], report=self.report)
        self.report.labels = len(self.used_labels)
        self.report.authors = len(self.used_authors)
        return self.report

    def _import_chunk(self, chunk: list[BloggerPost]) -> None:
        with transaction.atomic():
            new = [entry for entry in chunk if self._is_new(entry)]
            rest = [entry for entry in chunk if not self._is_new(entry)]
            if len(new) > 1 and not self.fetch_image:
                try:
                    with self.ledger.entry():
                        drafts = [self._draft(entry) for entry in new]
                        bulk_create_pages(drafts, ledger=self.ledger)
                except Exception:  # one bad entry spoils the batch: redo its entries one by one
                    self.sibling_slugs.clear()  # slugs the batch took are free again
                    rest = chunk
                else:
                    for draft in drafts:
                        self._record_page_entry(draft.entry, draft.page, "created", draft.labels, draft.author,
                                                draft.removed, draft.unclosed)
            else:
                rest = chunk
            for entry in rest:
                self._import_page_entry(entry)
            # Saves above skipped the search and reference indexes (see search_index_deferred):
            # update both for the batch in one background task (run at once by the immediate backend).
            for model, page_ids in self.to_index.items():
                if page_ids:
                    index_imported_pages.enqueue(model._meta.label, page_ids)
            self.to_index.clear()
            for page_id in self.to_render:
                make_article_renditions.enqueue(page_id)
            self.to_render.clear()

    def _import_page_entry(self, entry: BloggerPost) -> None:
        try:
            with self.ledger.entry():
                page, action, labels, author, removed, unclosed = self._save_page_entry(entry)
        except Exception as exc:  # one bad entry is reported and skipped; the rest imports
            self.ledger.skip(entry.id, f"{type(exc).__name__}: {exc}")
            return
        self._record_page_entry(entry, page, action, labels, author, removed, unclosed)

    def _record_page_entry(self, entry: BloggerPost, page, action: str, labels: list[Label],
                           author: Author | None, removed: list[str], unclosed: list[str]) -> None:
        self.ledger.page_written(entry.id, page.pk)
        if action != "unchanged":
            self.to_index[type(page)].append(page.pk)
            if page.live and any(block.block_type == "html" and ORIGINALS_DIR in str(block.value) for block in page.body):
                self.to_render.append(page.pk)
        self.used_labels.update(label.pk for label in labels)
        if author is not None:
            self.used_authors.add(author.pk)
        self.report.count_entry(entry, action=action, label_links=len(labels), removed=removed, unclosed=unclosed)

    def _entry_refs(self, entry: BloggerPost):
        """Return ``(model, parent, labels, author, fingerprint)`` for a post or page entry."""
        is_post = not isinstance(entry, BloggerPage)
        model = ArticlePage if is_post else StandardPage
        parent = self.section if is_post else self.home
        labels = [self._label(name) for name in entry.labels] if is_post else []
        labels = list({label.pk: label for label in labels}.values())
        author = self._author(entry.author.name) if (is_post and entry.author and entry.author.name) else None
        fingerprint = _fingerprint(
            entry.title, entry.content_html, entry.published, entry.updated, entry.status, entry.path,
            [label.pk for label in labels], author.pk if author else None, entry.description,
            bool(self.fetch_image),
        )
        return model, parent, labels, author, fingerprint

    def _page_fields(self, entry: BloggerPost) -> tuple[dict, list[str], list[str]]:
        """Return the page field values of ``entry``, the ``src`` of the players dropped from it and
        the names of the raw-text elements (``script`` …) left unclosed in it (their start tags removed)."""
        html = entry.content_html
        if is_placeholder(html):  # "%%CONTENT%%" under a real title: an empty body
            html = ""
        for image in entry.inline_images.values():
            url = self._inline_image_url(entry, image)
            if url:
                html = html.replace(image.placeholder, url)
        if self.fetch_image:
            html = rewrite_image_sources(html, self._local_image_url)
        html, unclosed = close_raw_text(keep_tab_spans(html))
        blocks, removed = body_blocks(html)
        live = entry.is_live
        fields = {
            "title": _title(entry),
            "body": blocks,
            "search_description": strip_control_chars(entry.description),
            "live": live,
            "has_unpublished_changes": not live,
            "first_published_at": entry.published if live else None,
            "last_published_at": entry.updated if live else None,
            "latest_revision_created_at": entry.updated,
        }
        return fields, removed, unclosed

    def _draft(self, entry: BloggerPost) -> PageDraft:
        """Return the unsaved page of a new ``entry`` with a free slug under its parent."""
        model, parent, labels, author, fingerprint = self._entry_refs(entry)
        fields, removed, unclosed = self._page_fields(entry)
        slug = self._free_slug(parent, slugify(entry.slug or fields["title"], fallback="story"))
        return PageDraft(
            entry=entry, parent=parent, page=model(slug=slug, **fields), fingerprint=fingerprint,
            labels=labels, author=author, removed=removed, unclosed=unclosed,
        )

    def _is_new(self, entry: BloggerPost) -> bool:
        item = self.ledger.mapped(entry.id)
        return item is None or item.object_id not in self.existing_pages

    def _save_page_entry(self, entry: BloggerPost):
        if not self._is_new(entry):
            model, parent, labels, author, fingerprint = self._entry_refs(entry)
            item = self.ledger.mapped(entry.id)
            if item.fingerprint == fingerprint:
                return _Unchanged(item.object_id), "unchanged", labels, author, [], []
            page = model.objects.filter(pk=item.object_id).first()
        else:
            page = None
        if page is None:
            draft = self._draft(entry)
            page = draft.page
            self._set_relations(page, draft.labels, draft.author)
            draft.parent.add_child(instance=page)
            labels, author, fingerprint = draft.labels, draft.author, draft.fingerprint
            removed, unclosed = draft.removed, draft.unclosed
            action = "created"
        else:
            fields, removed, unclosed = self._page_fields(entry)
            for name, value in fields.items():
                setattr(page, name, value)
            self._set_relations(page, labels, author)
            page.save()
            action = "updated"
        if entry.is_live and entry.path:
            self.ledger.redirect(entry.path, page)
        kind = "post" if isinstance(page, ArticlePage) else "page"
        self.ledger.remember(entry.id, kind, page, fingerprint=fingerprint, old_path=entry.path)
        return page, action, labels, author, removed, unclosed

    def _set_relations(self, page, labels: list[Label], author: Author | None) -> None:
        if isinstance(page, ArticlePage):
            page.label_links = [ArticleLabel(tag=label) for label in labels]
            page.byline_links = [ArticleAuthor(author=author)] if author is not None else []

    def _label(self, name: str) -> Label:
        exact = strip_control_chars(unicodedata.normalize("NFC", name)).strip()
        name = exact[:100]
        key = label_key(name)
        label = self.labels.get(key)
        if label is None:
            label = Label.objects.create(name=name)
            self.labels[key] = label
            self.ledger.on_rollback(lambda: self.labels.pop(key, None))
        # Blogger's exact name maps its old /search/label/<name> address to this label (see
        # views.label_redirect): merged spellings each keep theirs, and no lossy slug is involved.
        source_id = label_source_id(exact)
        item = self.ledger.mapped(source_id)
        if item is None or item.object_id != label.pk:
            self.ledger.remember(source_id, "label", label)
        return label

    def _author(self, name: str) -> Author:
        name = strip_control_chars(name).strip()[:255]
        author = self.authors.get(name)
        if author is not None:
            return author
        item = self.ledger.mapped(f"author:{name}")
        if item is not None:
            author = Author.objects.filter(pk=item.object_id).first()
        if author is None:
            author = Author.objects.create(name=name, role="Blogger author")
            self.ledger.remember(f"author:{name}", "author", author)
        self.authors[name] = author
        self.ledger.on_rollback(lambda: self.authors.pop(name, None))
        return author

    def _inline_image_url(self, entry: BloggerPost, image) -> str | None:
        if not self.write_files:
            self.ledger.image_copied()  # a dry run counts what a real run would copy
            return None
        name = f"{slugify(entry.slug or _title(entry), fallback='image')[:60]}-{image.sha256[:12]}.{image.extension}"
        return import_inline_image(image, name=name, title=_title(entry), entry_id=entry.id, ledger=self.ledger)

    def _local_image_url(self, src: str) -> str | None:
        return import_image(src, fetch=self.fetch_image, ledger=self.ledger)

"""Map parsed Blogger entries onto pressclub: articles, standard pages, labels, authors, comments,
redirects from the old URLs. Called through :func:`pressclub.importers.services.blogger_import`."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

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
from pressclub.people.models import Author

from ..indexing import search_index_deferred
from ..models import ImportedItem, ImportSource
from ..tasks import index_imported_pages
from .bulk import bulk_create_pages
from .comments import save_comment_batch
from .html import body_blocks, html_to_text, rewrite_image_sources
from .images import import_image
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
DEFAULT_SECTION_TITLE = "From the archive"
DEFAULT_SECTION_SLUG = "archive"


def _fingerprint(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _title(entry: BloggerPost) -> str:
    title = strip_control_chars(entry.title).strip()
    if title:
        return title[:255]
    words = html_to_text(entry.content_html).split()
    return (" ".join(words[:10]) or "Untitled")[:255]


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
    ):
        self.report = ImportReport()
        self.section = section
        self.section_title = section_title
        self.fetch_image = fetch_image
        self.progress = progress or (lambda n: None)
        self.home: HomePage | None = None
        self.site: Site | None = None
        self.labels: dict[str, Label] = {}
        self.used_labels: set[int] = set()
        self.authors: dict[str, Author] = {}
        self.used_authors: set[int] = set()
        self.entry_pages: dict[str, int] = {}
        self.mapping: dict[str, ImportedItem] = {}
        self.redirects: dict[str, Redirect] = {}
        self.existing_pages: set[int] = set()
        self.to_index: dict[type, list[int]] = defaultdict(list)
        # Cache entries made while importing the current entry, undone if its savepoint rolls back.
        self.undo: list[Callable[[], None]] = []
        self.sibling_slugs: dict[int, set[str]] = {}
        self.comments: dict[str, list[BloggerComment]] = defaultdict(list)

    # --- set-up ----------------------------------------------------------------------------------

    def prepare(self, blog: BloggerBlog) -> None:
        """Find (or make) the front page and the section, and load what earlier imports left."""
        self.report.blog = blog
        self.home = HomePage.objects.first()
        if self.home is None:
            self.home = self._create_home(blog)
        self.site = Site.objects.filter(root_page=self.home).first()
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
        for item in ImportedItem.objects.from_blogger():
            self.mapping[item.source_id] = item
        self.existing_pages = set(
            Page.objects.filter(
                pk__in=ImportedItem.objects.from_blogger().filter(kind__in=["post", "page"]).values("object_id")
            ).values_list("pk", flat=True)
        )
        self.redirects = {r.old_path: r for r in Redirect.objects.filter(site=self.site)}

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
        with disable_reference_index_auto_update(), search_index_deferred([ArticlePage, StandardPage]):
            for item in iter_entries(source):
                if isinstance(item, BloggerBlog):
                    self.prepare(item)
                    continue
                self.progress(1)
                if isinstance(item, SkippedEntry):
                    self.report.ignored[item.kind] = self.report.ignored.get(item.kind, 0) + 1
                elif isinstance(item, MalformedEntry):
                    self.report.skipped.append((item.id, item.reason))
                elif isinstance(item, BloggerComment):
                    self.comments[item.post_id].append(item)
                else:
                    chunk.append(item)
                    if len(chunk) >= BATCH_SIZE:
                        self._import_chunk(chunk)
                        chunk = []
            self._import_chunk(chunk)
            groups = []
            for post_id, comments in self.comments.items():
                page_id = self._page_id_of(post_id)
                if page_id is None:
                    for comment in comments:
                        self.report.skipped.append((comment.id, f"comment on {post_id}, which was not imported"))
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
                self.undo = []
                try:
                    with transaction.atomic():
                        results = bulk_create_pages(self, new)
                except Exception:  # one bad entry spoils the batch: redo its entries one by one
                    for forget in reversed(self.undo):
                        forget()
                    self.sibling_slugs.clear()  # slugs the batch took are free again
                    rest = chunk
                else:
                    for entry, result in zip(new, results, strict=True):
                        self._record_page_entry(entry, *result)
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

    def _import_page_entry(self, entry: BloggerPost) -> None:
        self.undo = []
        try:
            with transaction.atomic():
                page, action, labels, author, removed = self._save_page_entry(entry)
        except Exception as exc:  # one bad entry is reported and skipped; the rest imports
            for forget in reversed(self.undo):  # the caches must not outlive the rolled-back rows
                forget()
            self.report.skipped.append((entry.id, f"{type(exc).__name__}: {exc}"))
            return
        self._record_page_entry(entry, page, action, labels, author, removed)

    def _record_page_entry(self, entry: BloggerPost, page, action: str, labels, author, removed) -> None:
        self.entry_pages[entry.id] = page.pk
        if action != "unchanged":
            self.to_index[type(page)].append(page.pk)
        self.used_labels.update(labels)
        if author is not None:
            self.used_authors.add(author)
        self.report.count_entry(entry, action=action, label_links=len(labels), removed=removed)

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

    def _page_fields(self, entry: BloggerPost) -> tuple[dict, list[str]]:
        """Return the page field values of ``entry`` and the ``src`` of the players dropped from it."""
        html = entry.content_html
        if self.fetch_image:
            html = rewrite_image_sources(html, self._local_image_url)
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
        return fields, removed

    def _is_new(self, entry: BloggerPost) -> bool:
        item = self.mapping.get(entry.id)
        return item is None or item.object_id not in self.existing_pages

    def _save_page_entry(self, entry: BloggerPost):
        model, parent, label_objs, author, fingerprint = self._entry_refs(entry)
        label_pks = [label.pk for label in label_objs]
        author_pk = author.pk if author else None
        item = self.mapping.get(entry.id)
        page = None
        if not self._is_new(entry):
            if item.fingerprint == fingerprint:
                return _Unchanged(item.object_id), "unchanged", label_pks, author_pk, []
            page = model.objects.filter(pk=item.object_id).first()

        fields, removed = self._page_fields(entry)
        if page is None:
            base = slugify(entry.slug or fields["title"], fallback="story")
            page = model(slug=self._free_slug(parent, base), **fields)
            self._set_relations(page, label_objs, author)
            parent.add_child(instance=page)
            action = "created"
        else:
            for name, value in fields.items():
                setattr(page, name, value)
            self._set_relations(page, label_objs, author)
            page.save()
            action = "updated"
        if entry.is_live and entry.path:
            self._redirect(entry.path, page)
        self._remember(entry.id, "post" if model is ArticlePage else "page", page, fingerprint, entry.path)
        return page, action, label_pks, author_pk, removed

    def _set_relations(self, page, labels: list[Label], author: Author | None) -> None:
        if isinstance(page, ArticlePage):
            page.label_links = [ArticleLabel(tag=label) for label in labels]
            page.byline_links = [ArticleAuthor(author=author)] if author is not None else []

    def _remember(self, source_id: str, kind: str, obj, fingerprint: str = "", old_path: str = "") -> None:
        values = {
            "source": ImportSource.BLOGGER,
            "kind": kind,
            "content_type": ContentType.objects.get_for_model(type(obj)),
            "object_id": obj.pk,
            "fingerprint": fingerprint,
            "old_path": old_path,
        }
        item = self.mapping.get(source_id)
        self.undo.append(lambda: self._reload_mapping(source_id))
        if item is None:
            item = ImportedItem.objects.create(source_id=source_id, **values)
        else:
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
        self.mapping[source_id] = item

    def _redirect(self, old_path: str, page) -> None:
        path = Redirect.normalise_path(old_path)
        self.undo.append(lambda: self._reload_redirect(path))
        if path not in self.redirects:
            self.redirects[path] = Redirect.objects.create(
                old_path=path, site=self.site, redirect_page=page, is_permanent=True
            )
        elif self.redirects[path].redirect_page_id != page.pk:
            redirect = self.redirects[path]
            redirect.redirect_page = page
            redirect.save(update_fields=["redirect_page"])

    def _label(self, name: str) -> Label:
        name = strip_control_chars(unicodedata.normalize("NFC", name)).strip()[:100]
        key = label_key(name)
        label = self.labels.get(key)
        if label is None:
            label = Label.objects.create(name=name)
            self.labels[key] = label
            self.undo.append(lambda: self.labels.pop(key, None))
        return label

    def _author(self, name: str) -> Author:
        name = strip_control_chars(name).strip()[:255]
        author = self.authors.get(name)
        if author is not None:
            return author
        item = self.mapping.get(f"author:{name}")
        if item is not None:
            author = Author.objects.filter(pk=item.object_id).first()
        if author is None:
            author = Author.objects.create(name=name, role="Blogger author")
            self._remember(f"author:{name}", "author", author)
        self.authors[name] = author
        self.undo.append(lambda: self.authors.pop(name, None))
        return author

    def _reload_mapping(self, source_id: str) -> None:
        item = ImportedItem.objects.filter(source_id=source_id).first()
        if item is None:
            self.mapping.pop(source_id, None)
        else:
            self.mapping[source_id] = item

    def _reload_redirect(self, path: str) -> None:
        redirect = Redirect.objects.filter(site=self.site, old_path=path).first()
        if redirect is None:
            self.redirects.pop(path, None)
        else:
            self.redirects[path] = redirect

    def _local_image_url(self, src: str) -> str | None:
        return import_image(src, fetch=self.fetch_image, importer=self)

    # --- comments --------------------------------------------------------------------------------

    def _page_id_of(self, post_id: str) -> int | None:
        page_id = self.entry_pages.get(post_id)
        if page_id is None:
            item = self.mapping.get(post_id)
            page_id = item.object_id if item is not None and item.kind in {"post", "page"} else None
        return page_id

"""Turn a news page into a draft wire story (``news.ArticlePage``) for editors to review."""

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from io import BytesIO
from urllib.parse import unquote, urlsplit

import PIL.Image
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.html import escape
from wagtail.images import get_image_model

from pressclub.core.preeti import looks_like_preeti, preeti_to_unicode
from pressclub.core.sanitize import sanitize_html
from pressclub.news.models import LANGUAGES, ArticlePage, SectionPage

from ..fetch import fetch_page
from ..models import ImportedItem, ImportSource
from .extract import WireStory, extract_story

DEFAULT_SECTION_NAME = "World"
IMAGE_TIMEOUT_SECONDS = 20
# Image formats the media library takes, by Pillow's format name, with the file extension given.
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
NO_BYLINE_NOTE = "No byline was found on the page: credit the writers by hand if the outlet names them."
PREETI_CONVERTED_NOTE = "The text looks like Nepali typed in the Preeti font; it was converted to Unicode."
PREETI_FOUND_NOTE = (
    "The text looks like Nepali typed in the Preeti font: import it again with --preeti (in the admin: tick "
    "“Convert legacy Preeti text to Unicode”), or convert it in the editor."
)


class ArticleImportError(Exception):
    """The story cannot be imported (no section to put it in, or it was imported before)."""


class ArticleAlreadyImported(ArticleImportError):
    """An article with the same original URL exists already; ``page`` is that article."""

    def __init__(self, page: ArticlePage):
        self.page = page
        super().__init__(f"This story was imported before: “{page.title}” (page {page.pk}).")


def default_section() -> SectionPage:
    """Return the section wire stories go to: the one called "World", else the first section.

    Raise ArticleImportError when the site has no section at all.
    """
    sections = SectionPage.objects.order_by("path")
    section = (
        sections.filter(slug__iexact=DEFAULT_SECTION_NAME).first()
        or sections.filter(title__iexact=DEFAULT_SECTION_NAME).first()
        or sections.first()
    )
    if section is None:
        raise ArticleImportError("There is no section to put the story in; create a section (e.g. World) first.")
    return section


@dataclass(frozen=True)
class LeadImageFile:
    """A downloaded lead image: the file's ``data`` (bytes), its ``filename`` and the ``url`` it came from."""

    url: str
    data: bytes
    filename: str


def article_import(
    *,
    html: bytes,
    source_url: str = "",
    section: SectionPage | None = None,
    user=None,
    fetch_image: Callable[[str], bytes] | None = None,
    preeti: bool = False,
) -> ArticlePage:
    """Create a draft syndicated ``ArticlePage`` from a news page's HTML and return it.

    ``html`` is the page (bytes, UTF-8, may be gzip-compressed); ``source_url`` where it came from.
    The page goes under ``section`` (default: ``default_section()``), is not live, and has one
    draft revision by ``user``. Headline, dek, dateline, lead image caption/credit, source outlet,
    canonical URL, original publication time and bylines (joined by ", ") are filled in; the body is
    paragraph blocks (subheadings as heading blocks) passed through ``sanitize_html``.

    The lead image is downloaded with ``fetch_image`` (``url → bytes``; default: the checked
    fetcher ``importers.fetch.fetch_page``, public addresses only, at most 10 MB) before anything is
    written, and saved in the image library as the draft's ``lead_image`` (see
    ``lead_image_record``); its original URL is kept on the image's ``ImportedItem`` record. When it
    cannot be fetched or is not a JPEG, PNG, GIF or WebP image, the draft keeps the outlet's URL in
    ``lead_image_url`` and its ``import_notes`` say why. A page without a byline gets a note too.

    Raise ArticleExtractionError when the HTML holds no story, ArticleImportError when there is no
    section (or the draft fails validation), and ArticleAlreadyImported when an article with the
    same original URL exists. Nothing is written when an error is raised.

    Text that looks like Nepali typed in the Preeti font (``core.preeti.looks_like_preeti``) gets
    an import note; with ``preeti=True`` the headline, dek, caption and each paragraph that looks
    like Preeti are converted to Unicode (see ``convert_preeti_story``) and the language set to "ne".
    """
    story = extract_story(html, source_url=source_url)
    notes = [] if story.bylines else [NO_BYLINE_NOTE]
    if story_looks_like_preeti(story):
        if preeti:
            story = convert_preeti_story(story)
            notes.append(PREETI_CONVERTED_NOTE)
        else:
            notes.append(PREETI_FOUND_NOTE)
    _raise_if_imported(story)  # before the download: a story imported twice costs no image fetch
    lead_url = _valid_url(story.lead_image_url)
    image_file = None
    if lead_url and not _copied_image(lead_url):
        image_file, problem = download_lead_image(lead_url, fetch=fetch_image or _fetch_image)
        if problem:
            notes.append(
                f"The lead image was not copied into the image library: {problem}. The draft shows it from the "
                "outlet's server until you choose an image."
            )
    return _create_draft(story, section=section, user=user, image_file=image_file, notes=notes)


def story_looks_like_preeti(story: WireStory) -> bool:
    """Return True when the story's headline, dek and paragraphs, read together, look like Preeti."""
    return looks_like_preeti("\n".join([story.headline, story.dek, *story.paragraphs]))


def convert_preeti_story(story: WireStory) -> WireStory:
    """Return ``story`` with its headline, dek, caption and paragraphs that look like Preeti in Unicode.

    A part that does not look like Preeti (an English credit line, a URL) is kept as it is; the
    language becomes "ne".
    """

    def convert(text: str) -> str:
        return preeti_to_unicode(text) if looks_like_preeti(text) else text

    return replace(
        story,
        headline=convert(story.headline),
        dek=convert(story.dek),
        lead_image_caption=convert(story.lead_image_caption),
        paragraphs=[convert(text) for text in story.paragraphs],
        language="ne",
    )


def download_lead_image(url: str, *, fetch: Callable[[str], bytes]) -> tuple[LeadImageFile | None, str]:
    """Return ``(LeadImageFile, "")`` for the image at ``url``, or ``(None, reason)`` when it cannot be had.

    ``fetch`` reads the URL (``url → bytes``; an ``OSError`` such as ``ArticleFetchError`` is a
    failure). The bytes must be a JPEG, PNG, GIF or WebP image (checked with Pillow); the file name
    is the URL's last path segment with the extension of the format found.
    """
    try:
        data = fetch(url)
    except OSError as error:  # ArticleFetchError and network errors
        return None, str(error).rstrip(".")
    try:
        with PIL.Image.open(BytesIO(data)) as picture:
            kind = picture.format
            picture.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for bytes that are no image
        return None, f"{url} is not an image"
    if kind not in IMAGE_EXTENSIONS:
        return None, f"{url} is a {kind} image, which the image library does not take"
    stem = os.path.splitext(os.path.basename(unquote(urlsplit(url).path)))[0][:80] or "lead-image"
    return LeadImageFile(url=url, data=data, filename=f"{stem}.{IMAGE_EXTENSIONS[kind]}"), ""


def _fetch_image(url: str) -> bytes:
    return fetch_page(url, timeout=IMAGE_TIMEOUT_SECONDS)


def _image_key(url: str) -> str:
    """Return the ``ImportedItem.source_id`` of a lead image copied from ``url`` (apart from the Blogger
    import's ``image:<url>``, since the id is unique across sources)."""
    return f"wire-image:{url}"[:500]


def _copied_image(url: str):
    """Return the library image copied from ``url`` by an earlier wire import, or None."""
    item = ImportedItem.objects.filter(source=ImportSource.WIRE, source_id=_image_key(url)).first()
    return get_image_model().objects.filter(pk=item.object_id).first() if item else None


def lead_image_record(image_file: LeadImageFile, *, story: WireStory, user=None):
    """Save ``image_file`` in the image library and return the image.

    Its title is the caption (else the headline) followed by " — " and the credit; its description
    (the alt text) is the caption. The original URL is recorded as an ``ImportedItem`` (source
    "wire", ``source_id`` "wire-image:<url>", ``old_path`` the URL), so importing another story with
    the same image reuses this one.
    """
    label = story.lead_image_caption or story.headline or image_file.filename
    title = f"{label} — {story.lead_image_credit}" if story.lead_image_credit else label
    image = get_image_model()(
        title=title[:255],
        description=story.lead_image_caption[:255],
        file=ImageFile(BytesIO(image_file.data), name=image_file.filename),
        uploaded_by_user=user,
    )
    image.save()
    ImportedItem.objects.create(
        source=ImportSource.WIRE,
        source_id=_image_key(image_file.url),
        kind="image",
        content_type=ContentType.objects.get_for_model(image),
        object_id=image.pk,
        old_path=image_file.url[:500],
    )
    return image


def _raise_if_imported(story: WireStory) -> str:
    """Return the story's checked original URL ("" when it has none); raise ArticleAlreadyImported
    when an article with that original URL exists."""
    original_url = _valid_url(story.original_url)
    if original_url and (existing := ArticlePage.objects.filter(original_url=original_url).first()):
        raise ArticleAlreadyImported(existing)
    return original_url


@transaction.atomic
def _create_draft(story: WireStory, *, section, user, image_file: LeadImageFile | None, notes: list[str]) -> ArticlePage:
    """Write the draft of ``story`` (see ``article_import``) in one transaction and return it."""
    section = section or default_section()
    original_url = _raise_if_imported(story)  # again inside the transaction: another import may have won
    lead_url = _valid_url(story.lead_image_url)
    image = _copied_image(lead_url) if lead_url else None
    if image is None and image_file is not None:
        image = lead_image_record(image_file, story=story, user=user)
    page = ArticlePage(
        title=_headline(story),
        dek=story.dek,
        dateline=story.dateline[:100],
        source_outlet=story.source_outlet[:255],
        original_url=original_url,
        original_published_at=story.published_at,
        original_bylines=", ".join(story.bylines)[:500],
        lead_image=image,
        lead_image_url="" if image else lead_url,
        lead_image_caption=story.lead_image_caption[:500],
        lead_image_credit=story.lead_image_credit[:255],
        body=story_blocks(story),
        import_notes="\n".join(notes),
        live=False,
        owner=user,
    )
    if story.language in dict(LANGUAGES):
        page.language = story.language
    try:
        section.add_child(instance=page)
    except ValidationError as error:  # e.g. a field the page filled in that the model refuses
        raise ArticleImportError(f"The draft could not be saved: {'; '.join(error.messages)}")
    page.save_revision(user=user, log_action=True)
    return page


def story_blocks(story: WireStory) -> list[tuple[str, object]]:
    """Return the story body as StreamField ``(block_type, value)`` pairs (paragraphs and headings)."""
    blocks: list[tuple[str, object]] = []
    for index, text in enumerate(story.paragraphs):
        if index in story.heading_indexes and len(text) <= 255:
            blocks.append(("heading", {"text": text, "level": "h2"}))
        else:
            blocks.append(("paragraph", sanitize_html(f"<p>{escape(text)}</p>", link_rel=None)))
    return blocks


def _headline(story: WireStory) -> str:
    """Return the headline, or the lede's first words when the page has none (max 255 characters)."""
    headline = story.headline or (story.paragraphs[0] if story.paragraphs else "Wire story")
    if len(headline) <= 255:
        return headline
    return headline[:254].rsplit(" ", 1)[0] + "…"


def _valid_url(url: str) -> str:
    """Return ``url`` when it is a valid http(s) URL of at most 1000 characters, else ""."""
    if not url or len(url) > 1000:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url

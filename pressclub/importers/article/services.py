"""Turn a news page into a draft wire story (``news.ArticlePage``) for editors to review."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.html import escape

from pressclub.core.sanitize import sanitize_html
from pressclub.news.models import LANGUAGES, ArticlePage, SectionPage

from .extract import WireStory, extract_story

DEFAULT_SECTION_NAME = "World"


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


@transaction.atomic
def article_import(*, html: bytes, source_url: str = "", section: SectionPage | None = None, user=None) -> ArticlePage:
    """Create a draft syndicated ``ArticlePage`` from a news page's HTML and return it.

    ``html`` is the page (bytes, UTF-8, may be gzip-compressed); ``source_url`` where it came from.
    The page goes under ``section`` (default: ``default_section()``), is not live, and has one
    draft revision by ``user``. Headline, dek, lead image URL/caption/credit, source outlet,
    canonical URL, original publication time and bylines (joined by ", ") are filled in; the body is
    paragraph blocks (subheadings as heading blocks) passed through ``sanitize_html``.

    Raise ArticleExtractionError when the HTML holds no story, ArticleImportError when there is no
    section (or the draft fails validation), and ArticleAlreadyImported when an article with the
    same original URL exists. Nothing is written when an error is raised.
    """
    story = extract_story(html, source_url=source_url)
    section = section or default_section()
    original_url = _valid_url(story.original_url)
    if original_url and (existing := ArticlePage.objects.filter(original_url=original_url).first()):
        raise ArticleAlreadyImported(existing)
    page = ArticlePage(
        title=_headline(story),
        dek=story.dek,
        source_outlet=story.source_outlet[:255],
        original_url=original_url,
        original_published_at=story.published_at,
        original_bylines=", ".join(story.bylines)[:500],
        lead_image_url=_valid_url(story.lead_image_url),
        lead_image_caption=story.lead_image_caption[:500],
        lead_image_credit=story.lead_image_credit[:255],
        body=story_blocks(story),
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

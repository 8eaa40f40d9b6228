"""StreamField blocks shared by articles and standard pages."""

import re
from functools import lru_cache

from django.utils.safestring import mark_safe
from lxml import html as lxml_html
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .html_images import html_pictures
from .sanitize import sanitize_html

_SPACES_RE = re.compile(r"\s+")


class HeadingBlock(blocks.StructBlock):
    """A subheading inside a story (rendered as h2 or h3)."""

    text = blocks.CharBlock(max_length=255)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading"), ("h3", "Subheading")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    """An image with its own caption and photo credit, kept as separate fields."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(required=False, max_length=255, help_text="Describe the image for screen readers.")
    caption = blocks.CharBlock(required=False, max_length=500)
    credit = blocks.CharBlock(required=False, max_length=255, help_text="e.g. Photo: Ram Thapa / Valley Press Club")

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class PullQuoteBlock(blocks.StructBlock):
    """A quotation set apart from the body, with who said it."""

    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        template = "blocks/pull_quote_block.html"


# A search backend reads a page's fields once for each column it fills (title, body, autocomplete
# and, on PostgreSQL, their plain texts too), so the same block's text is asked for several times
# in a row: the last few answers are kept.
@lru_cache(maxsize=16)
def _visible_text(html: str) -> str:
    """Return the visible text of ``html`` after the allow-list, whitespace squeezed ("" when none)."""
    clean = sanitize_html(html)
    if not clean.strip():
        return ""
    text = " ".join(lxml_html.fromstring(f"<div>{clean}</div>").itertext())
    # One pass over the text, not a list of its words: an imported post may hold megabytes.
    return _SPACES_RE.sub(" ", text).strip()


def lede_text(body, limit: int = 160) -> str:
    """Return the plain text of the first paragraph of ``body`` (a StoryStreamBlock value): its first
    rich-text paragraph or HTML block with any text, cut to at most ``limit`` characters at a space,
    with "…" when cut; "" when the body has no text. For a page's meta description when it has no
    dek or search description of its own (search engines show about 160 characters)."""
    for block in body:
        if block.block_type == "paragraph":
            html = block.value.source
        elif block.block_type == "html":
            html = str(block.value or "")
        else:
            continue
        text = _visible_text(html)
        if not text:
            continue
        if len(text) <= limit:
            return text
        cut = text[: limit - 1]
        return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"
    return ""


class SanitizedHTMLBlock(blocks.RawHTMLBlock):
    """HTML kept as written (imported posts, tables), passed through the nh3 allow-list on save and render.

    On render, each ``<img>`` showing a library image's original file (as imported posts do) becomes
    that image's reader ``<picture>`` (``core.html_images``).
    """

    def clean(self, value):
        return super().clean(mark_safe(sanitize_html(str(value))))

    def render_basic(self, value, context=None):
        return mark_safe(html_pictures(sanitize_html(str(value))))

    def get_searchable_content(self, value):
        """Return the block's visible text (tags stripped) so imported posts are found by search."""
        text = _visible_text(str(value or ""))
        return [text] if text else []

    class Meta:
        icon = "code"
        label = "HTML"


class StoryStreamBlock(blocks.StreamBlock):
    """The body of an article or standard page."""

    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "blockquote", "superscript", "subscript"],
        icon="pilcrow",
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    pull_quote = PullQuoteBlock()
    embed = EmbedBlock(help_text="A YouTube, Vimeo, X or other oEmbed URL", icon="media")
    html = SanitizedHTMLBlock()

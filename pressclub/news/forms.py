"""The article editor's form: the rules a story must meet before it is published."""

import re

from django.utils.html import strip_tags

from pressclub.core.models import PressclubPageForm

EMPTY_BODY = (
    "A story needs a body before it is published or sent for review: write at least one "
    "paragraph. Saving a draft works without one."
)


def stream_has_content(stream) -> bool:
    """Return True if ``stream`` (a StreamValue) holds a block with something a reader would see.

    A paragraph or raw HTML block counts when its text, tags stripped, is not blank; a heading
    alone does not make a story; images, quotes and embeds count.
    """
    for block in stream or ():
        value = block.value
        if block.block_type == "heading":
            continue
        if block.block_type in ("paragraph", "html"):
            text = strip_tags(getattr(value, "source", value) or "")
            if re.sub(r"(&nbsp;|\s)+", "", text):
                return True
            continue
        if value:
            return True
    return False


class ArticlePageForm(PressclubPageForm):
    """The article editor's form: publishing (or submitting) refuses an empty body; drafts save.

    Wagtail defers required-field checks when a draft is saved (``is_deferred_validation``); the
    body check follows the same rule.
    """

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if "body" in self.fields and not self.is_deferred_validation and not stream_has_content(body):
            self.add_error("body", EMPTY_BODY)
        return cleaned

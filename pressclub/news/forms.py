"""The article editor's form: the rules a story must meet before it is published."""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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


#: Hours an editor may mark a story as breaking news for ("0" ends it now).
BREAKING_HOURS = (1, 2, 3, 6, 12, 24, 48)


def breaking_hours_choices() -> list[tuple[str, str]]:
    """Return the choices of the "Breaking news for" menu: keep, each of ``BREAKING_HOURS``, end now."""
    hours = [(str(h), ngettext("%(hours)d hour from publishing", "%(hours)d hours from publishing", h) % {"hours": h})
             for h in BREAKING_HOURS]
    return [("", gettext("Keep the time below")), *hours, ("0", gettext("End the banner now"))]


class ArticlePageForm(PressclubPageForm):
    """The article editor's form: publishing (or submitting) refuses an empty body; drafts save.

    Wagtail defers required-field checks when a draft is saved (``is_deferred_validation``); the
    body check follows the same rule. ``breaking_hours`` sets ``breaking_until`` to that many hours
    after the go-live time (a scheduled story) or now; "end now" clears it. Left at "keep", the
    ``breaking_until`` field decides.
    """

    breaking_hours = forms.TypedChoiceField(
        label=_("Breaking news for"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=lambda: breaking_hours_choices(),
        help_text=_("A banner with the headline tops every page until then, and ends by itself."),
    )

    def clean(self):
        cleaned = super().clean()
        hours = cleaned.get("breaking_hours")
        if hours is not None and "breaking_until" in self.fields:
            if hours == 0:
                cleaned["breaking_until"] = None
            else:
                start = cleaned.get("go_live_at") or timezone.now()
                cleaned["breaking_until"] = max(start, timezone.now()) + dt.timedelta(hours=hours)
        body = cleaned.get("body")
        if "body" in self.fields and not self.is_deferred_validation and not stream_has_content(body):
            self.add_error("body", EMPTY_BODY)
        return cleaned

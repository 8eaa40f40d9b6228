"""The article editor's form: the rules a story must meet before it is published."""

import copy
import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.blocks import StreamValue

from pressclub.core.models import PressclubPageForm
from pressclub.core.preeti import looks_like_preeti, preeti_html_to_unicode, preeti_to_unicode

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


PREETI_CONVERT, PREETI_KEEP = "convert", "keep"


def preeti_choices() -> list[tuple[str, str]]:
    """Return the choices of the "Legacy Preeti text" field: ask (default), convert, keep as typed."""
    return [
        ("", gettext("Ask me when text looks like Preeti")),
        (PREETI_CONVERT, gettext("Convert legacy Preeti text to Unicode")),
        (PREETI_KEEP, gettext("Keep the text as typed")),
    ]


def preeti_parts(title: str, dek: str, stream, *, kept=frozenset()) -> list[str]:
    """Return the names of the parts that look like Preeti: "headline", "dek", "body block N" (from 1).

    ``stream`` is the body (a StreamValue or None); paragraph blocks (their HTML) and heading blocks
    (their text) are read, numbered by their place among all blocks. A part whose text (tags
    stripped, spaces trimmed) is in ``kept`` (text the story already held) is not named.
    """
    parts = []
    named = [(gettext("headline"), title or ""), (gettext("dek"), dek or "")]
    named += [(gettext("body block %(number)d") % {"number": number}, _block_text(block))
              for number, block in enumerate(stream or (), start=1)]
    for name, text in named:
        if looks_like_preeti(text) and _plain(text) not in kept:
            parts.append(name)
    return parts


def _plain(text: str) -> str:
    return strip_tags(text or "").strip()


def story_texts(page) -> frozenset[str]:
    """Return the plain texts of ``page``'s headline, dek and body blocks (see ``preeti_parts``)."""
    texts = [page.title, getattr(page, "dek", "")]
    texts += [_block_text(block) for block in (getattr(page, "body", None) or ())]
    return frozenset(_plain(text) for text in texts if text)


def _block_text(block) -> str:
    if block.block_type == "paragraph":
        return getattr(block.value, "source", "") or ""
    if block.block_type == "heading":
        return block.value.get("text", "") or ""
    return ""


def convert_preeti_stream(stream):
    """Return ``(block_type, value)`` pairs of ``stream`` with its Preeti paragraphs and headings converted.

    Only blocks that look like Preeti (``looks_like_preeti``) change; others are passed on as they are.
    """
    from wagtail.rich_text import RichText

    converted = []
    for block in stream or ():
        value = block.value
        if looks_like_preeti(_block_text(block)):
            if block.block_type == "paragraph":
                value = RichText(preeti_html_to_unicode(value.source))
            else:
                value = {**dict(value), "text": preeti_to_unicode(value["text"])}
        converted.append((block.block_type, value))
    return converted


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

    preeti_text = forms.ChoiceField(
        label=_("Legacy Preeti text"),
        required=False,
        choices=lambda: preeti_choices(),
        help_text=_(
            "Nepali typed in the Preeti font shows as Latin letters (g]kfn for नेपाल). Converting changes "
            "only the headline, dek and body blocks that look like Preeti; the text as typed stays in the history."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        self._clean_preeti(cleaned)
        hours = cleaned.get("breaking_hours")
        if hours is not None and "breaking_until" in self.fields:
            if hours == 0:
                cleaned["breaking_until"] = None
            else:
                start = cleaned.get("go_live_at") or timezone.now()
                cleaned["breaking_until"] = max(start, timezone.now()) + dt.timedelta(hours=hours)
        self._clean_breaking_until(cleaned)
        body = cleaned.get("body")
        if "body" in self.fields and not self.is_deferred_validation and not stream_has_content(body):
            self.add_error("body", EMPTY_BODY)
        return cleaned

    def _clean_breaking_until(self, cleaned) -> None:
        """Refuse a banner end typed by hand that has passed, or that lies more than the longest
        choice (``BREAKING_HOURS``) after publishing; an unchanged end the story already had is kept."""
        until = cleaned.get("breaking_until")
        if until is None or "breaking_until" not in self.fields or until == getattr(self.instance, "breaking_until", None):
            return
        now = timezone.now()
        start = max(cleaned.get("go_live_at") or now, now)
        longest = max(BREAKING_HOURS)
        if until <= now:
            self.add_error("breaking_until", gettext(
                "This time has passed: the banner would not show. Choose a later time, or “End the banner now”."
            ))
        elif until > start + dt.timedelta(hours=longest, minutes=5):
            self.add_error("breaking_until", ngettext(
                "A breaking-news banner runs for at most %(hours)d hour after publishing.",
                "A breaking-news banner runs for at most %(hours)d hours after publishing.",
                longest,
            ) % {"hours": longest})

    def _clean_preeti(self, cleaned) -> None:
        """Ask, convert or keep the headline, dek and body blocks that look like Preeti (``preeti_text``).

        Asked (the default): an error names the parts and nothing is saved, the text kept in the form;
        text the story already held (kept as typed before) is not asked about again.
        Converted: only on a story saved before, so that the revision saved first (see ``save``) holds
        the text as typed. Kept: nothing changes.
        """
        if "title" not in self.fields:
            return
        choice = cleaned.get("preeti_text") or ""
        self.preeti_typed = {}
        if choice == PREETI_KEEP:
            return
        kept = frozenset() if choice == PREETI_CONVERT or not self.instance.pk else story_texts(self.instance)
        parts = preeti_parts(cleaned.get("title", ""), cleaned.get("dek", ""), cleaned.get("body"), kept=kept)
        if not parts:
            return
        if choice != PREETI_CONVERT:
            self.add_error("preeti_text", gettext(
                "This text looks like Nepali typed in the Preeti font: %(parts)s. Choose “Convert legacy Preeti "
                "text to Unicode” or “Keep the text as typed”, then save again."
            ) % {"parts": ", ".join(parts)})
            return
        if not self.instance.pk:
            self.add_error("preeti_text", gettext(
                "Save the story once with “Keep the text as typed”, then convert it: the text as typed then "
                "stays in the revision history."
            ))
            return
        for name in ("title", "dek"):
            if looks_like_preeti(cleaned.get(name) or ""):
                self.preeti_typed[name] = cleaned[name]
                cleaned[name] = preeti_to_unicode(cleaned[name])
        if "body" in cleaned and cleaned["body"] is not None:
            self.preeti_typed["body"] = cleaned["body"]
            cleaned["body"] = StreamValue(cleaned["body"].stream_block, convert_preeti_stream(cleaned["body"]))

    def save(self, commit=True):
        """Save as Wagtail does; when Preeti text was converted, first save a revision of the text as typed."""
        page = super().save(commit=False)
        typed = getattr(self, "preeti_typed", None)
        if typed and page.pk:
            as_typed = copy.copy(page)
            for name, value in typed.items():
                setattr(as_typed, name, value)
            as_typed.save_revision(user=self.for_user, clean=False)
            page.latest_revision = as_typed.latest_revision
        if commit:
            page.save()
            self.save_m2m()
        return page

"""Corrections and updates of a story: dated notes that stay on the record.

An editor adds one to a published story in the page editor (an inline of ``ArticlePage``). Readers
see it under the story ("Corrected on 6 December 2026: …"), in the story's JSON-LD (schema.org
``CorrectionComment``), in its feed item and on ``/corrections/``. A note never vanishes silently:
editing one after it was published sets ``updated_at`` (shown as its own date), and deleting one
from a published story sets ``withdrawn_at`` instead (see :class:`ArticleCorrectionForm`), so the
story keeps a dated line saying it was withdrawn.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.panels.base import get_form_for_model
from wagtail.models import Orderable

from pressclub.core.text import strip_control_chars


class ArticleCorrectionQuerySet(models.QuerySet):
    """Queries over corrections and updates."""

    def on_site(self, site):
        """Return the corrections (kind "correction", withdrawn ones included) of live, public stories
        under ``site``'s root (all sites when None), newest first, each with its story loaded."""
        from .models import ArticlePage

        stories = ArticlePage.objects.live().public()
        if site is not None:
            stories = stories.descendant_of(site.root_page, inclusive=True)
        return (
            self.filter(kind=CorrectionKind.CORRECTION, page__in=stories.order_by().values("pk"))
            .select_related("page")
            .defer("page__body")
            .order_by("-published_at", "-pk")
        )


class CorrectionKind(models.TextChoices):
    """What a note tells readers: a mistake put right, or new facts added to the story."""

    CORRECTION = "correction", _("Correction")
    UPDATE = "update", _("Update")


class ArticleCorrectionForm(WagtailAdminModelForm):
    """The editor's form of one correction: deleting a published one withdraws it, editing one dates the edit.

    A note with a primary key has been saved with the live story (Wagtail writes a story's inline
    rows only when it is published), so readers may have seen it: the delete button then keeps the
    row with ``withdrawn_at`` set to now. A note still only in a draft is deleted for real. Changing
    the kind, date or text of a saved note sets its ``updated_at``.
    """

    def clean(self):
        cleaned = super().clean()
        correction = self.instance
        if correction.pk is None:
            return cleaned
        now = timezone.now()
        if cleaned.get("DELETE"):
            cleaned["DELETE"] = False
            if correction.withdrawn_at is None:
                correction.withdrawn_at = now
        elif correction.withdrawn_at is None and self._edited(cleaned):
            correction.updated_at = now
        return cleaned

    def _edited(self, cleaned) -> bool:
        # Compared with the saved note (the instance is updated after clean()), not with the form's
        # initial data: the browser sends text with CRLF line ends and dates to the minute.
        saved = self.instance
        if "kind" in cleaned and cleaned["kind"] != saved.kind:
            return True
        if "text" in cleaned and " ".join((cleaned["text"] or "").split()) != " ".join(saved.text.split()):
            return True
        when = cleaned.get("published_at")
        return when is not None and abs((when - saved.published_at).total_seconds()) >= 60


class CorrectionsPanel(InlinePanel):
    """An ``InlinePanel`` of corrections whose forms are :class:`ArticleCorrectionForm` (withdraw, don't delete)."""

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        child = self.child_edit_handler.get_form_options()
        meta = {"fields": formset["fields"], "widgets": formset["widgets"]}
        if child.get("defer_required_on_fields"):
            meta["defer_required_on_fields"] = child["defer_required_on_fields"]
        formset["form"] = get_form_for_model(self.db_field.related_model, form_class=ArticleCorrectionForm, **meta)
        return options


class ArticleCorrection(Orderable):
    """One correction or update of a story, dated, in the story's order.

    ``published_at`` is the date readers see (aware datetime; default: when it was added);
    ``updated_at`` is set when a saved note is edited, ``withdrawn_at`` when it is deleted from a
    published story (both None otherwise).
    """

    page = ParentalKey("news.ArticlePage", related_name="corrections", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=16, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION)
    published_at = models.DateTimeField(_("date"), default=timezone.now, help_text=_("The date readers see."))
    text = models.TextField(
        _("text"), help_text=_("What was wrong and what is right, or what is new, in a sentence or two.")
    )
    updated_at = models.DateTimeField(_("edited at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)

    objects = ArticleCorrectionQuerySet.as_manager()

    panels = [
        FieldPanel("kind"),
        FieldPanel("published_at"),
        FieldPanel("text"),
        FieldPanel("updated_at", read_only=True),
        FieldPanel("withdrawn_at", read_only=True),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()} of {self.published_at:%Y-%m-%d}"

    def clean(self):
        super().clean()
        self.text = strip_control_chars(self.text)

    @property
    def is_withdrawn(self) -> bool:
        """Return True when the note was deleted from the published story (it stays, marked withdrawn)."""
        return self.withdrawn_at is not None

    @property
    def is_correction(self) -> bool:
        """Return True for a correction (not an update)."""
        return self.kind == CorrectionKind.CORRECTION

    def reader_line(self) -> str:
        """Return the plain-text line readers see, with dates as ``6 December 2026`` (site time zone), in
        the active language's words and digits (``"৬ ডিসেম্বর ২০২৬-এ সংশোধিত: …"`` in Bengali).

        ``"Corrected on 6 December 2026: …"``, ``"Updated on …: …"``; an edited note adds
        ``" (edited on 7 December 2026)"`` after its date; a withdrawn one reads ``"A correction
        of 6 December 2026 was withdrawn on 8 December 2026."`` (its text is no longer shown).
        """
        from django.utils.translation import gettext

        from pressclub.core.numerals import local_date as day

        if self.is_withdrawn:
            if self.is_correction:
                template = gettext("A correction of %(date)s was withdrawn on %(withdrawn)s.")
            else:
                template = gettext("An update of %(date)s was withdrawn on %(withdrawn)s.")
            return template % {"date": day(self.published_at), "withdrawn": day(self.withdrawn_at)}
        if self.is_correction:
            prefix = gettext("Corrected on %(date)s") % {"date": day(self.published_at)}
        else:
            prefix = gettext("Updated on %(date)s") % {"date": day(self.published_at)}
        if self.updated_at:
            prefix += " " + gettext("(edited on %(date)s)") % {"date": day(self.updated_at)}
        return f"{prefix}: {self.text}"


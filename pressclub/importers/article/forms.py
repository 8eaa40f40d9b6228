"""The admin form for importing a wire story: a saved page or a URL, and a section."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pressclub.news.models import SectionPage

from ..fetch import MAX_BYTES


class ArticleImportForm(forms.Form):
    """Upload an .html/.html.gz page or give its URL (exactly one), and choose the section.

    ``user`` limits the sections to those the user may add pages to.
    """

    file = forms.FileField(
        required=False,
        label="Saved page",
        help_text="The story's page saved from a browser, as .html or .html.gz.",
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm,.gz,text/html"}),
    )
    url = forms.URLField(
        required=False,
        label="Or the story's URL",
        assume_scheme="https",
        max_length=1000,
        help_text="The page is read from the web (the server must be online).",
    )
    section = forms.ModelChoiceField(queryset=SectionPage.objects.none(), empty_label=None)
    preeti = forms.BooleanField(
        required=False,
        label=_("Convert legacy Preeti text to Unicode"),
        help_text=_("For Nepali typed in the Preeti font (g]kfn for नेपाल); the import notes say when text looks like it."),
    )

    def __init__(self, *args, user, initial_section: SectionPage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [
            section.pk
            for section in SectionPage.objects.order_by("path")
            if section.permissions_for_user(user).can_add_subpage()
        ]
        self.fields["section"].queryset = SectionPage.objects.filter(pk__in=allowed).order_by("path")
        if initial_section is not None and initial_section.pk in allowed:
            self.fields["section"].initial = initial_section.pk
        if not allowed:
            self.fields["section"].help_text = "There is no section you may add stories to."

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; a news page is smaller.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if "file" in cleaned and "url" in cleaned:
            if cleaned["file"] and cleaned["url"]:
                raise forms.ValidationError("Give either a saved page or a URL, not both.")
            if not cleaned["file"] and not cleaned["url"]:
                raise forms.ValidationError("Choose a saved page (.html or .html.gz) or give the story's URL.")
        return cleaned

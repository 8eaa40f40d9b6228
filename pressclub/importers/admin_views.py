"""Wagtail admin views of the importers app: upload a Blogger export and see the import's summary."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .blogger.importer import DEFAULT_SECTION_TITLE
from .services import BloggerFormatError, BloggerImportError, blogger_import

IMPORT_PERMISSION = "importers.import_content"


def can_import(user) -> bool:
    """Return True when ``user`` may run imports from the admin (``importers.import_content``)."""
    return bool(user and user.is_active and user.has_perm(IMPORT_PERMISSION))


class BloggerUploadForm(forms.Form):
    """The upload form: the export file, the section for posts, and whether to only try it."""

    export = forms.FileField(
        label="Blogger export",
        help_text=(
            "The .xml file from Blogger's “Back up content”, or feed.atom from Google Takeout "
            "(either may be gzipped, .gz)."
        ),
    )
    section = forms.CharField(
        label="Section for the posts",
        max_length=255,
        required=False,
        initial=DEFAULT_SECTION_TITLE,
        help_text="Made under the front page if no section has this title.",
    )
    dry_run = forms.BooleanField(
        label="Dry run", required=False, help_text="Show what the import would do, and keep nothing."
    )


def blogger_import_view(request):
    """Show the upload form (GET) or import the uploaded export and show its summary (POST).

    A file that is not a Blogger export is reported on the form (status 200), never as a server
    error. Large exports are better imported with ``pressclub import-blogger FILE``.
    """
    if not can_import(request.user):
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = BloggerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = blogger_import(
                    source=form.cleaned_data["export"],
                    dry_run=form.cleaned_data["dry_run"],
                    section=form.cleaned_data["section"].strip(),
                )
            except (BloggerFormatError, BloggerImportError) as exc:
                form.add_error("export", str(exc))
    else:
        form = BloggerUploadForm()
    return render(
        request,
        "importers/admin/blogger_import.html",
        {"form": form, "report": report, "summary": report.summary_lines() if report else []},
    )

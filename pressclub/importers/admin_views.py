"""Wagtail admin views of the importers app: upload a Blogger export, follow its import (run by the
task worker) and see its summary."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .blogger.importer import DEFAULT_SECTION_TITLE
from .models import ImportRun
from .services import BloggerFormatError, blogger_import_rerun, blogger_import_start

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
    """Show the upload form (GET), or check the uploaded export and queue its import (POST).

    A file that is not a Blogger export is reported on the form (status 200), never as a server
    error. An accepted file is imported by the task worker; the answer redirects to the import's
    progress page (``blogger_import_progress_view``).
    """
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = BloggerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = blogger_import_start(
                    upload=form.cleaned_data["export"],
                    dry_run=form.cleaned_data["dry_run"],
                    section=form.cleaned_data["section"].strip(),
                    user=request.user,
                )
            except BloggerFormatError as exc:
                form.add_error("export", str(exc))
            else:
                return redirect("importers_blogger_progress", pk=run.pk)
    else:
        form = BloggerUploadForm()
    recent = ImportRun.objects.all()[:5]
    return render(request, "importers/admin/blogger_import.html", {"form": form, "recent": recent})


def blogger_import_progress_view(request, pk: int):
    """Show an admin import's progress; the page reloads itself every 2 s (a meta refresh, no
    JavaScript) until the import has finished, failed or was interrupted, then shows its summary
    (or why it failed, or a button to run an interrupted import again)."""
    if not can_import(request.user):
        raise PermissionDenied
    run = get_object_or_404(ImportRun, pk=pk)
    return render(request, "importers/admin/blogger_import_progress.html", {"run": run, "refresh_seconds": 2})


@require_POST
def blogger_import_rerun_view(request, pk: int):
    """Queue an interrupted import again (``services.blogger_import_rerun``) and go back to its page.

    A run that cannot be run again (not interrupted, already queued, its file gone) gets a message
    saying so on its page, never an error.
    """
    if not can_import(request.user):
        raise PermissionDenied
    run = get_object_or_404(ImportRun, pk=pk)
    if not blogger_import_rerun(run_id=run.pk):
        messages.warning(request, "This import cannot be run again: it is not interrupted, or its file is gone.")
    return redirect("importers_blogger_progress", pk=run.pk)

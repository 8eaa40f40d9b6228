"""The "Import wire story" view of the Wagtail admin."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..fetch import ArticleFetchError, fetch_page
from .extract import ArticleExtractionError
from .forms import ArticleImportForm
from .services import ArticleAlreadyImported, ArticleImportError, article_import, default_section

IMPORT_PERMISSION = "importers.import_content"


class ArticleImportView(WagtailAdminTemplateMixin, FormView):
    """Show the import form; on success create the draft and go to its edit view.

    Errors (not HTML, no story found, URL unreachable, no section) are shown on the form with the
    URL and section kept. A story imported before opens its existing draft with a warning. Only
    users with the ``importers.import_content`` permission may use it; the sections offered are
    those they may add pages to.
    """

    form_class = ArticleImportForm
    template_name = "importers/article_import.html"
    page_title = "Import wire story"
    header_icon = "download"
    breadcrumbs_items = WagtailAdminTemplateMixin.breadcrumbs_items + [
        {"url": reverse_lazy("importers_article_import"), "label": "Import wire story"}
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        try:
            kwargs["initial_section"] = default_section()
        except ArticleImportError:
            kwargs["initial_section"] = None
        return {**kwargs, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("importers_article_import"),
            submit_button_label="Import as draft",
            submit_button_active_label="Importing…",
            **kwargs,
        )

    def form_valid(self, form):
        upload, url = form.cleaned_data["file"], form.cleaned_data["url"]
        try:
            html = b"".join(upload.chunks()) if upload else fetch_page(url)
            page = article_import(
                html=html,
                source_url=url,
                section=form.cleaned_data["section"],
                user=self.request.user,
                preeti=form.cleaned_data.get("preeti", False),
            )
        except ArticleAlreadyImported as error:
            messages.warning(self.request, f"{error} Here is that article.")
            return redirect("wagtailadmin_pages:edit", error.page.pk)
        except ArticleFetchError as error:
            form.add_error("url", str(error))
            return self.form_invalid(form)
        except (ArticleExtractionError, ArticleImportError) as error:
            form.add_error("file" if upload else "url", str(error))
            return self.form_invalid(form)
        source = page.source_outlet or "the source"
        messages.success(
            self.request, f"Draft “{page.title}” imported from {source}. Review it, then publish it."
        )
        for note in filter(None, page.import_notes.splitlines()):
            messages.warning(self.request, note)
        return redirect("wagtailadmin_pages:edit", page.pk)

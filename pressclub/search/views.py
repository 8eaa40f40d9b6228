"""The reader's search page, ``/search/?q=``."""

from django.conf import settings
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from pressclub.core.pagination import ListingPaginator

from .query import MAX_QUERY_LENGTH, clean_query, search_articles


@require_safe
def search(request):
    """Show published articles matching ``q`` (headline, dek, body, bylines, labels), paginated.

    An empty, over-long or garbled ``q`` gets a message, never an error. (Blogger's "Older posts"
    link, ``/search/?updated-max=…``, is answered in front of this view: importers.blogger.urls.)
    """
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    context = {"query": query, "articles": None, "message": ""}
    if not query:
        context["message"] = "Type a word or two to search the stories." if not raw.strip() else (
            "That search had nothing we could look for. Try a word or two."
        )
    else:
        if len(raw) > MAX_QUERY_LENGTH:
            context["message"] = f"Only the first {MAX_QUERY_LENGTH} characters of your search were used."
        paginator = ListingPaginator(search_articles(query), settings.PRESSCLUB_SEARCH_RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context["articles"] = page_obj
        context["query_string"] = urlencode({"q": query})
    return render(request, "search/search.html", context)


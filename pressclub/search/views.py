"""The reader's search page, ``/search/?q=``."""

import logging

from django.conf import settings
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_safe

from pressclub.core import ratelimit
from pressclub.core.numerals import local_digits
from pressclub.core.pagination import ListingPaginator
from pressclub.news.models import ArticlePage

from .budget import SearchBusy, time_budget
from .query import MAX_QUERY_LENGTH, clean_query, search_articles

BUSY = gettext_lazy("Search is busy. Try a narrower query (a rarer word, or more words), or try again in a minute.")
logger = logging.getLogger("django.request")
TOO_MANY = gettext_lazy("You have searched very often in the last minutes. Wait a minute and try again.")


def search_wait(request) -> int:
    """Count one search for the client's address and return 0, or, past
    ``PRESSCLUB_SEARCH_RATE_LIMITS``, the whole seconds until the next one is allowed (see
    :mod:`pressclub.core.ratelimit`)."""
    return ratelimit.consume(request, scope="search", rates=settings.PRESSCLUB_SEARCH_RATE_LIMITS)


def capped_count(results, limit: int) -> int:
    """Return how many items ``results`` (Wagtail search results, or any sliceable with ``count()``)
    has, counting no further than ``limit + 1``: a number above ``limit`` means "more than ``limit``".
    A ``limit`` of 0 counts every item.

    One query that stops after ``limit + 1`` matches (the search backend counts a sliced result
    with ``LIMIT``), so a word in half of 100,000 stories costs what one in a thousand does.
    """
    return results[: limit + 1].count() if limit > 0 else results.count()


def _refused(request, context: dict, message: str, status: int, retry_after: int):
    context["message"] = message
    response = render(request, "search/search.html", context, status=status)
    response["Retry-After"] = str(retry_after)
    return response


@require_safe
def search(request):
    """Show published articles matching ``q`` (headline, dek, body, bylines, labels), paginated.

    An empty, over-long or garbled ``q`` gets a message, never an error. (Blogger's "Older posts"
    link, ``/search/?updated-max=…``, is answered in front of this view: importers.blogger.urls.)
    Searches are limited per client address (429) and each gets ``PRESSCLUB_SEARCH_TIME_BUDGET``
    seconds of database time; past it the page says search is busy (503). Both answers carry
    ``Retry-After`` and keep the query in the box.
    """
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    context = {"query": query, "articles": None, "message": ""}
    if not query:
        context["message"] = gettext("Type a word or two to search the stories.") if not raw.strip() else (
            gettext("That search had nothing we could look for. Try a word or two.")
        )
    else:
        if len(raw) > MAX_QUERY_LENGTH:
            context["message"] = gettext("Only the first %(count)s characters of your search were used.") % {
                "count": local_digits(MAX_QUERY_LENGTH)
            }
        if wait := search_wait(request):
            return _refused(request, context, TOO_MANY, 429, wait)
        try:
            with time_budget(settings.PRESSCLUB_SEARCH_TIME_BUDGET, using=ArticlePage.objects.db):
                results = search_articles(query)
                limit = settings.PRESSCLUB_SEARCH_COUNT_LIMIT
                found = capped_count(results, limit)
                more_than = 0 < limit < found
                paginator = ListingPaginator(results, settings.PRESSCLUB_SEARCH_RESULTS_PER_PAGE,
                                             count=lambda: limit if more_than else found)
                page_obj = paginator.get_page(request.GET.get("page"))
                page_obj.object_list = list(page_obj.object_list)  # run the query within the budget
        except SearchBusy:
            # A common word under load, not a fault: a warning, not Django's ERROR for every 5xx.
            logger.warning("Search busy: %s", request.path)
            response = _refused(request, context, BUSY, 503, 30)
            response._has_been_logged = True  # Django's own flag: log_response() would log it again
            return response
        context["articles"] = page_obj
        context["more_than"] = more_than
        context["query_string"] = urlencode({"q": query})
    return render(request, "search/search.html", context)


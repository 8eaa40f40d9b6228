"""The site's own error pages: 400, 403, CSRF failure, 500 and 503 (404 is Django's handler with 404.html).

Each page extends ``base.html`` (masthead, sections, footer) and says what happened and what to do,
never a traceback. The 500 page is rendered the same way when it can be; when the fault is one that
rendering would meet again (the database is down, a broken template tag), a plain page of the
same words is sent instead.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("django.request")

PLAIN_500 = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Something went wrong</title>
<link rel="stylesheet" href="/static/css/site.css"></head>
<body><main id="main" class="wrap">
<h1>Something went wrong</h1>
<p>The server could not show this page. The error has been logged; please try again in a few minutes.</p>
<p><a href="/">Go to the front page</a></p>
</main></body>
</html>
"""


PLAIN_503 = PLAIN_500.replace("Something went wrong", "The site is busy").replace(
    "The server could not show this page. The error has been logged; please try again in a few minutes.",
    "The site cannot answer right now. Please try again in a minute.",
)


def _page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    return HttpResponse(render_to_string(template, context or {}, request=request), status=status)


def _page_or_plain(request, template: str, status: int, plain: str, context: dict | None = None) -> HttpResponse:
    try:
        return _page(request, template, status, context)
    except Exception:  # the fault may be the one that broke the view: the database, a template tag
        logger.warning("The %s page could not be rendered; sent the plain one.", status, exc_info=True)
        return HttpResponse(plain, status=status)


def bad_request(request, exception=None) -> HttpResponse:
    """Answer a malformed request (``handler400``): 400 with ``400.html``."""
    return _page(request, "400.html", 400)


def permission_denied(request, exception=None) -> HttpResponse:
    """Answer a refused request (``handler403``): 403 with ``403.html``."""
    return _page(request, "403.html", 403)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """Answer a form refused by the CSRF check: 403 with ``403_csrf.html`` (what to do; the reason is logged).

    ``reason`` is Django's (e.g. "CSRF cookie not set."); Django's CSRF middleware has already logged it
    at WARNING, so the page only tells the reader how to send the form again.
    """
    return _page(request, "403_csrf.html", 403)


def server_error(request) -> HttpResponse:
    """Answer an unhandled exception (``handler500``): 500 with ``500.html``, or a plain page if that fails."""
    return _page_or_plain(request, "500.html", 500, PLAIN_500)


def service_unavailable(request, *, retry_after: int = 30) -> HttpResponse:
    """Return the 503 page (``503.html``, or a plain one if that fails) with ``Retry-After`` in seconds."""
    response = _page_or_plain(request, "503.html", 503, PLAIN_503)
    response["Retry-After"] = str(retry_after)
    return response


class DatabaseUnavailableMiddleware:
    """Answer a view that could not reach the database (OperationalError, InterfaceError) with the 503 page.

    The database down, restarting, or out of connections is a reason to try again shortly, not a
    broken page: the reader gets 503 with ``Retry-After: 30``; the operator gets the traceback in
    the log at ERROR (once: the response is marked as logged).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", request.path, exc_info=exception)
        response = service_unavailable(request)
        response._has_been_logged = True  # Django's own flag: log_response() would log it again
        return response


def static_not_found(request, path: str = ""):
    """Answer 404 at once for a static file that does not exist.

    Existing files are served before the URLconf (WhiteNoise, or the front server); without this
    pattern, ``APPEND_SLASH`` would first redirect ``/static/missing.css`` to ``…/missing.css/``,
    which Wagtail's catch-all would then answer with a 404 page.
    """
    raise Http404("No such static file.")

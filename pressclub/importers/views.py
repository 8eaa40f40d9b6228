"""Reader-facing views: old Blogger URLs answered with a permanent redirect to the imported page."""

import datetime as dt

from django.http import Http404, HttpResponsePermanentRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from pressclub.comments.models import Comment


def blogger_redirect(request, **kwargs):
    """Redirect (301) an old Blogger path (``/2013/02/agm-notes.html``, ``/p/about.html``) to its page.

    The target comes from the Wagtail redirect the import made (editors may change it in the
    admin). Query strings such as ``?m=1`` are dropped; ``?showComment=<milliseconds>`` (Blogger's
    link to a comment, by its publication time) adds ``#comment-<pk>`` when that comment is shown.
    Raise Http404 when no redirect exists for the path.
    """
    redirect = get_redirect(request, Redirect.normalise_path(request.path))
    if redirect is None or not redirect.link:
        raise Http404("No imported page at this address.")
    link = redirect.link
    shown = request.GET.get("showComment", "")
    if shown.isdigit() and redirect.redirect_page_id and len(shown) <= 15:
        start = dt.datetime.fromtimestamp(int(shown) / 1000, tz=dt.UTC)
        comment = (
            Comment.objects.approved()
            .for_page(redirect.redirect_page_id)
            .filter(created_at__gte=start, created_at__lt=start + dt.timedelta(milliseconds=1))
            .only("pk")
            .first()
        )
        if comment is not None:
            link = f"{link}#comment-{comment.pk}"
    return HttpResponsePermanentRedirect(link)

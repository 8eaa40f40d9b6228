"""Blogger's old addresses, answered with a permanent redirect (301) to what the site has now.

Posts and pages (``/2013/02/agm-notes.html``, ``/p/about.html``), labels (``/search/label/<Label>``),
feeds (``/feeds/posts/default``, per label) and the "Older posts" link (``/search?updated-max=…``).
The site's comment feed path is a ``RedirectView`` in :mod:`.urls`.
"""

import datetime as dt

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from pressclub.comments.models import Comment
from pressclub.news.models import ArticlePage, Label
from pressclub.news.views import find_label
from pressclub.search.views import search as search_view

from ..models import ImportedItem
from .ledger import label_source_id


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


def blogger_label(name: str) -> Label | None:
    """Return the label of a Blogger label name as written in an old address (percent-decoded:
    ``C#``, ``TCP/IP``), or None.

    Blogger's exact name first, as the import mapped it (``ImportedItem`` ``label:<name>``), then a
    label of exactly that name, then one of that name in another case, then :func:`find_label`'s
    looser matching (slug, spelling without spaces or hyphens) for sites that were not imported.
    Never a slug before a name: "C" and "C#" share the slug ``c`` but are two labels.
    """
    name = name.strip()
    if not name:
        return None
    item = ImportedItem.objects.from_blogger().filter(source_id=label_source_id(name), kind="label").first()
    label = Label.objects.filter(pk=item.object_id).first() if item is not None else None
    return (
        label
        or Label.objects.filter(name=name).first()
        or Label.objects.filter(name__iexact=name).order_by("pk").first()
        or find_label(name)
    )


@require_safe
def label_redirect(request, name):
    """Redirect Blogger's ``/search/label/<Label>`` permanently to the label page.

    The label is matched by :func:`blogger_label`; raise Http404 when none matches.
    """
    label = blogger_label(name)
    if label is None:
        raise Http404("No such label.")
    return HttpResponsePermanentRedirect(reverse("label_detail", kwargs={"slug": label.slug}))


@require_safe
def feed_redirect(request, label=None):
    """Redirect Blogger's feed paths permanently: Atom, or RSS for ``?alt=rss``.

    ``/feeds/posts/default`` and ``/feeds/posts/summary`` go to the site feed;
    ``/feeds/posts/default/-/<Label>`` (or ``summary``) to that label's feed, the label matched by
    :func:`blogger_label`. Raise Http404 for an unknown label.
    """
    kind = "rss" if request.GET.get("alt", "").strip().lower() == "rss" else "atom"
    if label is None:
        return HttpResponsePermanentRedirect(reverse(f"feed_{kind}"))
    found = blogger_label(label)
    if found is None:
        raise Http404("No such label.")
    return HttpResponsePermanentRedirect(reverse(f"label_feed_{kind}", kwargs={"slug": found.slug}))


@require_safe
def older_posts_redirect(request):
    """Redirect Blogger's "Older posts" link, ``/search?updated-max=<ISO datetime>&max-results=N``.

    Blogger showed the N posts published before ``updated-max``. The nearest page we have is the
    monthly archive of the newest published story before that moment, so the reader lands among
    the same stories; the redirect is permanent (301). Without a parsable ``updated-max`` or with
    no story before it, redirect to the home page. Any other ``/search`` goes to ``/search/``
    with its query string kept.
    """
    raw = request.GET.get("updated-max", "").strip()
    if not raw:
        query = request.GET.urlencode()
        return HttpResponsePermanentRedirect(reverse("search") + (f"?{query}" if query else ""))
    # An unescaped "+" of the time-zone offset arrives as a space.
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    story = None
    if moment is not None:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        story = (
            ArticlePage.objects.published()
            .filter(first_published_at__lt=moment)
            .order_by("-first_published_at")
            .only("first_published_at")
            .first()
        )
    if story is None:
        return HttpResponsePermanentRedirect("/")
    local = timezone.localtime(story.first_published_at)
    return HttpResponsePermanentRedirect(
        reverse("archive_month", kwargs={"year": f"{local.year:04d}", "month": f"{local.month:02d}"})
    )


def search_or_older_posts(request):
    """Answer ``/search/``: Blogger's "Older posts" (``updated-max`` without ``q``) by
    :func:`older_posts_redirect`, any other request by the search page."""
    if "updated-max" in request.GET and not request.GET.get("q", "").strip():
        return older_posts_redirect(request)
    return search_view(request)

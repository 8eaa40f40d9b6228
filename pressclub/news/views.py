"""Reader views that are not Wagtail pages: labels, monthly archives, Blogger redirects, robots.txt, favicon."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .models import ArticlePage, Label
from .pagination import paginate


def listing_articles():
    """Return published articles ready for a listing (no StreamField body loaded), newest first."""
    return ArticlePage.objects.published().defer_streamfields()


@require_safe
def label_detail(request, slug):
    """Show the published articles carrying the label ``slug``, newest first, paginated.

    Raise Http404 for an unknown label.
    """
    label = get_object_or_404(Label, slug=slug)
    articles = listing_articles().filter(label_links__tag=label)
    return render(
        request,
        "news/label_detail.html",
        {
            "label": label,
            "articles": paginate(request, articles),
            "feed_rss": reverse("label_feed_rss", kwargs={"slug": label.slug}),
            "feed_atom": reverse("label_feed_atom", kwargs={"slug": label.slug}),
        },
    )


@require_safe
def label_redirect(request, name):
    """Redirect Blogger's ``/search/label/<Label>`` permanently to the label page.

    The label is matched by name (case-insensitively) or by slug; raise Http404 when none matches.
    """
    name = name.strip().strip("/")
    label = Label.objects.filter(Q(name__iexact=name) | Q(slug=name)).order_by("pk").first()
    if label is None:
        raise Http404("No such label.")
    return HttpResponsePermanentRedirect(reverse("label_detail", kwargs={"slug": label.slug}))


@require_safe
def archive_month(request, year, month):
    """Show the articles first published in ``year``-``month`` (in TIME_ZONE), newest first.

    Raise Http404 for an invalid month or one with no published stories.
    """
    year, month = int(year), int(month)
    if not (1 <= month <= 12 and dt.MINYEAR < year < dt.MAXYEAR):
        raise Http404("No such month.")
    zone = timezone.get_current_timezone()  # the zone dates are shown in (TIME_ZONE)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    articles = listing_articles().filter(first_published_at__gte=start, first_published_at__lt=end)
    page_obj = paginate(request, articles)
    if not page_obj.object_list:
        raise Http404("No stories were published that month.")
    return render(
        request,
        "news/archive_month.html",
        {"month": start, "articles": page_obj},
    )


@require_safe
def feed_redirect(request):
    """Redirect Blogger's ``/feeds/posts/default`` permanently: Atom, or RSS for ``?alt=rss``."""
    name = "feed_rss" if request.GET.get("alt", "").lower() == "rss" else "feed_atom"
    return HttpResponsePermanentRedirect(reverse(name))


@require_safe
def robots_txt(request):
    """Return robots.txt: keep crawlers out of the admin and account pages, point them at the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={settings.PRESSCLUB_PAGE_CACHE_SECONDS}"
    return response


@require_safe
def favicon(request):
    """Redirect ``/favicon.ico`` permanently to the site's SVG icon, so browsers' automatic request finds it."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))

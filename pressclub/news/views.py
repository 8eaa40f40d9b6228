"""Reader views that are not Wagtail pages: labels, authors, archives, corrections, the news sitemap,
robots.txt, favicon."""

import datetime as dt

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.views.decorators.http import require_safe

from pressclub.core.links import absolute_url
from pressclub.core.pagination import ListingPaginator
from pressclub.core.text import strip_control_chars
from pressclub.people.models import Author

from .counts import author_story_count, label_story_count
from .models import ArticleCorrection, ArticlePage, Label, label_key


def listing_articles():
    """Return published articles ready for a listing (no StreamField body loaded), newest first."""
    return ArticlePage.objects.published().defer_streamfields()


def find_label(text: str) -> Label | None:
    """Return the label whose slug or name is ``text``, or equal to it under :func:`label_key`, else None.

    An exact slug wins; then a case-insensitive name; then the oldest label with the same key.
    """
    text = text.strip().strip("/")
    if not text:
        return None
    label = (
        Label.objects.filter(slug=text).first()
        or Label.objects.filter(name__iexact=text).order_by("pk").first()
    )
    if label is not None:
        return label
    key = label_key(text)
    if not key:
        return None
    for pk, name, slug in Label.objects.order_by("pk").values_list("pk", "name", "slug"):
        if label_key(name) == key or label_key(slug) == key:
            return Label.objects.get(pk=pk)
    return None


@require_safe
def label_detail(request, slug):
    """Show the published articles carrying the label ``slug``, newest first, paginated.

    A slug that differs from a label's only in case or in spaces, hyphens and underscores
    (``/label/Press-Freedom/``, as Blogger spelt it) redirects permanently to the canonical
    ``/label/press-freedom/``. Raise Http404 for an unknown label.
    """
    label = Label.objects.filter(slug=slug).first()
    if label is None:
        label = find_label(slug)
        if label is None:
            raise Http404("No such label.")
        return HttpResponsePermanentRedirect(reverse("label_detail", kwargs={"slug": label.slug}))
    articles = listing_articles().filter(label_links__tag=label)
    return render(
        request,
        "news/label_detail.html",
        {
            "label": label,
            "articles": ListingPaginator(articles, count=lambda: label_story_count(label)).get_page(
                request.GET.get("page")
            ),
            "feed_rss": reverse("label_feed_rss", kwargs={"slug": label.slug}),
            "feed_atom": reverse("label_feed_atom", kwargs={"slug": label.slug}),
        },
    )


@require_safe
def author_detail(request, slug):
    """Show an author's bio, photo and published articles, newest first, paginated.

    Raise Http404 for an unknown slug.
    """
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = listing_articles().filter(byline_links__author=author)
    return render(
        request,
        "news/author_detail.html",
        {
            "author": author,
            "articles": ListingPaginator(articles, count=lambda: author_story_count(author)).get_page(
                request.GET.get("page")
            ),
            "feed_rss": reverse("author_feed_rss", kwargs={"slug": author.slug}),
            "feed_atom": reverse("author_feed_atom", kwargs={"slug": author.slug}),
        },
    )


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
    page_obj = ListingPaginator(articles).get_page(request.GET.get("page"))
    if not page_obj.object_list:
        raise Http404("No stories were published that month.")
    return render(
        request,
        "news/archive_month.html",
        {"month": start, "articles": page_obj},
    )


@require_safe
def archive_year(request, year):
    """List the months of ``year`` (in TIME_ZONE) with published stories, each with its story count.

    The page links each month to its archive (``/2012/05/``). Raise Http404 for a year without stories.
    """
    year = int(year)
    if not dt.MINYEAR < year < dt.MAXYEAR:
        raise Http404("No such year.")
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    months = (
        ArticlePage.objects.published()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .annotate(month=TruncMonth("first_published_at", tzinfo=zone))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    rows = [
        {
            "month": dt.date(year, row["month"].month, 1),
            "count": row["count"],
            "url": reverse("archive_month", kwargs={"year": f"{year:04d}", "month": f"{row['month'].month:02d}"}),
        }
        for row in months
    ]
    if not rows:
        raise Http404("No stories were published that year.")
    return render(request, "news/archive_year.html", {"year": year, "months": rows})


@require_safe
def corrections_list(request):
    """List every correction of the site's live stories, newest first, paginated, with its story.

    Withdrawn corrections stay listed, saying when they were withdrawn. Updates are not listed
    (they show on their story and in its feed item).
    """
    from pressclub.core.routing import site_for_request

    corrections = ArticleCorrection.objects.on_site(site_for_request(request))
    return render(
        request,
        "news/corrections.html",
        {
            "corrections": ListingPaginator(corrections).get_page(request.GET.get("page")),
            "feed_rss": reverse("corrections_feed_rss"),
            "feed_atom": reverse("corrections_feed_atom"),
        },
    )


#: Hours a story stays in the news sitemap after it is first published (Google News reads two days).
NEWS_SITEMAP_HOURS = 48
#: Most stories one news sitemap may list (Google's limit).
NEWS_SITEMAP_MAX_URLS = 1000


@require_safe
def news_sitemap(request):
    """Return the Google News sitemap: the site's stories first published in the last 48 hours.

    Format: https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
    (``<urlset>`` of the sitemaps.org 0.9 namespace with ``news:`` elements of
    ``http://www.google.com/schemas/sitemap-news/0.9``): each ``<url>`` gives the story's address,
    the publication (the site's name and the story's language), the first publication time
    (W3C date-time) and the headline. Newest first, at most ``NEWS_SITEMAP_MAX_URLS``. Wire stories
    whose canonical URL is the original elsewhere are left out: the news is the original's.
    """
    from pressclub.core.routing import site_for_request

    from .seo import site_identity

    since = timezone.now() - dt.timedelta(hours=NEWS_SITEMAP_HOURS)
    stories = listing_articles().filter(first_published_at__gte=since, original_url="")
    site = site_for_request(request)
    stories = stories.descendant_of(site.root_page) if site is not None else stories.none()
    entries = [
        {
            "loc": iri_to_uri(absolute_url(story.get_url(request=request) or "", request=request, page=story)),
            "language": story.language or settings.LANGUAGE_CODE,
            "published": story.published_at,
            "title": strip_control_chars(story.title),
        }
        for story in stories[:NEWS_SITEMAP_MAX_URLS]
    ]
    name = strip_control_chars(site_identity(request)["name"])
    return render(request, "news/news_sitemap.xml", {"entries": entries, "name": name}, content_type="application/xml")


@require_safe
def favicon(request):
    """Redirect ``/favicon.ico`` permanently to the site's SVG icon, so browsers' automatic request finds it."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_safe
def robots_txt(request):
    """Return robots.txt: keep crawlers out of the admin and account pages, point them at the sitemap
    and the news sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'), request=request)}",
        f"Sitemap: {absolute_url(reverse('news_sitemap'), request=request)}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={settings.PRESSCLUB_PAGE_CACHE_SECONDS}"
    return response

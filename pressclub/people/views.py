"""Author pages."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from pressclub.news.pagination import paginate
from pressclub.news.views import listing_articles

from .models import Author


@require_safe
def author_detail(request, slug):
    """Show an author's bio, photo and published articles, newest first, paginated.

    Raise Http404 for an unknown slug.
    """
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = listing_articles().filter(byline_links__author=author)
    return render(
        request,
        "people/author_detail.html",
        {
            "author": author,
            "articles": paginate(request, articles),
            "feed_rss": reverse("author_feed_rss", kwargs={"slug": author.slug}),
            "feed_atom": reverse("author_feed_atom", kwargs={"slug": author.slug}),
        },
    )

"""How many published stories a listing holds, for its pager ("Page 2 of 256").

Django's Paginator counts its own queryset, which joins every listed story's page and article rows:
a label on 5,000 of 100,000 stories reads 5,000 of each. These functions count the rows that pick
the stories instead (a label's links, an author's bylines, a section's child pages) less the pages
that are not live or are under a view restriction, which are few and come from an index
(``pressclub_page_not_live``, migration ``news.0006``). Each number is the listing queryset's
``count()`` exactly, kept in Django's cache until the next story published, changed or withdrawn
anywhere (the ``stories`` scope of :func:`pressclub.core.cache.cached_until_purge`) or the next
purge of every page (a view restriction added or removed).
"""

from django.db.models import Q
from wagtail.models import Page

from pressclub.core.cache import cached_until_purge
from pressclub.core.restrictions import private_q

CACHE_SECONDS = 3600


def unpublished_pages():
    """Return the pks of pages not live or under a view restriction (a ``values("pk")`` queryset)."""
    return Page.objects.filter(Q(live=False) | private_q()).values("pk")


def _kept(key: str, compute) -> int:
    return cached_until_purge(f"pressclub:story-count:{key}", compute, timeout=CACHE_SECONDS, scope="stories")


def label_story_links(label):
    """Return the links of ``label`` (a Label) to its published stories (an ArticleLabel queryset):
    one row per story listed on the label page, as its listing
    (``listing_articles().filter(label_links__tag=label)``) joins them."""
    from .models import ArticleLabel

    return ArticleLabel.objects.filter(tag=label).exclude(content_object_id__in=unpublished_pages())


def author_story_bylines(author):
    """Return the bylines of ``author`` (an Author) on published stories (an ArticleAuthor queryset;
    one per story, a constraint keeps an author once in a byline)."""
    from .models import ArticleAuthor

    return ArticleAuthor.objects.filter(author=author).exclude(page_id__in=unpublished_pages())


def section_story_pages(section):
    """Return the published stories of ``section`` (a SectionPage) as plain pages (a Page queryset):
    its live, public children that are articles, without joining the article rows."""
    from .models import ArticlePage

    return Page.objects.child_of(section).exact_type(ArticlePage).live().exclude(private_q())


def label_story_count(label) -> int:
    """Return the number of published stories carrying ``label`` (a Label), kept until a purge."""
    return _kept(f"label:{label.pk}", lambda: label_story_links(label).count())


def author_story_count(author) -> int:
    """Return the number of published stories with ``author`` (an Author) in the byline, kept until a purge."""
    return _kept(f"author:{author.pk}", lambda: author_story_bylines(author).count())


def section_story_count(section) -> int:
    """Return the number of published stories of ``section`` (a SectionPage), kept until a purge."""
    return _kept(f"section:{section.pk}", lambda: section_story_pages(section).count())

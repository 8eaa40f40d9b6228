"""Related stories at the foot of an article: those sharing its labels first, then its section's."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import get_language

from pressclub.core.cache import cached_until_purge

RELATED_COUNT = 4
CACHE_SECONDS = 3600


def related_stories(page, *, label_ids, request=None, limit: int = RELATED_COUNT) -> list[dict]:
    """Return up to ``limit`` live, public stories related to ``page`` as ``{"title", "url", "lang_attrs"}``.

    Stories sharing more of ``label_ids`` (the article's label pks) come first, then stories of the
    same section, newest first within each. One query; kept in Django's cache per page until the
    next story published, changed or withdrawn anywhere (``cached_until_purge`` in the ``stories``
    scope), so a cached article page costs none.
    """
    from .models import ArticlePage

    def compute():
        section_path = page.path[: -page.steplen]
        related = Q(path__startswith=section_path, depth=page.depth)
        if label_ids:
            related |= Q(label_links__tag_id__in=label_ids)
        stories = (
            ArticlePage.objects.published()
            .defer_streamfields()
            .filter(related)
            .exclude(pk=page.pk)
            .annotate(
                shared=Count("label_links", filter=Q(label_links__tag_id__in=label_ids or [0]), distinct=True),
                same_section=Case(
                    When(path__startswith=section_path, then=Value(1)), default=Value(0), output_field=IntegerField()
                ),
            )
            .order_by("-shared", "-same_section", "-first_published_at", "-pk")[:limit]
        )
        return [
            {"title": story.title, "url": story.get_url(request=request) or "", "lang_attrs": story.content_lang_attrs}
            for story in stories
        ]

    # Per language: ``lang_attrs`` is empty for stories in the reader's language.
    return cached_until_purge(
        f"pressclub:related:{page.pk}:{get_language()}", compute, timeout=CACHE_SECONDS, scope="stories"
    )

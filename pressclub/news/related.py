"""Related stories at the foot of an article: those sharing its labels first, then its section's."""

from types import SimpleNamespace

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import get_language

from pressclub.core.cache import cached_until_purge
from pressclub.core.compiled import CompiledQuery, prefix, primary_key
from pressclub.core.restrictions import restriction_paths

RELATED_COUNT = 4
CACHE_SECONDS = 3600


def related_stories(page, *, label_ids, request=None, limit: int = RELATED_COUNT) -> list[dict]:
    """Return up to ``limit`` live, public stories related to ``page`` as ``{"title", "url", "lang_attrs"}``.

    Stories sharing more of ``label_ids`` (the article's label pks) come first, then stories of the
    same section, newest first within each. One query; kept in Django's cache per page until the
    next story published, changed or withdrawn anywhere (``cached_until_purge`` in the ``stories``
    scope), so a cached article page costs none.
    """

    def compute():
        return [
            {"title": story.title, "url": story.get_url(request=request) or "", "lang_attrs": story.content_lang_attrs}
            for story in related_rows(page, label_ids=label_ids, limit=limit)
        ]

    # Per language: ``lang_attrs`` is empty for stories in the reader's language.
    return cached_until_purge(
        f"pressclub:related:{page.pk}:{get_language()}", compute, timeout=CACHE_SECONDS, scope="stories"
    )


# The ranking query compiled once per process (core.compiled), one per number of labels and limit:
# building and compiling it took Django's ORM about 7 ms, the database answers it in about 1.
_FIELDS = ("pk", "title", "url_path", "language")
_queries: dict[tuple[int, int], CompiledQuery] = {}


def _related_query(labels: int, limit: int) -> CompiledQuery:
    key = (labels, limit)
    if key not in _queries:
        from .models import ArticlePage

        steplen = ArticlePage.steplen

        def build(restricted, *, page_id, section, **label_values):
            stand_in = SimpleNamespace(pk=page_id, path=section + "0" * steplen, steplen=steplen)
            label_ids = [label_values[f"label{n}"] for n in range(labels)]
            return related_queryset(stand_in, label_ids=label_ids, limit=limit, restricted=restricted).values_list(
                *_FIELDS
            )

        slots = {"page_id": primary_key(0), "section": prefix("~section-1~", "~section-2~")}
        slots |= {f"label{n}": primary_key(1 + n) for n in range(labels)}
        _queries[key] = CompiledQuery(build, model="news.ArticlePage", slots=slots)
    return _queries[key]


def related_rows(page, *, label_ids, limit: int = RELATED_COUNT) -> list:
    """Return the stories :func:`related_queryset` returns, best first, as ArticlePage instances
    holding ``pk``, ``title``, ``url_path`` and ``language`` (enough for ``get_url()`` and
    ``content_lang_attrs``), in one query whose SQL is built once per process and per number of
    labels, ``limit`` and list of restricted paths (``core.compiled``)."""
    from .models import ArticlePage

    label_ids = sorted(set(label_ids))
    restricted, _aliases = restriction_paths()
    values = {f"label{n}": label_id for n, label_id in enumerate(label_ids)}
    rows = _related_query(len(label_ids), limit).rows(
        shape=restricted, page_id=page.pk, section=page.path[: -page.steplen], **values
    )
    return [ArticlePage(**dict(zip(_FIELDS, row, strict=True))) for row in rows]


def related_queryset(page, *, label_ids, limit: int = RELATED_COUNT, restricted: tuple[str, ...] | None = None):
    """Return the ``limit`` live, public stories related to ``page`` (an ArticlePage queryset, bodies
    not loaded), best first: most of ``label_ids`` shared, then ``page``'s section, then newest.

    Ranking every story that shares a label or the section reads thousands of rows at 100,000 stories
    (a label on 5,000 of them, a section of 14,000). The query ranks a few candidates instead: the
    ``limit`` newest stories of the section, the ``limit`` newest sharing a label in the section and
    out of it, and every story sharing two labels or more (few, unless two labels nearly always go
    together). That is exact: a story among the best ``limit`` has fewer than ``limit`` stories
    ranked above it, and every newer story of its group (one label shared, or none, on the same side
    of the section) ranks above it, so it is among its group's newest ``limit``. One query; the
    groups are read newest first from the index on ``first_published_at``, or from the labels'
    rows when a label is rare. A story carries a label once (taggit adds a label once).
    ``restricted`` is the list of restricted paths to leave out (default: the cached one,
    ``core.restrictions``).
    """
    from .models import ArticleLabel, ArticlePage

    label_ids = sorted(set(label_ids))
    section_path = page.path[: -page.steplen]
    in_section = Q(path__startswith=section_path)  # at any depth, as the ranking's same_section
    stories = ArticlePage.objects.published(restricted).exclude(pk=page.pk)
    links = ArticleLabel.objects.filter(tag_id__in=label_ids)

    def newest(queryset):
        # Wrapped in a plain query of its own: SQLite takes no LIMIT in a member of a UNION.
        newest_pks = queryset.order_by("-first_published_at", "-pk").values("pk")[:limit]
        return ArticlePage.objects.filter(pk__in=newest_pks).order_by().values("pk")

    candidates = newest(stories.filter(in_section))
    if label_ids:
        sharing = stories.filter(pk__in=links.values("content_object_id"))
        # "Two or more" written as a list of counts: PostgreSQL guesses a third of the links pass a
        # ``HAVING COUNT(...) >= 2`` (and then reads every page), but few for ``IN (2, …)``.
        sharing_more = (
            links.values("content_object_id")
            .annotate(n=Count("pk"))
            .filter(n__in=range(2, len(label_ids) + 1))
        )
        candidates = candidates.union(
            newest(sharing.filter(in_section)),
            newest(sharing.exclude(in_section)),
            stories.filter(pk__in=sharing_more.values("content_object_id")).order_by().values("pk"),
        )
    return (
        ArticlePage.objects.defer_streamfields()
        .filter(pk__in=candidates)
        .annotate(
            shared=Count("label_links", filter=Q(label_links__tag_id__in=label_ids or [0]), distinct=True),
            same_section=Case(
                When(path__startswith=section_path, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("-shared", "-same_section", "-first_published_at", "-pk")[:limit]
    )

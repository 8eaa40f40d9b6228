"""Related stories at the foot of an article: those sharing its labels first, then its section's."""

from types import SimpleNamespace

from django.db import connections, router
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import get_language

from pressclub.core.cache import cached_until_purge
from pressclub.core.restrictions import restriction_paths

RELATED_COUNT = 4
CACHE_SECONDS = 3600
# Stand-ins the query of each shape is built with once (related_rows): values no page, path or
# label can have (primary keys are positive, tree paths are digits and capitals).
_PAGE_SENTINEL = -7_300_000_001
_SECTION_SENTINEL = "sectionpathsentinel"
_LABEL_SENTINEL = -7_300_001_000  # minus the label's place: -7_300_001_000, -7_300_001_001 …
_SHAPES: dict[tuple, tuple[str, tuple] | None] = {}
_SHAPES_KEPT = 64


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


def related_rows(page, *, label_ids, limit: int = RELATED_COUNT) -> list:
    """Return the stories :func:`related_queryset` returns (a list of ArticlePage, bodies not loaded),
    in one query, without building that query again each time.

    Building and compiling the ranking query took Django's ORM about 7 ms; the database answers it in
    about 1. Its SQL depends only on the database, the number of labels, ``limit`` and the view
    restrictions, so it is built once per such shape (with stand-in values for the page, its section
    and its labels), kept in the process, and run with this page's values. A shape whose stand-ins
    cannot be told apart in the SQL is not kept: the queryset is then run as it is.
    """
    label_ids = sorted(set(label_ids))
    from .models import ArticlePage

    db = router.db_for_read(ArticlePage)
    key = (db, connections[db].vendor, len(label_ids), limit, restriction_paths()[0])
    if key not in _SHAPES:
        if len(_SHAPES) >= _SHAPES_KEPT:
            _SHAPES.clear()
        _SHAPES[key] = _shape(len(label_ids), limit, db)
    shape = _SHAPES[key]
    if shape is None:
        return list(related_queryset(page, label_ids=label_ids, limit=limit))
    sql, roles = shape
    section_path = page.path[: -page.steplen]
    params = []
    for role, value in roles:
        if role == "page":
            params.append(page.pk)
        elif role == "section":
            params.append(value.replace(_SECTION_SENTINEL, section_path))
        elif role == "label":
            params.append(label_ids[value])
        else:
            params.append(value)
    return list(ArticlePage.objects.db_manager(db).raw(sql, params))


def _shape(labels: int, limit: int, db: str) -> tuple[str, tuple] | None:
    """Return ``(sql, roles)`` of :func:`related_queryset` for ``labels`` labels and ``limit``, built with
    stand-ins: each role is ``("page", None)``, ``("section", parameter with the section's stand-in)``,
    ``("label", place in the sorted label ids)`` or ``("value", parameter)``. None when a stand-in
    shows in the SQL text or goes missing from the parameters."""
    from .models import ArticlePage

    stand_in = SimpleNamespace(pk=_PAGE_SENTINEL, path=_SECTION_SENTINEL + "0" * ArticlePage.steplen,
                               steplen=ArticlePage.steplen)
    label_stand_ins = [_LABEL_SENTINEL - n for n in range(labels)]
    queryset = related_queryset(stand_in, label_ids=label_stand_ins, limit=limit).using(db)
    sql, params = queryset.query.sql_with_params()
    places = {value: n for n, value in enumerate(label_stand_ins)}
    roles, seen = [], set()
    for value in params:
        if isinstance(value, int) and not isinstance(value, bool) and value == _PAGE_SENTINEL:
            roles.append(("page", None))
        elif isinstance(value, int) and not isinstance(value, bool) and value in places:
            roles.append(("label", places[value]))
        elif isinstance(value, str) and _SECTION_SENTINEL in value:
            roles.append(("section", value))
        else:
            roles.append(("value", value))
        seen.add(roles[-1][0] if roles[-1][0] != "label" else ("label", roles[-1][1]))
    wanted = {"page", "section"} | {("label", n) for n in range(labels)}
    hidden = [str(_PAGE_SENTINEL), _SECTION_SENTINEL, *(str(value) for value in label_stand_ins)]
    if not wanted <= seen or any(text in sql for text in hidden):
        return None
    return sql, tuple(roles)


def related_queryset(page, *, label_ids, limit: int = RELATED_COUNT):
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
    """
    from .models import ArticleLabel, ArticlePage

    label_ids = sorted(set(label_ids))
    section_path = page.path[: -page.steplen]
    in_section = Q(path__startswith=section_path)  # at any depth, as the ranking's same_section
    stories = ArticlePage.objects.published().exclude(pk=page.pk)
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

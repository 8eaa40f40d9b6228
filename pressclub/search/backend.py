"""pressclub's Wagtail search backend: Wagtail's database backend, with queries that scale.

``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "pressclub.search.backend"}}``. It keeps Wagtail's
index tables (``wagtailsearch_indexentry`` and, on SQLite, its FTS5 table) as they are filled today
and changes how a search reads them:

SQLite (django-modelsearch's FTS5 backend, subclassed)
    Upstream orders results by a correlated subquery that runs the FTS5 ``MATCH`` again for every
    matching page: a common word over 10,000 stories took a minute. Here FTS5 drives the query: one
    ``MATCH`` over the FTS table, joined by rowid to the index entries, kept to the searched pages by
    an ``EXISTS`` on the page's primary key, ordered by ``bm25()`` with ``LIMIT``/``OFFSET``; the
    pages of that one result page are then read by primary key. The count runs the same ``MATCH``
    without scoring or ordering. ``bm25()`` weighs the columns: headline ``TITLE_WEIGHT``, boosted
    fields (a search field with a ``boost``, such as the dek) ``BOOSTED_WEIGHT``, the rest of the
    text ``BODY_WEIGHT``. The boosted fields reach their own FTS column through the index entry's
    body: the indexer writes them first and ends them with ``BOOSTED_END`` (U+001E), and the
    triggers of ``pressclub_search`` migration 0001 copy that part to the ``boosted`` column.

PostgreSQL (django-modelsearch's backend, subclassed)
    Upstream matches ``title || body @@ query``, an expression no index covers, and joins pages to
    entries on ``page.id::varchar = object_id``, which no index answers either, so every search
    reads every entry and every page. Here the query starts from the index entries: each word (or
    phrase) must match the title or the body (``title @@ word OR body @@ word``, ANDed), which the
    GIN indexes on ``title`` and ``body`` answer; an ``EXISTS`` on the page's primary key keeps
    them to the searched pages; the rank is one ``ts_rank`` per column with ``WEIGHTS`` (headline
    above boosted fields above the rest) instead of one per word form; the pages of the result
    page are then read by primary key. The count does not rank.

Queries the fast paths do not cover (``Not``, ``MatchAll``, fuzzy search, ``fields=``) go to
upstream's code unchanged, so the Wagtail admin's searches keep working.
"""

import unicodedata
from functools import cache, cached_property

from django.db import connection
from django.db.models import Exists, F, FloatField, IntegerField, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.lookups import Lookup
from modelsearch.backends.database import SearchBackend as _UpstreamSearchBackend
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import And, Boost, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

# The end of the boosted fields at the start of an index entry's body (SQLite; see the module docstring).
BOOSTED_END = "\x1e"
# bm25() column weights (SQLite), in the order of the FTS table's columns: autocomplete, body, title, boosted.
BODY_WEIGHT = 1.0
TITLE_WEIGHT = 10.0
BOOSTED_WEIGHT = 4.0
# ts_rank() weights (PostgreSQL) for the labels D, C, B, A: upstream gives a field with a boost
# label A to C by the size of its boost (the headline's 2 is A, the dek's 1.5 is B) and the rest D.
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


class UnsupportedQuery(Exception):
    """A query the fast path does not handle; upstream's code answers it."""


def _terms(query) -> list:
    """Return the ANDed parts of ``query``: And's subqueries, or ``[query]``."""
    return list(query.subqueries) if isinstance(query, And) else [query]


# ---------------------------------------------------------------------------------------------------
# SQLite


def fts5_query(query) -> str:
    """Return the FTS5 query string for a modelsearch query made of PlainText, Phrase, And, Or and Boost.

    Every word is a quoted string (``"` doubled inside), so nothing a reader types is read as FTS5
    syntax. Raise UnsupportedQuery for anything else (Not, MatchAll, Fuzzy).
    """
    if isinstance(query, PlainText):
        terms = query.query_string.split()
        if not terms:
            raise UnsupportedQuery(query)
        joiner = " AND " if query.operator.lower() == "and" else " OR "
        return "(" + joiner.join(_quoted(term) for term in terms) + ")"
    if isinstance(query, Phrase):
        return _quoted(query.query_string)
    if isinstance(query, Boost):
        return fts5_query(query.subquery)
    if isinstance(query, (And, Or)) and query.subqueries:
        joiner = " AND " if isinstance(query, And) else " OR "
        return "(" + joiner.join(fts5_query(sub) for sub in query.subqueries) + ")"
    raise UnsupportedQuery(query)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@cache
def _sqlite_classes():
    from modelsearch.backends.database.sqlite.sqlite import (
        IndexEntry,
        ObjectIndexer,
        SQLiteFTSIndexEntry,
        SQLiteIndex,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
        SQLiteSearchResults,
    )

    fts_table = SQLiteFTSIndexEntry._meta.db_table
    RANK = f"bm25({fts_table}, 0, {BODY_WEIGHT}, {TITLE_WEIGHT}, {BOOSTED_WEIGHT})"  # noqa: N806

    class FTSMatch(Lookup):
        """``<fts table> MATCH %s`` as a filter (a Lookup, so Django adds no ``= true``)."""

        lookup_name = "pressclub_fts_match"

        def __init__(self, match: str):
            self.match = match
            super().__init__(None, None)

        def as_sql(self, compiler, connection):
            return f"{fts_table} MATCH %s", [self.match]

    class BoostedObjectIndexer(ObjectIndexer):
        """Upstream's indexer, with text in NFC and the boosted fields first in the body, ended by BOOSTED_END.

        Each search field's value is read once (upstream reads every field again for the title, the
        autocomplete text and the body: a StreamField's text extracted three or four times).
        """

        @cached_property
        def _prepared(self) -> list[tuple[object, str]]:
            return [pair for field in self.search_fields for pair in self.prepare_field(self.obj, field)]

        def _texts(self, boosted: bool) -> list[str]:
            return [
                value.replace(BOOSTED_END, " ") for current, value in self._prepared
                if (isinstance(current, SearchField) and current.field_name != "title"
                    and (current.boost is not None) == boosted)
            ]

        @property
        def title(self):
            return unicodedata.normalize("NFC", " ".join(
                value for current, value in self._prepared
                if isinstance(current, SearchField) and current.field_name == "title"
            ))

        @property
        def autocomplete(self):
            return " ".join(value for current, value in self._prepared if isinstance(current, AutocompleteField))

        @property
        def body(self):
            boosted = " ".join(self._texts(boosted=True))
            rest = " ".join(self._texts(boosted=False))
            text = f"{boosted} {BOOSTED_END} {rest}" if boosted else rest
            return unicodedata.normalize("NFC", text)

    class Index(SQLiteIndex):
        """Upstream's index, writing entries with BoostedObjectIndexer (same rows, same tables)."""

        def add_items(self, model, objs):
            if not model.get_search_fields():
                return
            indexers = [BoostedObjectIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = get_content_type_pk(model)
            data = {ix.id: (ix.title, ix.autocomplete, ix.body) for ix in indexers}
            entries = self.entries.filter(content_type_id=content_type_pk)
            indexed = set(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
            for object_id in indexed:
                title, autocomplete, body = data[object_id]
                entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
            self.entries.bulk_create([
                IndexEntry(content_type_id=content_type_pk, object_id=object_id,
                           title=title, autocomplete=autocomplete, body=body)
                for object_id, (title, autocomplete, body) in data.items() if object_id not in indexed
            ])
            self._refresh_title_norms()

    class QueryCompiler(SQLiteSearchQueryCompiler):
        """Upstream's compiler, plus :meth:`matches`: the FTS5-driven query of the fast path."""

        MATCH_COLUMNS = "{title body boosted}"

        def matches(self):
            """Return a queryset of the FTS rows matching the query among the searched pages, or None
            when the fast path does not cover this search."""
            if self.fields is not None:
                return None
            try:
                self.match = f"{self.MATCH_COLUMNS} : {fts5_query(self.query)}"
            except UnsupportedQuery:
                return None
            # "+ 0" keeps SQLite from reading the entries by content type first and running the MATCH
            # once per entry: the FTS5 index must be the outer loop.
            return SQLiteFTSIndexEntry.objects.alias(
                content_type_unindexed=F("index_entry__content_type_id") + 0
            ).filter(
                FTSMatch(self.match),
                Exists(self._pages("index_entry__object_id")),
                content_type_unindexed__in=get_descendants_content_types_pks(self.queryset.model),
            )

        def _pages(self, object_id: str):
            return self.queryset.order_by().filter(pk=Cast(OuterRef(object_id), IntegerField()))

        def best(self, limit: int) -> list[tuple[int, float]]:
            """Return ``(rowid, bm25)`` of the ``limit`` best FTS rows matching the query (call
            :meth:`matches` first), ranked in the FTS table alone: any model, drafts too."""
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT rowid, {RANK} FROM {fts_table} WHERE {fts_table} MATCH %s "
                    f"ORDER BY 2, rowid DESC LIMIT %s",
                    [self.match, limit],
                )
                return cursor.fetchall()

        def pages_of(self, rowids: list[int]) -> dict[int, int]:
            """Return {index entry id: page pk} for those of ``rowids`` that are entries of the searched pages."""
            entries = IndexEntry.objects.alias(content_type_unindexed=F("content_type_id") + 0).filter(
                Exists(self._pages("object_id")),
                id__in=rowids,
                content_type_unindexed__in=get_descendants_content_types_pks(self.queryset.model),
            )
            return {entry_id: int(object_id) for entry_id, object_id in entries.values_list("id", "object_id")}

    class Results(SQLiteSearchResults):
        """Upstream's results, reading the fast path's pages and count when it covers the search."""

        def _do_search(self):
            compiler = self.query_compiler
            matches = compiler.matches()
            if matches is None:
                return super()._do_search()
            pk = Cast(F("index_entry__object_id"), IntegerField())
            if not compiler.order_by_relevance:
                queryset = compiler.queryset.filter(pk__in=matches.values(page_pk=pk))
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return list(queryset[self.start:self.stop])
            rank = RawSQL(RANK, (), output_field=FloatField())

            def ranked(matches):
                return list(matches.annotate(rank=rank, page_pk=pk).order_by("rank", "-index_entry_id")
                            .values_list("page_pk", "rank")[self.start:self.stop])

            rows = None
            if self.stop is not None:
                # Rank in the FTS table alone, then keep those of its best rows that are entries of
                # the searched pages (a few more than the page needs: drafts and other models' entries
                # drop out). When too many dropped out to fill the page, rank every match instead.
                limit = max(2 * self.stop, self.stop + 50)
                best = compiler.best(limit)
                pages = compiler.pages_of([rowid for rowid, _ in best])
                kept = [(pages[rowid], rank) for rowid, rank in best if rowid in pages]
                if len(kept) >= self.stop or len(best) < limit:
                    rows = kept[self.start:self.stop]
            if rows is None:
                rows = ranked(matches)
            found = {page.pk: page for page in compiler.queryset.filter(pk__in=[pk for pk, _ in rows])}
            results = []
            for pk_value, rank_value in rows:
                page = found.get(pk_value)
                if page is not None:
                    if self._score_field:
                        setattr(page, self._score_field, -rank_value)
                    results.append(page)
            return results

        def _do_count(self):
            matches = self.query_compiler.matches()
            if matches is None:
                return super()._do_count()
            count = matches.count() - self.start
            return max(0, count if self.stop is None else min(count, self.stop - self.start))

    class Backend(SQLiteSearchBackend):
        """Upstream's SQLite FTS5 backend with the classes above."""

        query_compiler_class = QueryCompiler
        index_class = Index
        results_class = Results

    return Backend


# ---------------------------------------------------------------------------------------------------
# PostgreSQL


@cache
def _postgres_classes():
    from django.contrib.postgres.search import SearchRank
    from modelsearch.backends.database.postgres.postgres import (
        IndexEntry,
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
        PostgresSearchResults,
    )

    class QueryCompiler(PostgresSearchQueryCompiler):
        """Upstream's compiler, plus :meth:`matches`: the index-driven query of the fast path."""

        def matches(self, config):
            """Return ``(index entries matching the query among the searched pages, rank expression)``,
            or None when the fast path does not cover this search.

            The entries are found through the GIN indexes (each ANDed part of the query against the
            title or the body) and kept to the searched pages by an ``EXISTS`` on the page's primary
            key (upstream's join compares ``page.id::varchar`` with ``object_id``, which no index answers).
            """
            if self.fields is not None:
                return None
            try:
                fts5_query(self.query)  # the same shapes as the SQLite fast path
            except UnsupportedQuery:
                return None
            condition = Q()
            for part in _terms(self.query):
                tsquery = self.build_tsquery(part, config=config)
                condition &= Q(title=tsquery) | Q(body=tsquery)
            pages = self.queryset.order_by().filter(pk=Cast(OuterRef("object_id"), IntegerField()))
            entries = IndexEntry.objects.filter(
                condition,
                Exists(pages),
                content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
            )
            whole = self.build_tsquery(self.query, config=config)
            rank = SearchRank(F("title"), whole, weights=WEIGHTS) + SearchRank(F("body"), whole, weights=WEIGHTS)
            return entries, rank

    class Results(PostgresSearchResults):
        """Upstream's results, reading the fast path's pages and count when it covers the search."""

        def _matches(self):
            compiler = self.query_compiler
            return compiler.matches(compiler.get_config(self.backend))

        def _do_search(self):
            compiler = self.query_compiler
            fast = self._matches()
            if fast is None:
                return super()._do_search()
            entries, rank = fast
            pk = Cast(F("object_id"), IntegerField())
            if not compiler.order_by_relevance:
                queryset = compiler.queryset.filter(pk__in=entries.values(page_pk=pk))
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return list(queryset[self.start:self.stop])
            rows = list(entries.annotate(rank=rank, page_pk=pk).order_by("-rank", "-id")
                        .values_list("page_pk", "rank")[self.start:self.stop])
            found = {page.pk: page for page in compiler.queryset.filter(pk__in=[pk for pk, _ in rows])}
            results = []
            for pk_value, rank_value in rows:
                if (page := found.get(pk_value)) is not None:
                    if self._score_field:
                        setattr(page, self._score_field, rank_value)
                    results.append(page)
            return results

        def _do_count(self):
            fast = self._matches()
            if fast is None:
                return super()._do_count()
            count = fast[0].count() - self.start
            return max(0, count if self.stop is None else min(count, self.stop - self.start))

    class Backend(PostgresSearchBackend):
        """Upstream's PostgreSQL backend with the classes above."""

        query_compiler_class = QueryCompiler
        results_class = Results

    return Backend


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    """Return the search backend for the default database: the subclasses above on SQLite with FTS5
    and on PostgreSQL, upstream's database backend elsewhere (MySQL, SQLite without FTS5)."""
    upstream = _UpstreamSearchBackend(params)
    if connection.vendor == "postgresql":
        return _postgres_classes()(params)
    if connection.vendor == "sqlite" and type(upstream).__name__ == "SQLiteSearchBackend":
        return _sqlite_classes()(params)
    return upstream



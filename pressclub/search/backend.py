"""pressclub's Wagtail search backend: Wagtail's database backend, with queries that scale.

``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "pressclub.search.backend"}}``. It keeps Wagtail's
index tables (``wagtailsearch_indexentry`` and, on SQLite, its FTS5 table) and changes what is
written to them (text in NFC; the boosted fields apart on SQLite; Indic words' bases on PostgreSQL)
and how a search reads them:

SQLite (django-modelsearch's FTS5 backend, subclassed)
    Upstream orders results by a correlated subquery that runs the FTS5 ``MATCH`` again for every
    matching page: a common word over 10,000 stories took a minute. Here FTS5 drives the query: one
    ``MATCH`` over the FTS table, joined by rowid to the index entries, kept to the searched pages by
    an ``EXISTS`` on the page's primary key, ordered by ``bm25()`` with ``LIMIT``/``OFFSET``; the
    pages of that one result page are then read by primary key. The count runs the same ``MATCH``
    without scoring or ordering, and a sliced result (``results[:1001].count()``) stops counting at
    its end. ``bm25()`` weighs the columns: headline ``TITLE_WEIGHT``, boosted
    fields (a search field with a ``boost``, such as the dek) ``BOOSTED_WEIGHT``, the rest of the
    text ``BODY_WEIGHT``. The boosted fields reach their own FTS column through the index entry's
    body: the indexer writes them first and ends them with ``BOOSTED_END`` (U+001E), and the
    triggers of ``pressclub_search`` migration 0001 copy that part to the ``boosted`` column.

PostgreSQL (django-modelsearch's backend, subclassed)
    Upstream matches ``title || body @@ query``, an expression no index covers, and joins pages to
    entries on ``page.id::varchar = object_id``, which no index answers either, so every search
    reads every entry and every page. Here the index stores each Devanagari and Bengali word with
    its bases at the word's own positions (:func:`with_bases`, :func:`~.wordforms.index_bases`), so a
    query word is one to four lexemes (:class:`Word`, :func:`~.wordforms.search_bases`) instead of
    its 55 to 75 word forms. The query starts from the index entries: their one weighted vector
    (``pressclub_search_document(title, body)``, that is ``title || body``: headline A, boosted
    fields B, the rest D) must match, which its GIN index answers (migration 0002); an ``EXISTS``
    on the page's primary key keeps them to the searched pages. Only the newest
    ``RANK_CANDIDATES`` matches are ranked (``ts_rank`` with ``WEIGHTS``: headline above boosted
    fields above the rest), so a word in half the stories costs what a word in 200 does; older
    matches follow them newest first. The pages of the result page are then read by primary key.
    The count does not rank, and a sliced result stops counting at its end.

Queries the fast paths do not cover (``Not``, ``MatchAll``, fuzzy search, ``fields=``) go to
upstream's code unchanged, so the Wagtail admin's searches keep working.
"""

import re
import unicodedata
from functools import cache, cached_property

from django.db import connection
from django.db.models import Exists, F, FloatField, Func, IntegerField, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.lookups import Lookup
from modelsearch.backends.database import SearchBackend as _UpstreamSearchBackend
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import And, Boost, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from .wordforms import index_bases, search_bases, word_forms

# The end of the boosted fields at the start of an index entry's body (SQLite; see the module docstring).
BOOSTED_END = "\x1e"
# bm25() column weights (SQLite), in the order of the FTS table's columns: autocomplete, body, title, boosted.
BODY_WEIGHT = 1.0
TITLE_WEIGHT = 10.0
BOOSTED_WEIGHT = 4.0
# ts_rank() weights (PostgreSQL) for the labels D, C, B, A: upstream gives a field with a boost
# label A to C by the size of its boost (the headline's 2 is A, the dek's 1.5 is B) and the rest D.
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


# PostgreSQL ranks only the newest RANK_CANDIDATES matches (the highest index entry ids, that is the
# pages indexed last); later matches follow them newest first, unranked.
RANK_CANDIDATES = 200


class UnsupportedQuery(Exception):
    """A query the fast path does not handle; upstream's code answers it."""


class Word(PlainText):
    """One word of a reader's search that also finds its word forms (:mod:`pressclub.search.wordforms`).

    On SQLite it matches any of :func:`word_forms`; on PostgreSQL, whose index stores every word
    with its bases, any of :func:`search_bases` (one to four lexemes). Upstream's code, where the
    fast paths do not run, reads it as the plain word.
    """

    def __init__(self, word: str):
        super().__init__(word)


# ---------------------------------------------------------------------------------------------------
# SQLite


def fts5_query(query) -> str:
    """Return the FTS5 query string for a modelsearch query made of PlainText, Phrase, And, Or and Boost.

    Every word is a quoted string (``"` doubled inside), so nothing a reader types is read as FTS5
    syntax; a :class:`Word` is any of its word forms. Raise UnsupportedQuery for anything else
    (Not, MatchAll, Fuzzy).
    """
    if isinstance(query, Word):
        return "(" + " OR ".join(_quoted(form) for form in word_forms(query.query_string)) + ")"
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
            # A sliced result counts no further than its end: COUNT over a LIMITed subquery.
            count = (matches if self.stop is None else matches[: self.stop]).count() - self.start
            return max(0, count)

    class Backend(SQLiteSearchBackend):
        """Upstream's SQLite FTS5 backend with the classes above."""

        query_compiler_class = QueryCompiler
        index_class = Index
        results_class = Results

    return Backend


# ---------------------------------------------------------------------------------------------------
# PostgreSQL


# A lexeme and its positions in PostgreSQL's text output of a tsvector: 'बजारमा':3,17
_TSVECTOR_ENTRY = re.compile(r"(?:^| )'((?:[^'\\]|''|\\.)+)':([0-9,]+)")


def with_bases(vector: str) -> str:
    """Return ``vector``, the text of a tsvector as ``to_tsvector()::text`` gives it (lexemes with
    positions, no weights), with each Devanagari or Bengali lexeme's :func:`index_bases` added at
    that lexeme's own positions, like the synonyms of a text search dictionary.

    ``"'बजारमा':3"`` → ``"'बजारमा':3 'बजार':3"``; a vector without such lexemes comes back as it is.
    PostgreSQL merges a base that is also a word of the text with that word's positions.
    """
    extra = [f"'{base}':{positions}" for lexeme, positions in _TSVECTOR_ENTRY.findall(vector)
             for base in index_bases(lexeme.replace("''", "'"))]
    return " ".join([vector, *extra]) if extra else vector


@cache
def _postgres_classes():
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
    from django.db.models.sql.subqueries import InsertQuery
    from modelsearch.backends.database.postgres.postgres import (
        IndexEntry,
        ObjectIndexer,
        PostgresIndex,
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
        PostgresSearchResults,
    )
    from modelsearch.backends.database.postgres.query import Lexeme

    def document():
        # The entry's one weighted vector, title || body: headline (A), then the boosted fields (B)
        # and the rest (D). The function and its GIN index come from pressclub_search migration 0002.
        return Func(F("title"), F("body"), function="pressclub_search_document", output_field=SearchVectorField())

    class Index(PostgresIndex):
        """Upstream's index, storing every Devanagari and Bengali word with its bases (:func:`with_bases`)."""

        def _texts(self, indexer, *, title: bool) -> list[tuple[str, str]]:
            """Return ``(text, weight)`` of the indexer's headline fields or of its other search fields, in NFC."""
            texts = []
            for field in indexer.search_fields:
                for current, weight, value in indexer.prepare_field(indexer.obj, field):
                    if isinstance(current, SearchField) and (current.field_name == "title") == title:
                        if text := unicodedata.normalize("NFC", value.strip()):
                            texts.append((text, weight))
            return texts

        def _vectors(self, texts: list[str]) -> list[str]:
            """Return the tsvector text of each of ``texts`` in the backend's configuration, with bases."""
            config = "%s::regconfig" if self.backend.config else "get_current_ts_config()"
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT to_tsvector({config}, t)::text FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) "
                    f"ORDER BY n",
                    [*([self.backend.config] if self.backend.config else []), texts],
                )
                return [with_bases(row[0]) for row in cursor.fetchall()]

        @staticmethod
        def _weighted(texts: list[tuple[str, str]], vectors: dict[str, str]) -> tuple[str, list[str]]:
            if not texts:
                return "''::tsvector", []
            for _, weight in texts:
                if weight not in "ABCD":
                    raise ValueError(f"not a tsvector weight: {weight!r}")
            return " || ".join(f"setweight(%s::tsvector, '{weight}')" for _, weight in texts), [
                vectors[text] for text, _ in texts
            ]

        def add_items(self, model, objs):
            """Write the index entries of ``objs`` (upstream's columns and upsert), their headline and
            body vectors made with :meth:`_vectors`."""
            if not model.get_search_fields():
                return
            indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            parts = [(ix, self._texts(ix, title=True), self._texts(ix, title=False)) for ix in indexers]
            distinct = list(dict.fromkeys(text for _, title, body in parts for text, _ in title + body))
            vectors = dict(zip(distinct, self._vectors(distinct), strict=True)) if distinct else {}
            compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
            autocomplete_field = IndexEntry._meta.get_field("autocomplete")
            content_type_pk = get_content_type_pk(model)
            rows, params = [], []
            for ix, title, body in parts:
                title_sql, title_params = self._weighted(title, vectors)
                body_sql, body_params = self._weighted(body, vectors)
                autocomplete = compiler.prepare_value(autocomplete_field, ix.autocomplete)
                autocomplete_sql, autocomplete_params = autocomplete.as_sql(compiler, self.write_connection)
                rows.append(f"(%s, %s, {title_sql}, {autocomplete_sql}, {body_sql}, 1.0, %s, %s)")
                params += [content_type_pk, ix.id, *title_params, *autocomplete_params, *body_params,
                           ix.title_text, ix.body_text]
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title, autocomplete, "
                    f"body, title_norm, title_text, body_text) (VALUES {', '.join(rows)}) "
                    f"ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title, "
                    f"title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                    f"title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                    params,
                )
            self._refresh_title_norms()

    class QueryCompiler(PostgresSearchQueryCompiler):
        """Upstream's compiler, plus :meth:`matches`: the index-driven query of the fast path."""

        def build_tsquery_content(self, query, config=None, invert=False):
            """Upstream's tsquery, with a :class:`Word` as any of its :func:`search_bases`."""
            if isinstance(query, Word) and not invert:
                bases = [Lexeme(base) for base in search_bases(query.query_string)]
                lexemes = bases[0]
                for base in bases[1:]:
                    lexemes |= base
                return SearchQuery(lexemes, search_type="raw", config=config)
            return super().build_tsquery_content(query, config=config, invert=invert)

        def matches(self, config):
            """Return ``(index entries matching the query among the searched pages, rank expression)``,
            or None when the fast path does not cover this search.

            The entries are found through the GIN index on their one weighted vector (``title ||
            body`` by ``pressclub_search_document()``, ``pressclub_search`` migration 0002) and kept to the searched pages by an
            ``EXISTS`` on the page's primary key (upstream's join compares ``page.id::varchar`` with
            ``object_id``, which no index answers). The rank is one ``ts_rank`` of that vector with
            ``WEIGHTS``: headline above boosted fields above the rest.
            """
            if self.fields is not None:
                return None
            try:
                fts5_query(self.query)  # the same shapes as the SQLite fast path
            except UnsupportedQuery:
                return None
            tsquery = self.build_tsquery(self.query, config=config)
            pages = self.queryset.order_by().filter(pk=Cast(OuterRef("object_id"), IntegerField()))
            entries = IndexEntry.objects.alias(document=document()).filter(
                Exists(pages),
                document=tsquery,
                content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
            )
            return entries, SearchRank(document(), tsquery, weights=WEIGHTS)

    class Results(PostgresSearchResults):
        """Upstream's results, reading the fast path's pages and count when it covers the search."""

        def _matches(self):
            compiler = self.query_compiler
            return compiler.matches(compiler.get_config(self.backend))

        def _rows(self, entries, rank) -> list[tuple[int, float]]:
            """Return ``(page pk, rank)`` of this result page: the newest ``RANK_CANDIDATES`` matches
            by rank (ties newest first), then the older ones newest first (rank 0.0)."""
            pk = Cast(F("object_id"), IntegerField())
            start, stop = self.start, self.stop
            rows = []
            if stop is None or start < RANK_CANDIDATES:
                newest = entries.order_by("-id").values("id")[:RANK_CANDIDATES]
                ranked = (IndexEntry.objects.filter(id__in=newest).annotate(rank=rank, page_pk=pk)
                          .order_by("-rank", "-id").values_list("page_pk", "rank"))
                rows += ranked[start:RANK_CANDIDATES if stop is None else min(stop, RANK_CANDIDATES)]
            if stop is None or stop > RANK_CANDIDATES:
                older = entries.order_by("-id").annotate(page_pk=pk).values_list("page_pk", flat=True)
                rows += [(page_pk, 0.0) for page_pk in older[max(start, RANK_CANDIDATES):stop]]
            return rows

        def _do_search(self):
            compiler = self.query_compiler
            fast = self._matches()
            if fast is None:
                return super()._do_search()
            entries, rank = fast
            if not compiler.order_by_relevance:
                queryset = compiler.queryset.filter(pk__in=entries.values(page_pk=Cast(F("object_id"), IntegerField())))
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return list(queryset[self.start:self.stop])
            rows = self._rows(entries, rank)
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
            # A sliced result counts no further than its end: COUNT over a LIMITed subquery.
            entries = fast[0]
            count = (entries if self.stop is None else entries[: self.stop]).count() - self.start
            return max(0, count)

    class Backend(PostgresSearchBackend):
        """Upstream's PostgreSQL backend with the classes above."""

        query_compiler_class = QueryCompiler
        index_class = Index
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



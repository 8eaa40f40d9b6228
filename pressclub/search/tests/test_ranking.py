"""Search ranks a match in the headline above one in the dek above one in the rest, on both databases,
and its queries are driven by the full-text index (checked with the database's own plan)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from pressclub.search.query import search_articles
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def kestrel_stories(section):
    # Newest first would be body, dek, headline: the order below is relevance's alone.
    publish_article(section, title="A kestrel nests on the clock tower", when=utc(2026, 5, 1),
                    body=[("paragraph", "<p>Pigeons left the tower in spring.</p>")])
    publish_article(section, title="Clock tower repairs wait", when=utc(2026, 5, 2),
                    dek="A kestrel pair delays the work",
                    body=[("paragraph", "<p>The ward office said the scaffolding stays up.</p>")])
    publish_article(section, title="Market day in the square", when=utc(2026, 5, 3),
                    body=[("paragraph", "<p>A kestrel circled the square. Children pointed at the kestrel.</p>")])
    publish_article(section, title="Weather for the week", when=utc(2026, 5, 4),
                    body=[("paragraph", "<p>Rain on Thursday.</p>")])


def test_headline_above_dek_above_body(client, kestrel_stories):
    response = client.get("/search/", {"q": "kestrel"})
    titles = lxml_html.fromstring(response.content).xpath("//ul[@class='list']//h2/a/text()")
    assert titles == ["A kestrel nests on the clock tower", "Clock tower repairs wait", "Market day in the square"]
    assert "3 results for “kestrel”." in response.text


def test_a_quoted_phrase_matches_its_words_in_order(kestrel_stories):
    assert sorted(p.title for p in search_articles('"clock tower"')) == [
        "A kestrel nests on the clock tower", "Clock tower repairs wait",
    ]
    assert [p.title for p in search_articles('"tower clock"')] == []
    assert [p.title for p in search_articles('“kestrel pair”')] == ["Clock tower repairs wait"]


def search_sql(query: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        results = search_articles(query)
        list(results[:10])
        results.count()
    return [q["sql"] for q in queries.captured_queries if "indexentry" in q["sql"]]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_sqlite_search_is_driven_by_fts5(kestrel_stories):
    def plan(sql):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]

    best, entries, count = search_sql("kestrel")
    # The best rows, ranked in the FTS table alone: one MATCH, no join.
    assert best.startswith("SELECT rowid, bm25(wagtailsearch_indexentry_fts, 0, 1.0, 10.0, 4.0) FROM ")
    assert best.endswith("ORDER BY 2, rowid DESC LIMIT 60")
    assert plan(best) == ["SCAN wagtailsearch_indexentry_fts VIRTUAL TABLE INDEX 0:M4", "USE TEMP B-TREE FOR ORDER BY"]
    # Their entries and pages, by primary key.
    assert "MATCH" not in entries
    assert plan(entries)[0] == "SEARCH wagtailsearch_indexentry USING INTEGER PRIMARY KEY (rowid=?)"
    # The count reads the FTS5 index first, then entries and pages by primary key, and does not rank.
    assert "bm25" not in count and count.count("MATCH") == 1
    assert plan(count)[:2] == [
        "SCAN wagtailsearch_indexentry_fts VIRTUAL TABLE INDEX 0:M4",
        "SEARCH wagtailsearch_indexentry USING INTEGER PRIMARY KEY (rowid=?)",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
@pytest.mark.parametrize(("query", "tsquery", "planned"), [
    ("kestrel", "'kestrel'", "'kestrel'"),
    # An inflected Nepali form is looked up by its base and itself (a Hindi -ā noun's form): two lexemes.
    ("बजारमा", "('बजार' | 'बजारमा')", "'बजार' | 'बजारमा'"),
])
def test_postgresql_search_uses_the_document_gin_index(kestrel_stories, query, tsquery, planned):
    page_query, count_query = search_sql(query)
    quoted, planned = tsquery.replace("'", "''"), planned.replace("'", "''")
    # to_tsquery() with its configuration named is immutable: folded into a constant once.
    def match(table):
        return (f'pressclub_search_document({table}."title", {table}."body") @@ '
                f"(to_tsquery('english'::regconfig, '{quoted}'))")

    # One weighted vector, as the GIN index of migration 0002 holds it.
    assert page_query.count(match("V0")) == 1 and count_query.count(match('"wagtailsearch_indexentry"')) == 1
    # The rank reads only the newest 200 matches; the count does not rank.
    assert page_query.count("ts_rank(") == 1
    assert '"wagtailsearch_indexentry"."id" IN (SELECT' in page_query
    assert 'ORDER BY 1 DESC LIMIT 200) ORDER BY 2 DESC, "wagtailsearch_indexentry"."id" DESC LIMIT 10' in page_query
    assert "ts_rank" not in count_query
    with connection.cursor() as cursor:
        # Four stories are read whole whatever the indexes; bench/search.py shows the plans at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN (COSTS OFF) SELECT id FROM wagtailsearch_indexentry WHERE {match('wagtailsearch_indexentry')}")
        plan = [row[0].strip() for row in cursor.fetchall()]
    assert plan[1:] == [
        f"Recheck Cond: (pressclub_search_document(title, body) @@ '{planned}'::tsquery)",
        "->  Bitmap Index Scan on pressclub_search_document_gin",
        f"Index Cond: (pressclub_search_document(title, body) @@ '{planned}'::tsquery)",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL ranks the newest matches only")
def test_postgresql_ranks_the_newest_matches_then_lists_older_ones_newest_first(kestrel_stories, monkeypatch):
    from pressclub.search import backend

    monkeypatch.setattr(backend, "RANK_CANDIDATES", 2)
    results = search_articles("kestrel")
    # The two newest (body, dek) by rank: dek above body; then the older headline match.
    assert [p.title for p in results] == [
        "Clock tower repairs wait", "Market day in the square", "A kestrel nests on the clock tower",
    ]
    assert [p.title for p in results[1:3]] == ["Market day in the square", "A kestrel nests on the clock tower"]
    assert [p.title for p in results[2:3]] == ["A kestrel nests on the clock tower"]
    assert results.count() == 3


def test_without_relevance_the_queryset_order_holds(kestrel_stories):
    from pressclub.news.models import ArticlePage

    newest_first = ArticlePage.objects.live().order_by("-first_published_at")
    results = newest_first.search("kestrel", order_by_relevance=False)
    assert [p.title for p in results] == [
        "Market day in the square", "Clock tower repairs wait", "A kestrel nests on the clock tower",
    ]
    assert results.count() == 3

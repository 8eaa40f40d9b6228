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
def test_postgresql_search_can_use_the_gin_indexes(kestrel_stories):
    page_query, count_query = search_sql("kestrel")
    tsquery = "to_tsquery('english'::regconfig, '''kestrel''')"  # immutable: folded into a constant once
    match = (f'"wagtailsearch_indexentry"."title" @@ ({tsquery}) OR '
             f'"wagtailsearch_indexentry"."body" @@ ({tsquery})')
    # Each column on its own, as the GIN indexes on title and on body hold them (no title || body).
    assert match in page_query and match in count_query
    assert "ts_rank" not in count_query and "||" not in page_query
    with connection.cursor() as cursor:
        # Four stories are read whole whatever the indexes; bench/search.py shows the plans at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN (COSTS OFF) SELECT id FROM wagtailsearch_indexentry WHERE {match}")
        plan = [row[0].strip() for row in cursor.fetchall()]
    assert plan[1:] == [
        "Recheck Cond: ((title @@ '''kestrel'''::tsquery) OR (body @@ '''kestrel'''::tsquery))",
        "->  BitmapOr",
        "->  Bitmap Index Scan on wagtailsear_title_9caae0_gin",
        "Index Cond: (title @@ '''kestrel'''::tsquery)",
        "->  Bitmap Index Scan on wagtailsear_body_90c85d_gin",
        "Index Cond: (body @@ '''kestrel'''::tsquery)",
    ]


def test_without_relevance_the_queryset_order_holds(kestrel_stories):
    from pressclub.news.models import ArticlePage

    newest_first = ArticlePage.objects.live().order_by("-first_published_at")
    results = newest_first.search("kestrel", order_by_relevance=False)
    assert [p.title for p in results] == [
        "Market day in the square", "Clock tower repairs wait", "A kestrel nests on the clock tower",
    ]
    assert results.count() == 3

"""Reader pages sort and filter on indexed columns: PostgreSQL's plans for their queries use indexes.

The test database is small, so the planner would rightly read whole tables; sequential scans are
switched off (``enable_seqscan``) and each plan must still find an index for every table it reads
(a table with no usable index is then still read by a "Seq Scan"). SQLite is skipped.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory

from pressclub.comments.feeds import SiteCommentsFeed
from pressclub.comments.models import Comment
from pressclub.news.counts import author_story_bylines, label_story_links
from pressclub.news.models import ArticlePage, Label, SectionPage
from pressclub.news.related import related_queryset
from pressclub.news.views import listing_articles
from pressclub.people.models import Author

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")


def plan(queryset, *, sorts: bool = True) -> str:
    """Return PostgreSQL's plan of ``queryset`` (text format), sequential scans switched off, and
    explicit sorts too with ``sorts=False`` (to ask whether an index can give the order)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not sorts:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def reader_queries(article, section, author, make_comment):
    label = Label.objects.get(slug="infrastructure")
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    request = RequestFactory().get("/comments/feed/")
    feed = SiteCommentsFeed()
    comments = feed._shown({"request": request})
    return {
        "section": ArticlePage.objects.child_of(SectionPage.objects.get(pk=section.pk)).published()[:20],
        "label": listing_articles().filter(label_links__tag=label)[:20],
        "author": listing_articles().filter(byline_links__author=Author.objects.get(pk=author.pk))[:20],
        "archive month": listing_articles().filter(
            first_published_at__gte=start, first_published_at__lt=start + dt.timedelta(days=31))[:20],
        "front page": listing_articles()[:20],
        "page comments": Comment.objects.approved().for_page(article).order_by("created_at", "pk"),
        "site comment feed": comments.order_by("-created_at", "-pk")[:50],
        "related stories": related_queryset(article, label_ids=[label.pk]),
    }


@pytest.mark.django_db(transaction=False)
def test_reader_queries_find_an_index_for_every_table(reader_queries):
    plans = {name: plan(queryset) for name, queryset in reader_queries.items()}
    assert {name: "Seq Scan" in text for name, text in plans.items()} == dict.fromkeys(plans, False), plans


@pytest.mark.django_db(transaction=False)
def test_site_comment_feed_reads_the_newest_shown_comments_from_their_index(reader_queries):
    # With a handful of rows the planner may as well sort one page's comments; at scale the order
    # must come from the index, so the question asked is whether the index can give it.
    text = plan(reader_queries["site comment feed"], sorts=False)
    assert "comment_shown_newest" in text, text
    assert "Sort" not in text.split("comment_shown_newest")[0], text  # no sort above the index scan


@pytest.mark.django_db(transaction=False)
def test_label_author_and_thread_queries_use_their_indexes(reader_queries):
    assert "comments_co_page_id_" in plan(reader_queries["page comments"])  # (page, status, created_at)
    assert "news_label_tag_article" in plan(reader_queries["label"])
    assert "news_byline_author_article" in plan(reader_queries["author"])


@pytest.mark.django_db(transaction=False)
def test_label_and_author_counts_find_unpublished_pages_from_their_partial_index(article, author):
    label = Label.objects.get(slug="infrastructure")
    for links in (label_story_links(label), author_story_bylines(Author.objects.get(pk=author.pk))):
        text = plan(links)
        assert "pressclub_page_not_live" in text, text
        assert "Seq Scan" not in text, text
